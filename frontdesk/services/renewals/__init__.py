"""Membership renewals (issue 16, items 3-5): the run, the Select choice, past due.

`desk.renewals.run(on, gateway)` renews every active membership whose cycle has started
(`frontdesk renewals run`, from cron or a systemd timer); `choose(cycle_id, choice,
key=...)` makes a Select cycle's choice, once; `pending(client_id)` lists the choices
waiting. The run's use case is in `runs` (one renewal's steps in `run`), the choice in
`choice`; the rules a paid cycle follows (shared with the desk's MEMBERSHIP_RENEWAL
line) in `frontdesk.services.membership_cycles`.
"""

from __future__ import annotations

from frontdesk.services.renewals.choice import ChoiceCases
from frontdesk.services.renewals.runs import RunCases


class Renewals(RunCases, ChoiceCases):
    """`desk.renewals`: the run and the Select choice."""


__all__ = ["Renewals"]
