"""Kapıda's projections package."""
