"""The benchmark command's pure parts: A/B interleaving, min/median/max, ratios, goals,
the printed table and the JSON. No timing happens here, so the default test run checks
all of it (tests/house/test_benchmark_harness.py)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

A = TypeVar("A")
B = TypeVar("B")

# ratio_max: ours/base at most `value`; ratio_min: at least; max/min: ours' median alone.
GoalKind = Literal["ratio_max", "ratio_min", "max", "min"]


@dataclass(frozen=True)
class Goal:
    kind: GoalKind
    value: float

    def text(self, unit: str) -> str:
        if self.kind == "ratio_max":
            return f"≤ {self.value:g}×"
        if self.kind == "ratio_min":
            return f"≥ {self.value:g}×"
        return f"{'≤' if self.kind == 'max' else '≥'} {self.value:g} {unit}"


@dataclass(frozen=True)
class Spread:
    low: float
    median: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no values")
        return cls(min(values), statistics.median(values), max(values))


@dataclass
class Figure:
    """One line of the table: our side and (maybe) its baseline, measured in one run."""

    measure: str
    unit: str
    ours: list[float]
    base: list[float] = field(default_factory=list)
    base_label: str = ""
    goal: Goal | None = None
    note: str = ""

    def ratio(self) -> float | None:
        """ours' median over the baseline's; None without a baseline or when it is 0."""
        if not self.base or not self.ours:
            return None
        base = Spread.of(self.base).median
        return None if base == 0 else Spread.of(self.ours).median / base

    def met(self) -> bool | None:
        if self.goal is None or not self.ours:
            return None
        if self.goal.kind in ("max", "min"):
            value: float | None = Spread.of(self.ours).median
        else:
            value = self.ratio()
        if value is None:
            return None
        return (
            value <= self.goal.value if self.goal.kind.endswith("max") else value >= self.goal.value
        )

    def as_json(self) -> dict[str, Any]:
        def side(values: list[float]) -> dict[str, Any] | None:
            if not values:
                return None
            s = Spread.of(values)
            return {"values": values, "min": s.low, "median": s.median, "max": s.high}

        return {
            "measure": self.measure,
            "unit": self.unit,
            "ours": side(self.ours),
            "baseline": side(self.base),
            "baseline_label": self.base_label,
            "ratio": self.ratio(),
            "goal": None if self.goal is None else self.goal.text(self.unit),
            "met": self.met(),
            "note": self.note,
        }


def interleaved(
    rounds: int, ours: Callable[[], A], base: Callable[[], B]
) -> tuple[list[A], list[B]]:
    """`rounds` of A and B one after the other, the order swapped every round, so a
    machine that gets busier or quieter during the run weighs on both sides alike."""
    a: list[A] = []
    b: list[B] = []
    for n in range(rounds):
        if n % 2 == 0:
            a.append(ours())
            b.append(base())
        else:
            b.append(base())
            a.append(ours())
    return a, b


def number(value: float) -> str:
    """Three significant figures at most, no exponent: 0.123, 12.3, 1234."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def spread_text(values: list[float], unit: str) -> str:
    if not values:
        return "—"
    s = Spread.of(values)
    return f"{number(s.low)} / {number(s.median)} / {number(s.high)} {unit}"


def table(figures: Sequence[Figure]) -> str:
    """Two lines a figure, within 80 columns: the measure, ratio, goal and verdict; then
    min / median / max of both sides."""
    lines = [
        f"{'measure':<44} {'ratio':>7}  {'goal':<14} {'met':<4}",
        "  ours: min / median / max          baseline: min / median / max",
        "-" * 79,
    ]
    for f in figures:
        ratio = f.ratio()
        met = f.met()
        verdict = "—" if met is None else ("yes" if met else "NO")
        goal = "—" if f.goal is None else f.goal.text(f.unit)
        ratio_text = "—" if ratio is None else f"{number(ratio)}×"
        lines.append(f"{f.measure[:44]:<44} {ratio_text:>7}  {goal:<14} {verdict:<4}")
        base = f"{f.base_label}: {spread_text(f.base, f.unit)}" if f.base_label else ""
        lines.append(f"  {spread_text(f.ours, f.unit):<33} {base}"[:79].rstrip())
        if f.note:
            lines.append(f"  ({f.note})"[:79])
    return "\n".join(lines)


def write_json(path: Path, figures: Sequence[Figure], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"meta": meta, "figures": [f.as_json() for f in figures]}
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
