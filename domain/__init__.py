"""Kapıda's domain package."""
