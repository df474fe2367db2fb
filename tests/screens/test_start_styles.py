"""Each stylesheet source is parsed once on the way to today's rows (issue 19).

Textual takes a new screen's "never styled" count for stale CSS: it re-parses every
source (our sheets and every widget's default CSS) and restyles the app, and the next
parse starts from an emptied cache, so the app's sheet was parsed three times before
sign-in first showed. The start screen and the schedule are made already styled under
the stylesheet as it is. A count of parses, not a timing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
from textual.css.parse import parse as real_parse

from frontdesk.services.desk import Desk
from screens.app import FrontdeskApp
from screens.schedule import ScheduleScreen
from screens.sign_in import SignInScreen
from tests.screens.conftest import NOW, TERMINAL, TODAY
from tests.screens.test_sign_in_screen import People, people, signed_in_as
from tests.waiting import wait_until

__all__ = ["people"]  # the fixture, shared


async def test_the_app_s_sheets_are_parsed_once_up_to_the_schedule(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: Counter[str] = Counter()

    def counted(scope: str, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Iterable[Any]:
        parsed[str(read_from[0]).rsplit("/", 1)[-1]] += 1
        return real_parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr("textual.css.stylesheet.parse", counted)  # what it calls
    app = FrontdeskApp(
        lambda: Desk.open(people.url, terminal=TERMINAL), clock=lambda: NOW, today=TODAY
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, SignInScreen) and app.screen.desk is not None,
            what="sign-in",
        )
        assert parsed["app.tcss"] == 1, parsed
        await pilot.press(*str(people.desk), "enter", *"2468", "enter")
        await signed_in_as(pilot, people.desk)
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")
        await pilot.pause()
    assert parsed["app.tcss"] == 1 and parsed["schedule.tcss"] == 1, parsed
