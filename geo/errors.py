"""Domain exceptions of the atlas; every message says what to do next."""

from __future__ import annotations

__all__ = ["CrsError", "DataError", "SipAtlasError"]


class SipAtlasError(Exception):
    """Base class of every error the atlas raises on purpose."""


class CrsError(SipAtlasError, ValueError):
    """A coordinate reference system is missing, unknown or unfit for the operation."""


class DataError(SipAtlasError, ValueError):
    """A layer's data breaks the registry's schema or geometry rules."""
