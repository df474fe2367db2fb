"""Fixed word lists for the demo salon: who works there, who the clients are.

Plain data, no logic. The seed combines these deterministically; the special clients
come first so every demo database (and every screenshot) starts with the same faces,
including the awkward ones a front desk must cope with: accents, non-Latin scripts, a
very long name, and a name that looks like Textual markup and must display literally.
"""

from __future__ import annotations

from typing import Final

# Re-exported: the long lists have a module of their own.
from frontdesk.demo.client_names import FIRST_NAMES as FIRST_NAMES
from frontdesk.demo.client_names import LAST_NAMES as LAST_NAMES

BUSINESS_NAME: Final = "Glow & Co. Aesthetics"

# (name, address); the first one is the "home" location the demo opens on.
LOCATIONS: Final[tuple[tuple[str, str], ...]] = (
    ("Marylebone", "12 Wimpole Street, London W1G 9SX"),
    ("Shoreditch", "88 Curtain Road, London EC2A 3AA"),
)

# (name, role, index into LOCATIONS, PIN). In a new database a staff member's number is
# their place here, and their PIN that digit four times (1010 for number 10): easy to
# type, one per person. The README lists them; test_demo_seed checks it does.
# The roles alone give each person their permissions (frontdesk/domain/permissions.py).
STAFF: Final[tuple[tuple[str, str, int, str], ...]] = (
    ("Olivia Bennett", "owner", 0, "1111"),
    ("James Whitfield", "manager", 0, "2222"),
    ("Priya Shah", "manager", 1, "3333"),
    ("Hannah Cole", "front_desk", 0, "4444"),
    ("Tom Fletcher", "front_desk", 1, "5555"),
    ("Dr Sofia Marin", "aesthetic_practitioner", 0, "6666"),
    ("Dr Ben Okafor", "aesthetic_practitioner", 1, "7777"),
    ("Chloe Evans", "therapist", 0, "8888"),
    ("Mia Novak", "therapist", 0, "9999"),
    ("Leo Santos", "therapist", 1, "1010"),
)

# Who the demo's ledger entries are recorded by, each by someone whose role may make it
# (docs/rules.md#permissions, X2): the front desk sells, uses, redeems, takes payments and
# adjusts balances; a manager reverses entries, runs the membership renewals and gives
# the second PIN an adjustment above the store's threshold needs (X4).
SEED_ACTOR_NAME: Final = "Hannah Cole"
SEED_MANAGER_NAME: Final = "James Whitfield"

# Client zero-based positions with a part to play in the demo (see SPECIAL_CLIENTS).
AMELIA: Final = 0  # owns exactly 10 Botox units; booked for Botox today
ZERO_UNITS: Final = 1  # has used up every Botox unit; booked for Botox today
MARKUP: Final = 2  # name is Textual markup; booked today

# (first, last, notes). Order matters: the positions above index into it.
SPECIAL_CLIENTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("Amelia", "Hart", "Prefers Dr Sofia. Topping up her Botox bank."),
    ("Oliver", "Grant", ""),
    ("[b]Bold[/b]", "[@click=app.quit]x", "[red]This note is not red[/red]"),
    ("Zoë", "Ångström", ""),
    ("José", "Núñez", ""),
    ("Siobhán", "Ó Briain", ""),
    ("芳", "王", ""),
    ("Мария", "Иванова", ""),
    ("محمد", "علي", ""),
    ("さくら", "山田", ""),
    (
        "Maximiliana-Alexandrina-Theodora-Wilhelmina-Konstantina-Rose",
        "Fitzwilliam-Montgomery-Ashworth-Cholmondeley-Featherstonehaugh",
        "Yes, that is the whole name.",
    ),
    ("Chloé", "Lefèvre", ""),
    ("Björn", "Øster", ""),
    ("Renée", "Dubois-Müller", ""),
    ("Íñigo", "García", ""),
    ("Søren", "Kierkegård", ""),
    ("Łucja", "Wąsowska", ""),
    ("Niamh", "O'Connor", "Allergic to lidocaine: no numbing cream."),
    ("Anaïs", "Nin", ""),
    ("Ngozi", "Adébáyọ̀", ""),
    ("Dvořák", "Antonín", "Surname and first name were swapped on the paper form."),
    ("Seán", "Mac Giolla Phádraig", ""),
    ("Amélie", "Poulain", ""),
    ("François", "Hernández", ""),
)

EMAIL_DOMAINS: Final[tuple[str, ...]] = ("example.com", "example.org", "example.net")

CANCEL_REASONS: Final[tuple[str, ...]] = (
    "Client rescheduled",
    "Client unwell",
    "Childcare fell through",
    "Running late, rebooked",
    "Practitioner unwell",
)

CLIENT_NOTES: Final[tuple[str, ...]] = (
    "Sensitive skin: patch test before peels.",
    "Prefers afternoon appointments.",
    "Pregnant: no injectables until further notice.",
    "Likes a firm pressure.",
    "Parking permit needed.",
    "Nervous about needles; numbing cream helps.",
)
