"""Overview: contact details, upcoming appointments and Client Balances.

Rules: docs/rules.md#client-profile and #account-balance.

Client Balances shows the account balance in words ("Credit £20.00" / "Owes £30.00"),
the Beauty Bank's Available Balance, banked product units and prepaid visits, with the
keys that act on them (the profile screen owns those keys).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from frontdesk.views import AppointmentView, ClientSummary
from frontdesk.views.changes import APPOINTMENTS, BALANCES, CLIENTS, MEMBERSHIPS
from screens.adjust_balance import account_words, signed_money
from screens.profile_tabs.base import ProfileTab

BOOK_SELL = "Keys: k Book · s Sell"
HINTS = f"{BOOK_SELL} · y Pay Balance\n      b Adjust Beauty Bank · a Adjust Balance"


def appointment_line(appointment: AppointmentView) -> str:
    when = appointment.starts_at
    return (
        f"{when:%a} {when.day} {when:%b %Y} {when:%H:%M} · {appointment.service_name}"
        f" · {appointment.staff_name} · {appointment.status.replace('_', ' ')}"
    )


def balances_text(summary: ClientSummary) -> str:
    money = summary.money
    lines = [
        f"Account balance: {account_words(summary.account_balance, money)}",
        f"Beauty Bank Available Balance: {signed_money(summary.wallet_balance, money)}",
    ]
    if summary.banked:
        banked = ", ".join(
            f"{b.product_name} {b.units} {b.unit_name}{'' if b.units == 1 else 's'}"
            for b in summary.banked
        )
        lines.append(f"Banked products: {banked}")
    else:
        lines.append("Banked products: none")
    if summary.prepaid:
        prepaid = ", ".join(
            f"{p.service_name} {p.visits} visit{'' if p.visits == 1 else 's'}"
            for p in summary.prepaid
        )
        lines.append(f"Prepaid services: {prepaid}")
    else:
        lines.append("Prepaid services: none")
    return "\n".join(lines)


def contact_text(summary: ClientSummary) -> str:
    birthday = summary.birthday
    lines = [
        f"Phone: {summary.phone or '—'}",
        f"Email: {summary.email or '—'}",
        f"Birthday: {f'{birthday.day} {birthday:%B %Y}' if birthday else '—'}",
    ]
    active = [m for m in summary.memberships if m.status == "active"]
    if active:
        lines.append("Membership: " + ", ".join(m.plan_name for m in active))
    if summary.notes:
        lines.append(f"Notes: {summary.notes}")
    return "\n".join(lines)


class OverviewTab(ProfileTab):
    """Contact, upcoming appointments and Client Balances, read-only."""

    LIVE_TABLES = BALANCES | {APPOINTMENTS, CLIENTS, MEMBERSHIPS}
    summary: ClientSummary | None = None
    upcoming: tuple[AppointmentView, ...] = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-scroll"):
            # Balances first: at 80x24 they are what the desk acts on, without scrolling.
            yield Static(Content("Client Balances"), classes="section-title")
            yield Static(id="overview-balances", classes="section-body")
            yield Static(Content("Upcoming appointments"), classes="section-title")
            yield Static(id="overview-upcoming", classes="section-body")
            yield Static(Content("Contact"), classes="section-title")
            yield Static(id="overview-contact", classes="section-body")
            yield Static(id="overview-hints", classes="section-hint")

    async def load(self) -> None:
        summary = await self.desk.clients.summary(self.client_id)
        upcoming = await self.desk.profile.upcoming_appointments(self.client_id, self.clock())
        self.summary = summary
        self.upcoming = upcoming
        self.query_one("#overview-contact", Static).update(Content(contact_text(summary)))
        upcoming_text = (
            "\n".join(appointment_line(a) for a in upcoming)
            if upcoming
            else "No upcoming appointments."
        )
        self.query_one("#overview-upcoming", Static).update(Content(upcoming_text))
        self.query_one("#overview-balances", Static).update(Content(balances_text(summary)))
        hints = HINTS
        if self.read_only_reason:
            hints = f"{self.read_only_reason}\n{BOOK_SELL}"
        self.query_one("#overview-hints", Static).update(Content(hints))
