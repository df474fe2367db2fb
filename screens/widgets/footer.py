"""Every desk screen's footer: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's `Footer` recomposes on every `bindings_updated` signal (a focus move, each
`refresh_bindings`), once per signal even when several arrive before the next refresh.
Opening a profile sends about eight (the header, the tabs mounting, focus moving into
Overview): eight footers of ~25 keys built, styled and laid out for the one the user
sees, about a third of the open's CPU (issue 19). This one coalesces the signals into
one check after the refresh and rebuilds only if the shown keys differ. The same
signals arrive on every screen switch (sign-in to the schedule, the till, the picker), so
every screen uses it. A desk screen whose keys wait on a read (`keys_settled` False: the
profile before its header) gets its footer once the read is in: one build, not two.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from screens.widgets.header import DeskScreen


class SteadyFooter(Footer):
    """A `Footer` that recomposes at most once per refresh, and only for a new key set."""

    _shown: Hashable | None = None  # what the last compose showed
    _pending = False

    def _keys_shown(self) -> Hashable:
        """Everything `Footer.compose` reads from the bindings, as one comparable value."""
        keys = [
            (
                binding.key,
                binding.action,
                binding.description,
                binding.key_display,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]
        return (*keys, (self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE))

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys_shown()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached or self._keys_shown() == self._shown:
            return
        screen = self.screen
        if isinstance(screen, DeskScreen) and not screen.keys_settled:
            return  # built when they settle (the screen refreshes its bindings then)
        await self.recompose()
