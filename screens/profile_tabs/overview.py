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
        # Filled before it is mounted (the profile's opening read), it composes with its
        # words: no second layout pass for them (issue 19).
        texts = self._texts()
        with VerticalScroll(id="overview-scroll"):
            # Balances first: at 80x24 they are what the desk acts on, without scrolling.
            yield Static(Content("Client Balances"), classes="section-title")
            yield Static(texts["balances"], id="overview-balances", classes="section-body")
            yield Static(Content("Upcoming appointments"), classes="section-title")
            yield Static(texts["upcoming"], id="overview-upcoming", classes="section-body")
            yield Static(Content("Contact"), classes="section-title")
            yield Static(texts["contact"], id="overview-contact", classes="section-body")
            yield Static(texts["hints"], id="overview-hints", classes="section-hint")

    async def load(self) -> None:
        summary = await self.desk.clients.summary(self.client_id)
        upcoming = await self.desk.profile.upcoming_appointments(self.client_id, self.clock())
        self.show(summary, upcoming)

    def show(self, summary: ClientSummary, upcoming: tuple[AppointmentView, ...]) -> None:
        """Fill the tab from rows already read (the profile's opening read, or `load`);
        before it is composed, its compose shows them."""
        self.summary = summary
        self.upcoming = upcoming
        if not self.query("#overview-balances"):
            return
        for name, text in self._texts().items():
            self.query_one(f"#overview-{name}", Static).update(text)

    def _texts(self) -> dict[str, Content]:
        """Each section's words (all empty before the rows are read)."""
        summary = self.summary
        if summary is None:
            return dict.fromkeys(("contact", "upcoming", "balances", "hints"), Content(""))
        upcoming = self.upcoming
        upcoming_text = (
            "\n".join(appointment_line(a) for a in upcoming)
            if upcoming
            else "No upcoming appointments."
        )
        hints = HINTS
        if self.read_only_reason:
            hints = f"{self.read_only_reason}\n{BOOK_SELL}"
        return {
            "contact": Content(contact_text(summary)),
            "upcoming": Content(upcoming_text),
            "balances": Content(balances_text(summary)),
            "hints": Content(hints),
        }
