"""The Use/Buy rule for banked add-on units (Botox units and the like) on an appointment.

When an appointment needs add-on units, staff see two numbers: **Use** (units the client
already owns, taken from their bank) and **Buy** (new units sold with this appointment).
The rule (docs/rules.md#use-and-buy):

* Opening the picker: Use = min(owned, required), Buy = the rest.
  Own 10, need 15 -> Use 10 / Buy 5. Own 0, need 1 -> Use 0 / Buy 1.
* Typing Use beyond what is owned moves the excess to Buy:
  own 10, type Use 12 -> Use 10 / Buy 2.
* Typing Buy sets Buy and clamps Use to what is owned.
* Buy is bounded per line (``MAX_BUY_PER_LINE`` unless the product says otherwise): a
  typed Buy over it, or a Use whose excess would make Buy over it, is refused with a
  message naming the field; ``+`` stops at it.
* If another terminal spends some of the client's units first (a ``Conflict``), the split
  is re-clamped to the fresh count and the shortfall moves to Buy, keeping the total.

Invariant after every step: 0 <= use <= owned and buy >= 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import ValidationError

# Units one add-on line may sell: far above any visit's need, low enough that a slipped
# key ("1920" for "20") is refused before it becomes a bill. A product may set its own.
MAX_BUY_PER_LINE = 999


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


def check_line_buy(buy: int, max_buy: int = MAX_BUY_PER_LINE, *, field: str = "buy") -> None:
    """Refuse a Buy over the product's per-line ``max_buy``; the service applies it to what
    is sent as the picker does to what is typed. The message reads after the field's label."""
    _within_max(field, buy, max_buy)


def _within_max(field: str, buy: int, max_buy: int) -> None:
    if buy <= max_buy:
        return
    if field == "use":
        raise ValidationError(field, f"That would buy {buy} units; at most {max_buy} on one line")
    raise ValidationError(field, f"At most {max_buy} units can be bought on one line")


def open_split(owned: int, required: int) -> AddonSplit:
    """The split shown when staff first add the product: spend owned units first."""
    _non_negative("owned", owned)
    _non_negative("required", required)
    use = min(owned, required)
    return AddonSplit(owned=owned, use=use, buy=required - use)


def type_use(split: AddonSplit, use: int, max_buy: int = MAX_BUY_PER_LINE) -> AddonSplit:
    """Staff typed ``use``: any units beyond what the client owns have to be bought
    (within ``max_buy``)."""
    _non_negative("use", use)
    if use <= split.owned:
        return AddonSplit(owned=split.owned, use=use, buy=split.buy)
    _within_max("use", use - split.owned, max_buy)
    return AddonSplit(owned=split.owned, use=split.owned, buy=use - split.owned)


def type_buy(split: AddonSplit, buy: int, max_buy: int = MAX_BUY_PER_LINE) -> AddonSplit:
    """Staff typed ``buy``: Buy is taken as typed (up to ``max_buy``) and Use never exceeds
    what is owned.

    With ``AddonSplit``'s invariant the clamp cannot change Use; it is kept so the rule
    reads as specified and stays right if the invariant is ever relaxed.
    """
    _non_negative("buy", buy)
    _within_max("buy", buy, max_buy)
    return AddonSplit(owned=split.owned, use=min(split.use, split.owned), buy=buy)


def step(split: AddonSplit, field: str, delta: int, max_buy: int = MAX_BUY_PER_LINE) -> AddonSplit:
    """Staff pressed ``+`` or ``-`` on Use or Buy: one unit more or fewer of that field.

    ``+`` on Use with every owned unit already used adds the extra unit to Buy (the total
    goes up by one). Typing the number instead follows ``type_use``, where Use 11 of 10
    owned means Buy 1; stepping from Buy 5 must not fall back to Buy 1. Buy stops at
    ``max_buy`` (a ``+`` there changes nothing) rather than refusing.
    """
    if field == "use":
        if delta > 0 and split.use >= split.owned:
            return type_buy(split, min(max_buy, split.buy + delta), max_buy)
        return type_use(split, max(0, split.use + delta), max_buy)
    if field == "buy":
        return type_buy(split, min(max_buy, max(0, split.buy + delta)), max_buy)
    raise ValidationError(field, "Only Use and Buy can be stepped")


def with_owned(split: AddonSplit, owned: int) -> AddonSplit:
    """Re-fit ``split`` to a fresh owned count (after a ``Conflict``), keeping the total.

    Units the client no longer owns move from Use to Buy, so the appointment still gets
    what it needs and staff see exactly how much more is now being sold.
    """
    _non_negative("owned", owned)
    use = min(split.use, owned)
    return AddonSplit(owned=owned, use=use, buy=split.buy + (split.use - use))
