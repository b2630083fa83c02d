"""A per-process cache of page figures keyed by the data version (``core.freshness``): an
import or a correction changes the key, so a page never shows figures older than its data."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from envbureau.core.freshness import data_version

T = TypeVar("T")


class PageCache:
    """A small per-process cache of page figures; one build at a time per key."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same key waits for the first build
            with self._lock:
                if key in self._data:
                    return self._data[key]
            value = build()
            with self._lock:
                self._data[key] = value
                self._building.pop(key, None)
                while len(self._data) > self._size:
                    self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


CACHE = PageCache()


def cached(session: Session, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """``build()`` once per ``key`` and data version."""
    return CACHE.get_or_build((*key, data_version(session)), build)
