"""What the footer shows and what the command palette offers, for the palette and
footer-permission tests: the real `FrontdeskApp` (its `get_system_commands`), opened on
the profile clinic as one staff member, with a client's profile pushed over the schedule.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.fuzzy import Matcher
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from screens.app import FrontdeskApp
from screens.profile import ClientProfileScreen
from screens.widgets.section_bar import SectionBar
from tests.desks import open_desk
from tests.screens.profile_fixtures import NOW, section_shown, tab_ready
from tests.waiting import wait_until

SIZE = (80, 24)
# Textual's own commands the palette keeps beside the bindings (screens/palette.py).
KEYS_PANEL = "Keys"


def desk_app(url: str, staff_id: int) -> FrontdeskApp:
    return FrontdeskApp(
        lambda: open_desk(url, terminal="desk-1", staff_id=staff_id),
        clock=lambda: NOW,
        today=NOW.date(),
    )


async def open_profile(pilot: Pilot[int], client_id: int, location_id: int) -> None:
    """From the schedule, the client's profile as seen at `location_id`, on Overview."""
    app = pilot.app
    assert isinstance(app, FrontdeskApp)
    await wait_until(pilot, lambda: app.member is not None, what="signed in")
    await app.push_screen(
        ClientProfileScreen(app.desk, client_id, location_id=location_id, clock=app.clock)
    )
    await wait_until(pilot, lambda: tab_ready(app, "overview"), what="the profile on Overview")
    await footer_settled(pilot)


async def open_tab(pilot: Pilot[int], key: str, pane_id: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: tab_ready(pilot.app, pane_id), what=f"the {pane_id} tab")
    await footer_settled(pilot)


async def open_section(pilot: Pilot[int], section: str) -> None:
    """The Account tab's `section` (acct-wallet, acct-prepaid…), shown and loaded."""
    app = pilot.app
    app.screen.query_one("#account-sections", SectionBar).active = section
    await wait_until(pilot, lambda: section_shown(app, section), what=f"the {section} section")
    await footer_settled(pilot)


def footer_keys(app: App[Any]) -> list[FooterKey]:
    """The keys the footer on screen shows (the command palette's own key left out)."""
    return [k for k in app.screen.query(FooterKey) if not k.has_class("-command-palette")]


def footer_matches_bindings(app: App[Any]) -> bool:
    """The footer has been rebuilt from the bindings in effect now."""
    shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
    return {k.action for k in footer_keys(app)} == shown


async def footer_settled(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: footer_matches_bindings(pilot.app), what="the footer rebuilt")


def footer_bindings(app: App[Any]) -> list[Binding]:
    """The bindings the footer shows: in effect and `show`."""
    return [b.binding for b in app.screen.active_bindings.values() if b.binding.show]


def palette(app: FrontdeskApp) -> list[SystemCommand]:
    return list(app.get_system_commands(app.screen))


def titles(app: FrontdeskApp) -> set[str]:
    return {command.title for command in palette(app)}


def finds(title: str, word: str) -> bool:
    """Typing `word` in the palette finds `title` (the palette's own matcher); an
    abbreviation's dot ("Pay bal.") is not typed."""
    return Matcher(word.rstrip(".")).match(title) > 0


def offered_by_palette(app: FrontdeskApp, binding: Binding) -> bool:
    """The palette has an entry that typing the footer's word finds, naming its key."""
    key = app.get_key_display(binding)
    return any(
        finds(command.title, binding.description) and key in command.help
        for command in palette(app)
    )


def actions_offered(app: App[Any]) -> set[str]:
    """Every action a binding in effect offers (shown or not), by its binding id."""
    return {b.binding.id for b in app.screen.active_bindings.values() if b.binding.id}
