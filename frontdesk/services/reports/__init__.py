"""Reports (issue 17): `desk.reports`, read only, each needing the reports permission.

Thin on purpose: each report's use cases live in their own module as an `Area` mixin
(`day.DayReportCases`: the day report); another report adds its module and its mixin to
`Reports`' bases.
"""

from __future__ import annotations

from frontdesk.services.reports.day import DayReportCases
from frontdesk.services.reports.operator import ReporterCases
from frontdesk.services.reports.takings import TakingsCases


class Reports(DayReportCases, ReporterCases, TakingsCases):
    """`desk.reports`: `day(on, location_id)`, `find_location(text)`, `takings_by_day(first, last,
    location_id)` for the screen's chart, and `reporter(number)` for the command line."""


__all__ = ["Reports"]
