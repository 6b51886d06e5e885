"""Tests of the maps package (road networks, snapping, matrices, geometry, areas)."""
