"""Kapıda's maps package."""
