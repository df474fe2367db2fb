"""The Use/Buy rule for banked add-on units (Botox units and the like) on an appointment.

When an appointment needs add-on units, staff see two numbers: **Use** (units the client
already owns, taken from their bank) and **Buy** (new units sold with this appointment).
The rule (docs/rules.md#use-and-buy):

* Opening the picker: Use = min(owned, required), Buy = the rest.
  Own 10, need 15 -> Use 10 / Buy 5. Own 0, need 1 -> Use 0 / Buy 1.
* Typing Use beyond what is owned moves the excess to Buy:
  own 10, type Use 12 -> Use 10 / Buy 2.
* Typing Buy sets Buy and clamps Use to what is owned.
* If another terminal spends some of the client's units first (a ``Conflict``), the split
  is re-clamped to the fresh count and the shortfall moves to Buy, keeping the total.

Invariant after every step: 0 <= use <= owned and buy >= 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class AddonSplit:
    """How the units an appointment needs are covered: ``use`` from the bank, ``buy`` new."""

    owned: int
    use: int
    buy: int

    def __post_init__(self) -> None:
        _non_negative("owned", self.owned)
        _non_negative("use", self.use)
        _non_negative("buy", self.buy)
        if self.use > self.owned:
            raise ValidationError("use", f"The client owns only {self.owned} units")

    @property
    def required(self) -> int:
        """Units the appointment will consume in total."""
        return self.use + self.buy


def _non_negative(field: str, value: int) -> None:
    if value < 0:
        raise ValidationError(field, f"{field.capitalize()} must not be negative")


def open_split(owned: int, required: int) -> AddonSplit:
    """The split shown when staff first add the product: spend owned units first."""
    _non_negative("owned", owned)
    _non_negative("required", required)
    use = min(owned, required)
    return AddonSplit(owned=owned, use=use, buy=required - use)


def type_use(split: AddonSplit, use: int) -> AddonSplit:
    """Staff typed ``use``: any units beyond what the client owns have to be bought."""
    _non_negative("use", use)
    if use <= split.owned:
        return AddonSplit(owned=split.owned, use=use, buy=split.buy)
    return AddonSplit(owned=split.owned, use=split.owned, buy=use - split.owned)


def type_buy(split: AddonSplit, buy: int) -> AddonSplit:
    """Staff typed ``buy``: Buy is taken as typed and Use never exceeds what is owned.

    With ``AddonSplit``'s invariant the clamp cannot change Use; it is kept so the rule
    reads as specified and stays right if the invariant is ever relaxed.
    """
    _non_negative("buy", buy)
    return AddonSplit(owned=split.owned, use=min(split.use, split.owned), buy=buy)


def step(split: AddonSplit, field: str, delta: int) -> AddonSplit:
    """Staff pressed ``+`` or ``-`` on Use or Buy: one unit more or fewer of that field.

    ``+`` on Use with every owned unit already used adds the extra unit to Buy (the total
    goes up by one). Typing the number instead follows ``type_use``, where Use 11 of 10
    owned means Buy 1; stepping from Buy 5 must not fall back to Buy 1.
    """
    if field == "use":
        if delta > 0 and split.use >= split.owned:
            return type_buy(split, split.buy + delta)
        return type_use(split, max(0, split.use + delta))
    if field == "buy":
        return type_buy(split, max(0, split.buy + delta))
    raise ValidationError(field, "Only Use and Buy can be stepped")


def with_owned(split: AddonSplit, owned: int) -> AddonSplit:
    """Re-fit ``split`` to a fresh owned count (after a ``Conflict``), keeping the total.

    Units the client no longer owns move from Use to Buy, so the appointment still gets
    what it needs and staff see exactly how much more is now being sold.
    """
    _non_negative("owned", owned)
    use = min(split.use, owned)
    return AddonSplit(owned=owned, use=use, buy=split.buy + (split.use - use))
