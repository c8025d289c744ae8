"""What is worked out from a live object (a layer's GeoDataFrame), kept while it lives.

A layer is never changed in place once shown (filters and scenarios make new frames), so a
value worked out from it stays right for as long as the object exists; it is dropped when the
object is collected, before its ``id`` can be reused.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ObjectMemo"]

V = TypeVar("V")


class ObjectMemo(Generic[V]):
    """One value per live object and ``key`` (the object's id -> (key, value)); a new key for
    the same object replaces its value."""

    def __init__(self) -> None:
        self._values: dict[int, tuple[Hashable, V]] = {}

    def get(self, obj: object, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``obj`` under ``key``, else ``make()``, kept from now on."""
        known = self._values.get(id(obj))
        if known is not None and known[0] == key:
            return known[1]
        value = make()
        if id(obj) not in self._values:
            weakref.finalize(obj, self._values.pop, id(obj), None)
        self._values[id(obj)] = (key, value)
        return value
