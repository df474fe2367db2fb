"""Desks for tests: the real one, or one with an area swapped for a test double.

A fault-injecting double subclasses the one area it changes (`class BrokenSchedule(
Schedule)`); `open_desk(url, ..., areas={"schedule": BrokenSchedule})` puts it in the
place of that area, bound to the same context as the rest of the desk.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from frontdesk.services.area import Area
from frontdesk.services.desk import Desk

Areas = Mapping[str, type[Area]]
NO_AREAS: Areas = MappingProxyType({})


def with_areas(desk: Desk, areas: Areas) -> Desk:
    """`desk` with each named area replaced by the given subclass of it."""
    for name, area in areas.items():
        current = getattr(desk, name)
        assert isinstance(current, Area), f"desk.{name} is not an area"
        assert issubclass(area, type(current)), f"{area.__name__} is not a {type(current).__name__}"
        setattr(desk, name, area(desk.ctx))
    return desk


def open_desk(
    url: str, *, terminal: str, staff_id: int | None = None, areas: Areas = NO_AREAS
) -> Desk:
    return with_areas(Desk.open(url, terminal=terminal, staff_id=staff_id), areas)
