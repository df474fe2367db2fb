"""Fixed word lists for the demo salon: who works there, who the clients are.

Plain data, no logic. The seed combines these deterministically; the special clients
come first so every demo database (and every screenshot) starts with the same faces,
including the awkward ones a front desk must cope with: accents, non-Latin scripts, a
very long name, and a name that looks like Textual markup and must display literally.
"""

from __future__ import annotations

from typing import Final

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

FIRST_NAMES: Final[tuple[str, ...]] = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Willow", "Freya", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte",
    "Evelyn", "Sienna", "Daisy", "Phoebe", "Sophie", "Alice", "Harper", "Matilda", "Ruby", "Emilia",
    "Maya", "Millie", "Isabelle", "Eva", "Luna", "Jessica", "Aria", "Esme", "Imogen", "Scarlett",
    "Chloe", "Eleanor", "Erin", "Layla", "Hannah", "Holly", "Zara", "Penelope", "Thea", "Violet",
    "Ellie", "Lucy", "Nancy", "Margot", "Bonnie", "Beatrice", "Mabel", "Jasmine", "Orla", "Clara",
    "Harriet", "Georgia", "Robyn", "Niamh", "Aoife", "Ciara", "Siobhan", "Eilidh", "Catrin",
    "Megan", "Bethan", "Priya", "Aisha", "Fatima", "Amira", "Zainab", "Anya", "Leah", "Naomi",
    "Rebecca", "Rachel", "Laura", "Sarah", "Kate", "Natalie", "Victoria", "Amy", "Gemma", "Katie",
    "Lauren", "Jade", "Stacey", "Kirsty", "Joanne", "Claire", "Nicola", "Helen", "Julie", "Karen",
    "Oliver", "George", "Noah", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Henry",
    "Theodore", "Freddie", "Jack", "Charlie", "Finley", "Alfie", "Thomas", "William", "James",
    "Lucas", "Isaac", "Tommy", "Edward", "Albie", "Joshua", "Max", "Samuel", "Daniel", "Ethan",
    "Benjamin", "Adam", "Rory", "Callum", "Euan", "Dylan", "Rhys", "Owen", "Ravi", "Arjun",
    "Kwame", "Tunde", "Mateo", "Luca", "Hugo", "Felix", "Elliot", "Reuben", "Sebastian", "Louis",
    "Zoë", "Chloé", "Renée", "Amélie", "Léa", "Inès", "Björn", "Søren", "José", "Ramón",
    "Siobhán", "Seán", "Máire", "Aoibhínn", "Dónal", "Zoltán", "Jürgen", "Małgorzata", "Agnieszka",
    "Wojciech", "Bartłomiej", "Ana", "Lucía", "Sofía", "Martín", "Joaquín", "Nuño", "Çağla", "Işıl",
    "Mei", "Hiroshi", "Yuki", "Ji-woo", "Min-jun", "Anh", "Linh", "Thanh", "Chidi", "Adaeze",
)

LAST_NAMES: Final[tuple[str, ...]] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee",
    "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young",
    "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell",
    "Collins", "Morgan", "Kelly", "Begum", "Miller", "Cox", "Hussain", "Marshall", "Simpson",
    "Price", "Anderson", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis", "Murphy",
    "Chapman", "Mason", "Gray", "Richards", "Webb", "Griffiths", "Hunt", "Palmer", "Campbell",
    "Holmes", "Mills", "Rogers", "Barnes", "Knight", "Matthews", "Barker", "Powell", "Stevens",
    "Kaur", "Dixon", "Lloyd", "Butler", "Fletcher", "Lawrence", "Harvey", "Hart", "Grant",
    "Fraser", "MacDonald", "McLean", "Stewart", "Reid", "Murray", "Ross", "Paterson", "Henderson",
    "Ferguson", "Kerr", "Duncan", "Hamilton", "Graham", "Sutherland", "Morrison", "Gallagher",
    "O'Brien", "O'Sullivan", "O'Neill", "McCarthy", "Byrne", "Doyle", "Ryan", "Quinn", "Nolan",
    "Ó Briain", "Ní Bhriain", "Mac Giolla", "Llewellyn", "Pritchard", "Vaughan", "Rees", "Pugh",
    "Okafor", "Adeyemi", "Mensah", "Nwosu", "Osei", "Chen", "Wang", "Li", "Zhang", "Liu", "Nguyen",
    "Tran", "Kim", "Park", "Choi", "Tanaka", "Suzuki", "Sato", "Yamamoto", "Sharma", "Gupta",
    "Mehta", "Iyer", "Reddy", "Chowdhury", "Rahman", "Malik", "Qureshi", "Mirza", "Haddad",
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Dąbrowski",
    "Müller", "Schäfer", "Köhler", "Weiß", "Großmann", "García", "Fernández", "López", "Martínez",
    "Sánchez", "Pérez", "Gómez", "Núñez", "Muñoz", "Jiménez", "Álvarez", "Rossi", "Ricci",
    "Bianchi", "Esposito", "Romano", "Costa", "Ferreira", "Gonçalves", "Silva", "Santos", "Dubois",
    "Lefèvre", "Lefebvre", "Moreau", "Fournier", "Girard", "Bonnet", "Mercier", "Rousseau",
    "Blanchard", "Ångström", "Öberg", "Åkesson", "Lindqvist", "Johansson", "Nielsen", "Jensen",
    "Hansen", "Sørensen", "Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Papadopoulos", "Nikolaidis",
    "Novak", "Horvat", "Kovačević", "Popescu", "Ionescu", "Varga", "Szabó", "Dvořák", "Černý",
    "Fitzgerald", "Montgomery", "Ashworth", "Featherstone", "Cholmondeley", "Whitfield", "Hartley",
    "Kingsley", "Ashdown", "Beaumont", "Carrington", "Devereux", "Ellingham", "Farrow", "Gilchrist",
    "Hollingsworth", "Ingram", "Jarvis", "Kendrick", "Lockwood", "Merriweather", "Northcott",
    "Oakley", "Pemberton", "Quigley", "Radcliffe", "Stanhope", "Thornbury", "Underwood", "Vickers",
    "Wetherby", "Yardley", "Zeller",
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
