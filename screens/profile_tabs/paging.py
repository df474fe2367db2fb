"""Paging shared by the profile tabs that show a long list 50 at a time (Activity,
Rewards, Contact History): the offsets, the "1–50 of 312" label, and PgDn/PgUp."""

from __future__ import annotations

from typing import Protocol

from textual import work

from screens.profile_tabs.base import ProfileTab


class Page(Protocol):
    @property
    def offset(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def total(self) -> int: ...


def page_label(offset: int, shown: int, total: int) -> str:
    """ "1–50 of 312"; "0 of 0" when there is nothing."""
    if total <= 0 or shown <= 0:
        return f"0 of {max(total, 0)}"
    return f"{offset + 1}–{offset + shown} of {total}"


def next_offset(offset: int, limit: int, total: int) -> int | None:
    return offset + limit if offset + limit < total else None


def prev_offset(offset: int, limit: int) -> int | None:
    return max(offset - limit, 0) if offset > 0 else None


class PagedTab(ProfileTab):
    """A tab that shows `self.page` and fetches another with `_fetch(offset)`. Its own
    BINDINGS map keys to `next_page` / `prev_page`; those are enabled only when there is a
    page to go to, and each turn runs in an exclusive worker (a fast PgDn never lands on
    an older page)."""

    page: Page | None = None

    async def _fetch(self, offset: int) -> None:
        raise NotImplementedError

    def after_turn(self) -> None:
        """Called once a turned page is shown."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        page = self.page
        if action == "next_page":
            return page is not None and next_offset(page.offset, page.limit, page.total) is not None
        if action == "prev_page":
            return page is not None and prev_offset(page.offset, page.limit) is not None
        return True

    def action_next_page(self) -> None:
        page = self.page
        if page is not None and (target := next_offset(page.offset, page.limit, page.total)):
            self._go(target)

    def action_prev_page(self) -> None:
        page = self.page
        if page is not None and (target := prev_offset(page.offset, page.limit)) is not None:
            self._go(target)

    @work(exclusive=True, group="profile-tab-page", exit_on_error=False)
    async def _go(self, offset: int) -> None:
        await self._fetch(offset)
        self.after_turn()
