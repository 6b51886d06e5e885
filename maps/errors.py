"""Errors raised by the maps package; each subclasses ValueError and names the bad input."""

from __future__ import annotations


class MapsError(ValueError):
    """Base class: an input to the maps package cannot be used as given."""


class NetworkSourceError(MapsError):
    """The network file is missing, unreadable, corrupt or of an unknown format."""


class NoDrivableRoadsError(MapsError):
    """The source holds no drivable road (after filtering by highway class)."""


class InvalidPointError(MapsError):
    """A point has NaN or out-of-range coordinates, or repeats another point."""


class SnapError(MapsError):
    """A point lies too far from any drivable road, or outside the network's area."""


class BoundaryError(MapsError):
    """A boundary file is missing or holds no polygon covering the points."""
