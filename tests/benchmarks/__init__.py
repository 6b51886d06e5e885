"""Tests of the benchmark harness: parsers, the independent checker and the street-day generator."""
