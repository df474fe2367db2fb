"""Goals: what the client is working towards; `n`/`+` add, `e` edit (and mark achieved).

Like the Transformation Log, viewing, creating and updating goals need the "edit
transformation log" permission; without it the tab says so instead of showing data.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from frontdesk.views.profile import GoalView
from screens.profile_tabs.activity import cell, day
from screens.profile_tabs.transformation import GatedListTab
from screens.widgets.form import FormField, FormModal, Values


class GoalsTab(GatedListTab[GoalView]):
    """Open goals first (soonest target first), then achieved ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,plus", "add", "Add goal", id="profile.goals.add"),
        Binding("e", "edit", "Edit goal", id="profile.goals.edit"),
    ]
    NAME = "goals"
    WHAT = "goals"
    EMPTY = "No goals yet. Press n to add one."
    HELP = "n / + add a goal · e edit or mark achieved"

    def add_columns(self, table: DataTable[object]) -> None:
        table.add_column("Goal", width=30, key="title")
        table.add_column("Target", width=11, key="target")
        table.add_column("Status", width=8, key="status")
        table.add_column("Note", width=18, key="note")

    def cells(self, row: GoalView) -> tuple[object, ...]:
        return (
            cell(row.title),
            cell(day(row.target_date) if row.target_date else "—"),
            cell("Achieved" if row.achieved else "Open"),
            cell(row.note),
        )

    def detail(self, row: GoalView) -> str:
        return " ".join(row.note.split())

    async def fetch(self) -> tuple[GoalView, ...]:
        return await self.desk.profile.goals(self.client_id)

    def form(self, row: GoalView | None) -> FormModal[GoalView]:
        fields = [
            FormField("title", "Goal", row.title if row else ""),
            FormField(
                "target_date",
                "Target date (optional: YYYY-MM-DD or DD/MM/YYYY)",
                row.target_date.isoformat() if row and row.target_date else "",
            ),
        ]
        if row is not None:
            fields.append(FormField("achieved", "Achieved", row.achieved, kind="check"))
        fields.append(FormField("note", "Note", row.note if row else "", kind="text"))

        async def submit(values: Values) -> GoalView:
            title, note = str(values["title"]), str(values["note"])
            target = str(values["target_date"])
            if row is None:
                return await self.desk.profile.add_goal(
                    self.client_id, title, target_date=target, note=note
                )
            return await self.desk.profile.update_goal(
                row.id,
                title=title,
                target_date=target,
                achieved=bool(values["achieved"]),
                note=note,
            )

        title = "Edit goal" if row else "Add a goal"
        return FormModal(title, fields, submit, id="goals-form")
