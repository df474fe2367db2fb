"""The sign-in screen the terminal starts on and locks back to, and the first owner's
form for a database nobody can sign in to yet (docs/rules.md#permissions, X3, X5).

Keyboard first: type a staff number (or pick a name with the arrows), Enter, the PIN,
Enter. A refusal is one message that never says which part was wrong.

The sign-in screen is the app's first frame, drawn before the database is open: it
imports Textual and the domain's roles only (the services and read models are for type
checking here). Until the app hands it the desk (`ready`) the fields take typing as
usual and a PIN's Enter is held, then sent once the desk is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.errors import DomainError, ValidationError, describe
from frontdesk.domain.permissions import Role, role_of
from screens.widgets.footer import SteadyFooter
from screens.widgets.form import enter_moves_on, show_line
from screens.widgets.header import DeskScreen

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk
    from frontdesk.views.staff import SignedIn, TeamMember

FIRST_OWNER_FIELDS = ("first-owner-name", "first-owner-pin", "first-owner-again")


class SignedInMessage(Message):
    """Someone signed in (or the first owner was made): the app opens their desk."""

    def __init__(self, member: SignedIn) -> None:
        super().__init__()
        self.member = member


class SignInScreen(DeskScreen):
    """Who is at the terminal: staff number or name, then PIN."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "start_over", "Start over", id="sign_in.start_over"),
    ]

    def __init__(self, desk: Desk | None, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(classes="sign-in")
        self.desk = desk  # None until the app has opened and checked the database
        self._clock = clock
        self.roster: tuple[TeamMember, ...] = ()
        self.busy = False
        self._held: tuple[str, str] | None = None  # a sign-in sent before the desk was

    def compose(self) -> ComposeResult:
        yield self.desk_header(self._clock)
        with Vertical(id="sign-in-box"):
            yield Static(Content("Sign in"), id="sign-in-title")
            yield Static(
                Content("Staff number (or pick your name), Enter, PIN, Enter. ^L locks again."),
                id="sign-in-help",
            )
            yield Input(placeholder="Staff number or name", id="sign-in-who", max_length=120)
            yield Input(placeholder="PIN", password=True, id="sign-in-pin", max_length=12)
            yield Static(id="sign-in-message", classes="field-error")
            yield OptionList(id="sign-in-staff")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sign-in-staff", OptionList).loading = True
        self.query_one("#sign-in-who", Input).focus()
        if self.desk is not None:
            self.load_roster()

    def ready(self, desk: Desk) -> None:
        """The database is open and checked: the list loads, a held sign-in is sent."""
        self.desk = desk
        self.load_roster()
        if self._held is not None:
            (who, pin), self._held = self._held, None
            self.try_sign_in(who, pin)

    @work(exclusive=True, group="sign-in-roster", exit_on_error=False)
    async def load_roster(self) -> None:
        staff = self.query_one("#sign-in-staff", OptionList)
        if self.desk is None:
            return  # `ready` loads it
        try:
            self.roster = tuple(m for m in await self.desk.team.roster() if m.has_pin)
        except Exception as exc:
            self._say(f"Staff list not loaded: {describe(exc)}")
            return
        finally:
            staff.loading = False
        staff.set_options(
            Option(Content(f"{m.number:>4}  {m.name}  · {role_of(m.role).label}"), id=str(m.number))
            for m in self.roster
        )

    def start_over(self) -> None:
        """Back to an empty form (the terminal was locked, or Esc)."""
        self.busy = False
        self._held = None
        for field in self.query(Input).results(Input):
            field.value = ""
        self._say("")
        self.query_one("#sign-in-who", Input).focus()
        self.load_roster()  # a PIN set or a lock cleared since shows up

    def action_start_over(self) -> None:
        self.start_over()

    def enter_moves_focus(self, event: events.Key) -> bool:
        return enter_moves_on(self, event, ("sign-in-who", "sign-in-pin"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#sign-in-who", Input).value = event.option.id or ""
        self.query_one("#sign-in-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        who = self.query_one("#sign-in-who", Input)
        if event.input.id == "sign-in-who":
            if who.value.strip():
                self.query_one("#sign-in-pin", Input).focus()
            else:
                self._say("Type your staff number or name, or pick it below")
            return
        if not who.value.strip():
            who.focus()
            self._say("Type your staff number or name first")
            return
        if not self.busy:
            self.busy = True
            self._say("Checking…", error=False)
            if self.desk is None:
                self._held = (who.value, event.value)
            else:
                self.try_sign_in(who.value, event.value)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def try_sign_in(self, who: str, pin: str) -> None:
        pin_field = self.query_one("#sign-in-pin", Input)
        assert self.desk is not None  # held until `ready` otherwise
        try:
            member = await self.desk.sign_in.sign_in(who, pin)
        except DomainError as exc:
            self.busy = False
            pin_field.value = ""
            pin_field.focus()
            self._say(str(exc))
            return
        except Exception as exc:
            self.busy = False
            self._say(f"Not signed in: {describe(exc)}")
            return
        self.post_message(SignedInMessage(member))

    def _say(self, text: str, *, error: bool = True) -> None:
        line = self.query_one("#sign-in-message", Static)
        show_line(line, text, error=error)
        line.set_class(not error, "-info")


class FirstOwnerScreen(DeskScreen):
    """Nobody can sign in to this database yet: make its first owner."""

    def __init__(self, desk: Desk, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(classes="first-owner")
        self.desk = desk
        self._clock = clock
        self.busy = False

    def compose(self) -> ComposeResult:
        yield self.desk_header(self._clock)
        with Vertical(id="sign-in-box"):
            yield Static(Content("Welcome: who owns this desk?"), id="sign-in-title")
            yield Static(
                Content(
                    f"Nobody can sign in yet. You will be the first {Role.OWNER.value}; "
                    "add the others with `frontdesk staff add`."
                ),
                id="first-owner-help",
            )
            yield Input(placeholder="Your name", id="first-owner-name", max_length=120)
            yield Input(placeholder="PIN (4-12 digits)", password=True, id="first-owner-pin")
            yield Input(placeholder="PIN again", password=True, id="first-owner-again")
            yield Static(id="sign-in-message", classes="field-error")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#first-owner-name", Input).focus()

    def enter_moves_focus(self, event: events.Key) -> bool:
        return enter_moves_on(self, event, FIRST_OWNER_FIELDS)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = list(FIRST_OWNER_FIELDS)
        index = order.index(event.input.id or order[0])
        if index < len(order) - 1:
            self.query_one(f"#{order[index + 1]}", Input).focus()
            return
        name, pin, again = (self.query_one(f"#{i}", Input).value for i in order)
        if pin != again:
            self._refuse("first-owner-again", "The two PINs differ: type it again")
            return
        if not self.busy:
            self.busy = True
            self.make_owner(name, pin)

    @work(exclusive=True, group="first-owner", exit_on_error=False)
    async def make_owner(self, name: str, pin: str) -> None:
        try:
            member = await self.desk.team.add_first_owner(name, pin)
        except ValidationError as exc:
            self.busy = False
            field = "first-owner-name" if exc.field == "name" else "first-owner-pin"
            self._refuse(field, str(exc))
            return
        except Exception as exc:
            self.busy = False
            show_line(self.query_one("#sign-in-message", Static), describe(exc), error=True)
            return
        self.post_message(SignedInMessage(member))

    def _refuse(self, field: str, text: str) -> None:
        if field != "first-owner-name":  # both PINs again, from the first
            self.query_one("#first-owner-pin", Input).value = ""
            self.query_one("#first-owner-again", Input).value = ""
            field = "first-owner-pin"
        self.query_one(f"#{field}", Input).focus()
        show_line(self.query_one("#sign-in-message", Static), text, error=True)
