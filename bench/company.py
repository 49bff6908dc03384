"""The made-up company behind generated instances: levels, departments, offices, words.

Shares are relative weights (they need not sum to 100).
"""

from __future__ import annotations

import numpy as np

LEVEL_SHARE = np.array([30, 24, 18, 12, 8, 5, 2, 1], dtype=float)  # levels 1..8
MENTOR_LEVEL_WEIGHT = np.array([0.05, 0.3, 1.0, 1.6, 2.0, 2.0, 1.5, 0.8])
MENTEE_LEVEL_WEIGHT = np.array([2.0, 2.0, 1.6, 1.1, 0.6, 0.3, 0.1, 0.02])
LEVEL_TITLES = [
    "a graduate", "an associate", "a specialist", "a senior specialist", "a lead",
    "a principal", "a director", "a vice president",
]  # fmt: skip

# (name, share of head count, catalogue-area keywords it leans towards)
DEPARTMENTS: list[tuple[str, float, tuple[str, ...]]] = [
    ("Engineering", 28, ("software", "engineering", "infrastructure", "security", "data")),
    ("Data", 7, ("data", "software", "research")),
    ("Infrastructure", 6, ("infrastructure", "engineering", "security", "software")),
    ("Security", 3, ("security", "engineering", "infrastructure", "legal")),
    ("Product", 6, ("product", "design", "data")),
    ("Design", 4, ("design", "product", "research")),
    ("Sales", 12, ("sales", "communication", "customer")),
    ("Marketing", 6, ("marketing", "communication", "product")),
    ("Customer Success", 8, ("customer", "communication", "sales")),
    ("Finance", 5, ("finance", "legal", "data")),
    ("People", 4, ("people", "communication", "career")),
    ("Legal & Operations", 5, ("legal", "operations", "project", "sustainability")),
    ("Hardware", 3, ("hardware", "engineering", "software", "research")),
]
# Areas anyone may have skills in, and (with career growth) want to grow in.
SOFT_AREA_KEYWORDS = ("leadership", "communication", "project")
GOAL_AREA_KEYWORDS = (*SOFT_AREA_KEYWORDS, "career")

# (office, timezone, local languages, share of head count)
OFFICES: list[tuple[str, str, tuple[str, ...], float]] = [
    ("Berlin", "Europe/Berlin", ("de",), 12),
    ("Munich", "Europe/Berlin", ("de",), 4),
    ("London", "Europe/London", (), 12),
    ("Dublin", "Europe/Dublin", ("ga",), 4),
    ("Paris", "Europe/Paris", ("fr",), 5),
    ("Madrid", "Europe/Madrid", ("es",), 4),
    ("Warsaw", "Europe/Warsaw", ("pl",), 4),
    ("Amsterdam", "Europe/Amsterdam", ("nl",), 3),
    ("New York", "America/New_York", ("es",), 10),
    ("San Francisco", "America/Los_Angeles", ("es",), 8),
    ("Toronto", "America/Toronto", ("fr",), 4),
    ("São Paulo", "America/Sao_Paulo", ("pt",), 4),
    ("Mexico City", "America/Mexico_City", ("es",), 2),
    ("Bangalore", "Asia/Kolkata", ("hi", "kn"), 8),
    ("Singapore", "Asia/Singapore", ("zh", "ms"), 3),
    ("Tokyo", "Asia/Tokyo", ("ja",), 3),
    ("Sydney", "Australia/Sydney", (), 3),
    ("Remote", "", (), 7),
]
REMOTE_TIMEZONES = [
    "Europe/Lisbon", "Europe/Rome", "Europe/Stockholm", "Europe/Athens", "America/Chicago",
    "America/Denver", "America/Bogota", "Africa/Lagos", "Africa/Nairobi", "Asia/Dubai",
    "Asia/Manila", "Pacific/Auckland",
]  # fmt: skip
EXTRA_LANGUAGES = ["es", "fr", "de", "pt", "it", "zh", "hi", "ar", "ru", "ja", "pl", "tr"]
FIRST_NAMES = [
    "Alice", "Bob", "Chen", "Dara", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kemi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Ravi", "Sofia", "Tomás",
    "Uma", "Viktor", "Wen", "Yara", "Zoe",
]  # fmt: skip
HOBBIES = [
    "climbing", "choir singing", "chess", "cycling", "baking sourdough", "running trails",
    "volunteering at a food bank", "board games", "photography", "learning Japanese",
    "gardening", "woodworking", "open-source side projects", "football", "painting",
]  # fmt: skip
GOAL_OPENERS = [
    "I want to get much better at {a}",
    "My goal this year is to become confident with {a}",
    "I'm moving towards a role that needs {a}",
    "I'd love guidance from someone experienced in {a}",
    "I keep getting stuck on {a} and want a sounding board",
]
GOAL_CLOSERS = [
    "so I can take on bigger projects.",
    "before my next promotion review.",
    "because my team is starting to rely on it.",
    "and I learn best by talking through real examples.",
    "ideally with someone who has made the same move.",
]
