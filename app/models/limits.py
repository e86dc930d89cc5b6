"""Every limit on what staff and clients may send, declared once.

The typed shapes in app/shapes (which the API and the forms validate with, and which the
OpenAPI document is generated from), the HTML forms' attributes and the page's scripts
(through the page state) all read these, so a limit changed here changes everywhere it is
checked or described.
"""

# The words a value may be, in the order staff see them.
TABLE_STATUSES = ("available", "occupied", "reserved", "maintenance")
TABLE_SHAPES = ("rect", "round")
ROLES = ("viewer", "host", "manager")
# A party at the door: where it stands (the first two are "in line") and what staff mark it with.
PARTY_STATES = ("waiting", "notified", "seated", "left", "cancelled", "no_show")
IN_LINE = ("waiting", "notified")
PARTY_TAGS = ("vip", "allergy", "birthday", "high_chair", "accessible", "regular")
# The statuses a table may be seen in by a host seating a party at it: free, or held for them.
SEATABLE_STATUSES = ("available", "reserved")

# Ranges are (lowest, highest), both allowed.
FLOOR_NUMBER = (1, 999)
SEATS = (1, 50)
COVERS = (1, 99)
PARTY_SIZE = COVERS
QUOTE_MINUTES = (0, 600)
# How many tables one party may be seated at together.
SEATING_TABLES = (1, 20)
TURN_MINUTES = (5, 600)
HISTORY_ENTRIES = (1, 500)
HISTORY_DEFAULT = 50

# Plan geometry in plan units: a table's place, size and turn.
PLAN_POSITION = (0, 10000)
TABLE_SIZE = (20, 1000)
ROTATION = (-360, 360)

# Years a date and time sent by a client (a reservation hold's end) may fall in, in UTC:
# nothing a restaurant books is older, and the ends of Python's range overflow.
DATE_YEARS = (1970, 9999)

# How deep a JSON body may nest: the API's own bodies need three levels.
JSON_DEPTH = 32

# Lengths of text, in characters.
TABLE_NUMBER_LENGTH = 20
TABLE_NUMBER_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9 _-]{{0,{TABLE_NUMBER_LENGTH - 1}}}$"
NAME_LENGTH = 80  # floor and section names
NOTES_LENGTH = 500
IDEMPOTENCY_KEY_LENGTH = 200
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
PHONE_LENGTH = 32
# Digits with the marks people write between them: "+44 20 7946 0000", "(020) 7946-0000".
PHONE_PATTERN = r"^\+?[0-9(][0-9()./ -]*[0-9]$"

# How many tables one layout save may move.
LAYOUT_TABLES = 500


def for_page() -> dict:
    """The limits the page's scripts check before sending (the layout editor, the covers chips)."""
    return {
        "x": PLAN_POSITION,
        "y": PLAN_POSITION,
        "width": TABLE_SIZE,
        "height": TABLE_SIZE,
        "rotation": ROTATION,
        "covers": COVERS,
        "partySize": PARTY_SIZE,
        "quoteMinutes": QUOTE_MINUTES,
        "historyEntries": HISTORY_ENTRIES,
    }
