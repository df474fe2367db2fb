"""A client with something in every profile tab, one with nothing, and a host app for ONE tab.

Rows go in through the services where a use case exists (notifications, links, contacts,
documents, points) and through `tests/services/factories.py` or Core inserts otherwise.
`TabHost` opens its `Desk` in its own event loop, mounts the tab in an area the size
of the profile's tab pane (78x18 inside 80x24), calls `load()` in an exclusive worker with
the loading indicator on (as the profile screen does) and records the messages it posts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import ClassVar

from sqlalchemy import insert
from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment, Client, Prize, StaffPermission
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.low_spec import SteadyCursor
from screens.profile_tabs.base import ProfileTab
from screens.widgets.form import TABS_CSS
from tests.services.factories import (
    make_appointment,
    make_client,
    make_location,
    make_service,
    make_staff,
    make_store,
)
from tests.waiting import wait_until

SIZE = (80, 24)
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 41)
MARKUP_FIRST = "[b]Bold[/b]"
MARKUP_LAST = "[@click=app.quit]x"
BOOKINGS = 62  # more than one page of activity (50)


@dataclass(frozen=True)
class Profile:
    home: int  # the client's home location
    away: int  # another location: the client is a travel member there
    desk: int  # staff without the transformation-log permission
    coach: int  # staff with "edit_transformation_log"
    client: int  # something in every tab
    empty: int  # nothing anywhere
    markup: int  # a client whose name is markup
    partner: int  # linked to `client` as partner
    prizes: tuple[int, int]  # (cheap, dear)


async def build_profile(ctx: ServiceContext) -> Profile:
    await make_store(ctx, business_name="Glow Clinic")
    home = await make_location(ctx, name="Marylebone")
    away = await make_location(ctx, name="Soho")
    desk = await make_staff(ctx, name="Dee Desk", role="front_desk", location_id=home.id)
    coach = await make_staff(ctx, name="Cara Coach", role="therapist", location_id=home.id)
    client = await make_client(
        ctx,
        first_name="Amelia",
        last_name="Hart",
        phone="07700 900001",
        email="amelia@example.com",
        client_number="C000001",
    )
    empty = await make_client(ctx, first_name="Nell", last_name="Empty", client_number="C000002")
    markup = await make_client(
        ctx, first_name=MARKUP_FIRST, last_name=MARKUP_LAST, client_number="C000003"
    )
    partner = await make_client(ctx, first_name="Pat", last_name="Hart", client_number="C000004")
    await make_client(ctx, first_name="Gina", last_name="Hartley", client_number="C000005")
    facial = await make_service(ctx, name="Signature Facial", price_minor=9000)
    async with ctx.transaction() as s:
        s.add(StaffPermission(staff_id=coach.id, permission="edit_transformation_log"))
        for cid in (client.id, empty.id, markup.id, partner.id):
            row = await s.get(Client, cid)
            assert row is not None
            row.home_location_id = home.id
        await s.execute(
            insert(Appointment),
            [
                {
                    "client_id": client.id,
                    "service_id": facial.id,
                    "staff_id": coach.id,
                    "location_id": home.id,
                    "starts_at": dt.datetime(2026, 6, 1, 10) + dt.timedelta(days=i),
                    "ends_at": dt.datetime(2026, 6, 1, 11) + dt.timedelta(days=i),
                    "status": "booked",
                    "created_at": dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i),
                }
                for i in range(BOOKINGS)
            ],
        )
    # Attendance: two visits at home (one unpaid), one at Soho, a no-show, a cancellation.
    for start, status, loc in (
        (dt.datetime(2026, 11, 2, 10), "completed", home.id),
        (dt.datetime(2026, 11, 9, 10), "completed", home.id),
        (dt.datetime(2026, 11, 10, 12), "completed", away.id),
        (dt.datetime(2026, 11, 12, 12), "no_show", home.id),
        (dt.datetime(2026, 11, 13, 12), "cancelled", home.id),
    ):
        await make_appointment(
            ctx,
            client_id=client.id,
            service_id=facial.id,
            staff_id=coach.id,
            location_id=loc,
            starts_at=start,
            status=status,
        )
    as_coach = Desk(ctx.as_staff(coach.id))
    await as_coach.profile.set_notification(client.id, "sms", "news", False)
    await as_coach.profile.link_client(client.id, partner.id, "partner")
    await as_coach.profile.link_client(client.id, markup.id, "family")
    await as_coach.profile.log_contact(client.id, "call", "Confirmed Friday's facial")
    await as_coach.profile.log_contact(client.id, "email", "Sent aftercare [b]notes[/b]")
    await as_coach.profile.add_document(client.id, "Medical history form", "form")
    await as_coach.profile.add_document(client.id, "Botox consent", "consent")
    await as_coach.profile.earn_points(client.id, 40, "visit", "Points for a visit")
    await as_coach.profile.earn_points(client.id, 30, "spend", "Points for spend")
    await as_coach.profile.add_transformation_entry(client.id, "2026-10-01", "Starting weight 70kg")
    await as_coach.profile.add_goal(
        client.id, "Run a 10k", target_date="2027-03-01", note="Spring race"
    )
    async with ctx.transaction() as s:
        cheap = Prize(name="SPF 50 mini", points_cost=50, active=True)
        dear = Prize(name="Brow Shape & Tint", points_cost=250, active=True)
        s.add_all([cheap, dear])
        await s.flush()
        prize_ids = (cheap.id, dear.id)
    return Profile(
        home=home.id,
        away=away.id,
        desk=desk.id,
        coach=coach.id,
        client=client.id,
        empty=empty.id,
        markup=markup.id,
        partner=partner.id,
        prizes=prize_ids,
    )


async def build_profile_at(url: str) -> Profile:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return await build_profile(ctx)
    finally:
        await ctx.dispose()


TabFactory = Callable[[Desk], ProfileTab]


class TabHost(SteadyCursor, App[None]):
    """Mounts ONE tab where the profile screen would, loads it, and records its messages."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [TABS_CSS]
    CSS = """
    #host-top { height: 4; }
    #host-area { height: 18; border-top: solid $primary; }
    """

    def __init__(self, url: str, make_tab: TabFactory, *, staff_id: int | None = None) -> None:
        super().__init__()
        self._url = url
        self._make_tab = make_tab
        self._staff_id = staff_id
        self._desk: Desk | None = None
        self.changed: list[int] = []
        self.opened: list[int] = []
        self.loads = 0  # finished `load()`s

    def today(self) -> dt.date:
        return TODAY

    def clock(self) -> dt.datetime:
        return NOW

    @property
    def desk(self) -> Desk:
        assert self._desk is not None, "services open when the app mounts"
        return self._desk

    @property
    def tab(self) -> ProfileTab:
        tab = self.query_one("#host-area").children[0]
        assert isinstance(tab, ProfileTab), tab
        return tab

    def compose(self) -> ComposeResult:
        yield Static(Content("Amelia Hart · C000001\nOverview  Details  …"), id="host-top")
        yield Vertical(id="host-area")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self._desk = Desk.open(self._url, terminal="test", staff_id=self._staff_id)
        tab = self._make_tab(self._desk)
        await self.query_one("#host-area").mount(tab)
        self.reload()

    @work(exclusive=True, group="host-load")
    async def reload(self) -> None:
        tab = self.tab
        if self._staff_id is not None and not tab.may:
            # What the profile tells its tabs (desk.staff.mine()): the keys follow it.
            tab.may = await self.desk.staff.mine()
            tab.refresh_bindings()
        tab.loading = True
        try:
            await tab.load()
        finally:
            tab.loading = False
        self.loads += 1

    async def on_unmount(self) -> None:
        if self._desk is not None:
            await self._desk.close()

    @on(ProfileTab.Changed)
    def _changed(self, event: ProfileTab.Changed) -> None:
        self.changed.append(event.client_id)

    @on(ProfileTab.OpenClient)
    def _open(self, event: ProfileTab.OpenClient) -> None:
        self.opened.append(event.client_id)


async def tab_loaded(pilot: Pilot[None]) -> None:
    """Wait until the host's tab has finished its first `load()`."""
    app = pilot.app
    assert isinstance(app, TabHost)
    await wait_until(pilot, lambda: app.loads > 0 and not app.tab.loading, what="the tab, loaded")


def text_of(app: App[None], selector: str) -> str:
    """What a Static shows, as plain text (the active screen)."""
    return str(app.screen.query_one(selector, Static).render())


def shown(app: App[None], selector: str) -> bool:
    widget = app.screen.query_one(selector)
    return widget.display and widget.has_class("-shown")


async def type_into(pilot: Pilot[None], box: Input, text: str) -> None:
    """Focus the field, select what is there and type over it, key by key."""
    box.focus()
    await pilot.pause()
    box.select_all()
    if text:
        await pilot.press(*text)
    else:
        await pilot.press("backspace")
    await pilot.pause()
