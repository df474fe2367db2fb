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

# (name, role, index into LOCATIONS)
STAFF: Final[tuple[tuple[str, str, int], ...]] = (
    ("Olivia Bennett", "owner", 0),
    ("James Whitfield", "manager", 0),
    ("Priya Shah", "manager", 1),
    ("Hannah Cole", "front_desk", 0),
    ("Tom Fletcher", "front_desk", 1),
    ("Dr Sofia Marin", "aesthetic_practitioner", 0),
    ("Dr Ben Okafor", "aesthetic_practitioner", 1),
    ("Chloe Evans", "therapist", 0),
    ("Mia Novak", "therapist", 0),
    ("Leo Santos", "therapist", 1),
)

# The staff member recorded on every demo ledger entry.
SEED_ACTOR_NAME: Final = "Hannah Cole"

ROLE_PERMISSIONS: Final[dict[str, tuple[str, ...]]] = {
    "owner": ("adjust_wallet_negative", "edit_transformation_log", "reverse_entries"),
    "manager": ("adjust_wallet_negative", "edit_transformation_log", "reverse_entries"),
    "aesthetic_practitioner": ("edit_transformation_log",),
}

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
