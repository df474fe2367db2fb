"""`frontdesk renewals run [--date YYYY-MM-DD] [--staff NUMBER]`: the daily renewal run,
for cron or a systemd timer. Safe to run any number of times a day: each membership's
cycle is charged and credited once.

The payments go through `frontdesk.services.payment_gateway.FakeGateway`, the demo and
test gateway (it approves every charge): a real provider is an object with the same
`charge(key, client_id, amount, currency)` given to `Renewals.run` instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from frontdesk.domain.errors import DomainError

RUN_HELP = "charge the memberships due and give their benefits (safe to run again)"


class RenewalsCliError(DomainError):
    """A bad option: one line, exit 2."""


def add_renewals_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    renewals = sub.add_parser("renewals", help="membership renewals")
    actions = renewals.add_subparsers(dest="renewals_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", parents=[common], help=RUN_HELP)
    run.add_argument("--date", metavar="YYYY-MM-DD", help="the run's date (default: today)")
    run.add_argument(
        "--staff",
        metavar="NUMBER",
        help="staff number the run is recorded as (default: the first active owner)",
    )


def run_date(text: str | None) -> dt.date:
    """--date as a calendar date; today when not given."""
    if text is None:
        return dt.date.today()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RenewalsCliError(
            "--date: a date as YYYY-MM-DD, e.g. 2026-12-01 (got a bad date)"
        ) from None


def staff_number(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise RenewalsCliError("--staff: a staff number, e.g. 1")
    return int(text)
