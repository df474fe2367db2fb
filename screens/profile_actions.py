"""The profile's money and booking keys, as actions (bindings: screens/profile_keys.py).

Each is refused with a reason where it can't be used: before the header is read, for a
travel member (read-only here), or without the permission; the services refuse it all
the same. One write at a time: a second key while a modal is up starts nothing.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from frontdesk.views.profile import ProfileHeader
from screens.benefit_choice import choose_benefit
from screens.profile_booking import book_from_profile
from screens.profile_header import travel_reason
from screens.profile_permissions import refused
from screens.profile_writes import (
    adjust_from_profile,
    merge_into_profile,
    pay_from_profile,
    sell_from_profile,
)
from screens.widgets import DeskScreen

if TYPE_CHECKING:
    from screens.adjust_balance import AdjustKind

WRITE: dict[str, Any] = {"group": "profile-write", "exclusive": True, "exit_on_error": False}


class ProfileActions(DeskScreen):
    """The client profile's keys that write or book (ClientProfileScreen builds on it)."""

    desk: Desk
    client_id: int
    location_id: int | None
    clock: Callable[[], dt.datetime]
    header: ProfileHeader | None = None
    may: frozenset[Perm] = frozenset()  # what the signed-in person may do

    @abstractmethod
    def reload_after_change(self, *, also: tuple[str, ...] = ()) -> None:
        """Re-read the header, Overview and the loaded tabs named in `also`."""

    @property
    def read_only_reason(self) -> str | None:
        header = self.header
        return travel_reason(header) if header is not None and header.travel_member else None

    def _still_loading(self) -> bool:
        if self.header is None:
            self.notify("The profile is still loading.", severity="warning")
            return True
        return False

    def _refused(self) -> bool:
        """True (and says why) when the balance keys can't be used here."""
        if self._still_loading():
            return True
        reason = self.read_only_reason
        if reason:
            self.notify(reason, title="Read-only", severity="warning")
            return True
        return False

    def action_adjust(self, kind: AdjustKind) -> None:
        if not self._refused() and not refused(self, self.may, Perm.ADJUST_BALANCES):
            self.run_worker(adjust_from_profile(self, kind), **WRITE)

    def action_choose_benefit(self) -> None:
        if not self._refused() and not refused(self, self.may, Perm.ADJUST_BALANCES):
            self.run_worker(choose_benefit(self), **WRITE)

    def action_pay_balance(self) -> None:
        if not self._refused() and not refused(self, self.may, Perm.TAKE_PAYMENTS):
            self.run_worker(pay_from_profile(self), **WRITE)

    def action_book(self) -> None:
        if not self._still_loading():
            self.run_worker(book_from_profile(self), **WRITE)

    def action_merge(self) -> None:
        if not self._still_loading() and not refused(self, self.may, Perm.MERGE_CLIENTS):
            self.run_worker(merge_into_profile(self), **WRITE)

    def action_sell(self) -> None:
        if not self._still_loading():
            sell_from_profile(self)
