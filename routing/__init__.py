"""Kapıda's routing package."""
