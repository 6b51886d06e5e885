"""Kapıda's api package."""
