"""Content for the demo organisation: a ~400-person software company that looks lived-in.

Pure Python (standard library only, no Django). The ``seed_demo`` management command turns
:func:`generate_people` into rows; everything here is deterministic for a given seed.

What is here:

* :data:`COMPANY_NAME`, :data:`COMPANY_DOMAIN` (a reserved ``.example`` domain).
* :data:`OFFICES` — locations with IANA timezones and the languages people there speak.
* :data:`DEPARTMENTS` — nine functional departments, each with a job-title ladder (levels
  1–7), office weighting, typical skills (all present in the skills catalogue), career goals,
  areas of expertise and the raw material for bios. :data:`EXECUTIVE` is the CEO's office
  (the only level-8 role, the CEO, sits there).
* :data:`BIO_TEMPLATES`, :data:`GOAL_TEMPLATES`, :data:`FOCUS_GOALS` — text with slots.
* :func:`generate_people` — a proper reporting tree of :class:`DemoPerson`.
* :func:`focus_area_goals_for` — mentee focus-area goals that fit a department.

Levels: 1 is an entry-level hire, 7 a department head (VP), 8 the CEO. A manager is always
at a higher level than each of their reports, so department heads are level 7 (or level 6,
titled Director, in a department of eleven people or fewer) and the CEO is level 8.
"""

from __future__ import annotations

import math
import random
import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "BIO_TEMPLATES",
    "COMPANY_DOMAIN",
    "COMPANY_NAME",
    "DEPARTMENTS",
    "EXECUTIVE",
    "FOCUS_GOALS",
    "GOAL_TEMPLATES",
    "LANGUAGE_NAMES",
    "NAME_ORIGINS",
    "OFFICES",
    "REFERENCE_DATE",
    "DemoPerson",
    "Department",
    "FocusGoal",
    "LadderStep",
    "NameOrigin",
    "Office",
    "all_departments",
    "department_named",
    "email_local_part",
    "focus_area_goals_for",
    "generate_people",
    "office_named",
]

COMPANY_NAME = "Larkfield"
COMPANY_DOMAIN = "larkfield.example"
COMPANY_TAGLINE = "Larkfield builds billing and payments software for subscription businesses."
FOUNDED = date(2014, 3, 3)
# "Today" for the demo data, fixed so that hire dates are the same on every run.
REFERENCE_DATE = date(2026, 10, 1)

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "bn": "Bengali", "de": "German", "en": "English", "es": "Spanish",
    "fa": "Persian", "fr": "French", "hi": "Hindi", "it": "Italian", "ja": "Japanese",
    "kn": "Kannada", "ko": "Korean", "ml": "Malayalam", "mr": "Marathi", "ms": "Malay",
    "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Offices
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """A location people work from.

    ``timezones`` lists IANA names; an office has one, ``Remote`` several (people live in
    different places), each paired with the city used in bios via ``cities``.
    ``languages`` are (ISO 639-1 code, probability a person there speaks it), besides English,
    which everyone at the company speaks.
    """

    key: str
    name: str
    country: str
    timezones: tuple[str, ...]
    languages: tuple[tuple[str, float], ...]
    cities: tuple[str, ...] = ()
    # Name origins of people hired here, with weights (see NAME_ORIGINS).
    origins: tuple[tuple[str, float], ...] = ()

    @property
    def timezone(self) -> str:
        """The main timezone of the office."""
        return self.timezones[0]

    @property
    def is_remote(self) -> bool:
        return len(self.timezones) > 1


OFFICES: tuple[Office, ...] = (
    Office(
        key="berlin", name="Berlin", country="Germany", timezones=("Europe/Berlin",),
        languages=(("de", 0.75), ("fr", 0.06), ("es", 0.06)), cities=("Berlin",),
        origins=(("german", 30), ("turkish", 8), ("polish", 7), ("ukrainian", 5),
                 ("italian", 5), ("hispanic", 5), ("indian", 6), ("british", 5),
                 ("french", 4), ("arabic", 4), ("iranian", 3), ("vietnamese", 3),
                 ("dutch_nordic", 4), ("brazilian", 3), ("nigerian", 2), ("chinese", 2)),
    ),
    Office(
        key="london", name="London", country="United Kingdom", timezones=("Europe/London",),
        languages=(("fr", 0.08), ("es", 0.06), ("de", 0.04)), cities=("London",),
        origins=(("british", 34), ("indian", 10), ("pakistani", 6), ("nigerian", 7),
                 ("polish", 5), ("italian", 4), ("hispanic", 3), ("french", 4),
                 ("chinese", 4), ("arabic", 3), ("german", 3), ("kenyan", 3),
                 ("caribbean", 4)),
    ),
    Office(
        key="new_york", name="New York", country="United States",
        timezones=("America/New_York",), languages=(("es", 0.15), ("fr", 0.04)),
        cities=("New York",),
        origins=(("american", 34), ("black_american", 10), ("hispanic", 14), ("chinese", 6),
                 ("indian", 8), ("korean", 4), ("italian", 4), ("filipino", 3),
                 ("nigerian", 3), ("caribbean", 4), ("arabic", 2)),
    ),
    Office(
        key="toronto", name="Toronto", country="Canada", timezones=("America/Toronto",),
        languages=(("fr", 0.35), ("es", 0.05)), cities=("Toronto",),
        origins=(("american", 12), ("french", 14), ("chinese", 10), ("indian", 12),
                 ("pakistani", 5), ("filipino", 6), ("iranian", 5), ("italian", 4),
                 ("ukrainian", 4), ("hispanic", 3), ("korean", 3), ("caribbean", 4)),
    ),
    Office(
        key="bangalore", name="Bangalore", country="India", timezones=("Asia/Kolkata",),
        languages=(("kn", 0.35), ("hi", 0.5)), cities=("Bangalore",),
        origins=(("indian", 94), ("british", 2), ("arabic", 1), ("filipino", 1)),
    ),
    Office(
        key="singapore", name="Singapore", country="Singapore", timezones=("Asia/Singapore",),
        languages=(("zh", 0.4), ("ms", 0.2), ("ta", 0.08)), cities=("Singapore",),
        origins=(("chinese", 45), ("malay", 15), ("indian", 15), ("filipino", 6),
                 ("vietnamese", 5), ("british", 4), ("japanese", 4), ("korean", 3)),
    ),
    Office(
        key="sao_paulo", name="São Paulo", country="Brazil", timezones=("America/Sao_Paulo",),
        languages=(("pt", 0.97), ("es", 0.25)), cities=("São Paulo",),
        origins=(("brazilian", 75), ("japanese", 6), ("italian", 5), ("hispanic", 8),
                 ("arabic", 4)),
    ),
    Office(
        key="remote", name="Remote", country="",
        timezones=("Europe/Lisbon", "Europe/Madrid", "Europe/Warsaw", "Europe/Dublin",
                   "Europe/Amsterdam", "Europe/Stockholm", "America/Chicago",
                   "America/Denver", "Africa/Nairobi", "Africa/Lagos"),
        cities=("Lisbon", "Madrid", "Warsaw", "Dublin", "Amsterdam", "Stockholm", "Chicago",
                "Denver", "Nairobi", "Lagos"),
        languages=(("es", 0.1), ("fr", 0.08), ("de", 0.08)),
        origins=(("hispanic", 10), ("polish", 8), ("ukrainian", 8), ("british", 8),
                 ("american", 8), ("brazilian", 6), ("german", 6), ("french", 5),
                 ("italian", 6), ("dutch_nordic", 7), ("kenyan", 6), ("nigerian", 7),
                 ("indian", 6), ("arabic", 3)),
    ),
)  # fmt: skip

# Local language of each remote timezone (probability a person there speaks it).
_REMOTE_LANGUAGE = {
    "Europe/Lisbon": ("pt", 0.8),
    "Europe/Madrid": ("es", 0.85),
    "Europe/Warsaw": ("pl", 0.85),
    "Europe/Amsterdam": ("nl", 0.7),
    "Europe/Stockholm": ("sv", 0.7),
    "Africa/Nairobi": ("sw", 0.7),
    "Africa/Lagos": ("yo", 0.4),
}


def office_named(name_or_key: str) -> Office:
    """The office with this key or name (case-insensitive). Raises ``KeyError``."""
    wanted = name_or_key.casefold()
    for office in OFFICES:
        if wanted in (office.key.casefold(), office.name.casefold()):
            return office
    raise KeyError(name_or_key)


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameOrigin:
    """A pool of realistic first and last names sharing a cultural background.

    ``languages`` are ISO 639-1 codes a person from this background may speak besides English
    (one is picked per person).
    """

    key: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    languages: tuple[str, ...] = ()


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


NAME_ORIGINS: dict[str, NameOrigin] = {
    origin.key: origin
    for origin in (
        NameOrigin(
            "german",
            _names("Lena, Jonas, Miriam, Felix, Katharina, Tobias, Hannah, Lukas, Sophie, "
                   "Maximilian, Anja, Florian, Clara, Moritz, Johanna, Sebastian, Greta, Niklas"),
            _names("Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann, Wagner, "
                   "Krüger, Zimmermann, Hartmann, Braun, Vogel, Lehmann, Köhler, Neumann"),
            ("de",),
        ),
        NameOrigin(
            "turkish",
            _names("Elif, Emre, Zeynep, Mehmet, Ayşe, Can, Deniz, Burak, Selin, Kerem, Ece"),
            _names("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın, Öztürk, Arslan, Doğan, Yıldız"),
            ("tr",),
        ),
        NameOrigin(
            "polish",
            _names("Agnieszka, Piotr, Katarzyna, Tomasz, Magdalena, Paweł, Joanna, Michał, "
                   "Zofia, Krzysztof, Aleksandra, Marek"),
            _names("Nowak, Mazur, Krawczyk, Kaczmarek, Zając, Wójcik, Kowalczyk, Woźniak, "
                   "Pawlak, Michalak, Sikora, Baran"),
            ("pl",),
        ),
        NameOrigin(
            "ukrainian",
            _names("Oksana, Andriy, Iryna, Dmytro, Yulia, Taras, Olena, Bohdan"),
            _names("Kovalenko, Shevchenko, Bondarenko, Tkachenko, Melnyk, Kravchenko, Boyko"),
            ("uk",),
        ),
        NameOrigin(
            "british",
            _names("Oliver, Amelia, Harry, Charlotte, George, Emily, James, Isla, Grace, Jack, "
                   "Eleanor, Samuel, Ruby, Daniel, Freya, Callum, Niamh, Rhys"),
            _names("Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Roberts, Walker, "
                   "Wright, Robinson, Thompson, Hughes, Clarke, Hall, Green, Edwards, O'Brien"),
        ),
        NameOrigin(
            "american",
            _names("Ashley, Tyler, Madison, Brandon, Jessica, Kevin, Megan, Ryan, Lauren, "
                   "Justin, Kayla, Jordan, Emma, Ethan, Hailey, Connor"),
            _names("Johnson, Miller, Davis, Anderson, Jackson, Harris, Martin, Moore, Clark, "
                   "Lewis, Young, King, Scott, Baker, Murphy, Sullivan"),
        ),
        NameOrigin(
            "black_american",
            _names("Jamal, Aaliyah, DeShawn, Imani, Malik, Keisha, Darnell, Tanisha, Jasmine, "
                   "Andre"),
            _names("Washington, Jefferson, Banks, Coleman, Brooks, Freeman, Gaines, Holloway, "
                   "Robinson, Mitchell"),
        ),
        NameOrigin(
            "caribbean",
            _names("Shanice, Marlon, Kezia, Delroy, Tamara, Jermaine"),
            _names("Campbell, Bailey, Francis, Grant, Reid, Henry"),
        ),
        NameOrigin(
            "hispanic",
            _names("Sofía, Mateo, Valentina, Santiago, Camila, Diego, Lucía, Alejandro, "
                   "Isabella, Javier, Andrés, Paula, Carlos, Gabriela"),
            _names("García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, "
                   "Ramírez, Torres, Flores, Morales, Castillo, Vargas"),
            ("es",),
        ),
        NameOrigin(
            "brazilian",
            _names("Ana, João, Beatriz, Pedro, Larissa, Gabriel, Juliana, Rafael, Fernanda, "
                   "Thiago, Mariana, Lucas, Bruno, Letícia, Guilherme, Renata"),
            _names("Silva, Santos, Oliveira, Souza, Lima, Pereira, Ferreira, Costa, Rodrigues, "
                   "Almeida, Nascimento, Carvalho, Ribeiro, Araújo, Barbosa, Gomes"),
            ("pt",),
        ),
        NameOrigin(
            "french",
            _names("Camille, Antoine, Chloé, Julien, Élodie, Mathieu, Léa, Guillaume, Manon, "
                   "Olivier, Émilie, Nicolas"),
            _names("Tremblay, Gagnon, Roy, Côté, Bouchard, Gauthier, Morin, Lavoie, Fortin, "
                   "Dubois, Lefebvre, Girard"),
            ("fr",),
        ),
        NameOrigin(
            "italian",
            _names("Giulia, Marco, Francesca, Luca, Chiara, Matteo, Alessandra, Davide"),
            _names("Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Ricci, Greco"),
            ("it",),
        ),
        NameOrigin(
            "dutch_nordic",
            _names("Sanne, Daan, Femke, Bram, Elin, Erik, Maja, Oskar"),
            _names("de Vries, Jansen, van Dijk, Bakker, Lindqvist, Johansson, Nilsson, Berg"),
            ("nl", "sv"),
        ),
        NameOrigin(
            "indian",
            _names("Priya, Arjun, Ananya, Rohan, Kavya, Vikram, Divya, Aditya, Meera, Rahul, "
                   "Sneha, Karthik, Lakshmi, Siddharth, Pooja, Nikhil, Aishwarya, Varun, "
                   "Deepa, Harish"),
            _names("Sharma, Iyer, Reddy, Patel, Nair, Gupta, Rao, Menon, Krishnan, Desai, "
                   "Kulkarni, Banerjee, Chatterjee, Joshi, Mehta, Pillai, Subramanian, "
                   "Venkatesh, Hegde, Shetty"),
            ("hi", "kn", "ta", "te", "mr", "ml", "bn"),
        ),
        NameOrigin(
            "pakistani",
            _names("Ayesha, Bilal, Hira, Usman, Sana, Imran"),
            _names("Khan, Malik, Qureshi, Siddiqui, Chaudhry, Butt"),
            ("ur",),
        ),
        NameOrigin(
            "chinese",
            _names("Wei, Mei Ling, Jun, Hui Min, Zhi Hao, Xin Yi, Jia Hui, Kai, Li Na, Yong, "
                   "Shu Fen, Hao"),
            _names("Tan, Lim, Lee, Ng, Wong, Chen, Goh, Chua, Ong, Koh, Teo, Zhang, Wang, Liu"),
            ("zh",),
        ),
        NameOrigin(
            "malay",
            _names("Nurul, Ahmad, Siti, Hafiz, Aisyah, Faris, Amirah, Irfan"),
            _names("Abdullah, Rahman, Ismail, Hassan, Ibrahim, Yusof, Osman, Aziz"),
            ("ms",),
        ),
        NameOrigin(
            "vietnamese",
            _names("Linh, Minh, Trang, Huy, Thảo, Đức, Lan, Quang"),
            _names("Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi"),
            ("vi",),
        ),
        NameOrigin(
            "filipino",
            _names("Maria, Jose, Kristine, Mark, Angelica, Paolo, Jasmine, Carlo"),
            _names("Reyes, Cruz, Bautista, Ocampo, Mendoza, Villanueva, Aquino, Ramos"),
            ("tl",),
        ),
        NameOrigin(
            "japanese",
            _names("Yuki, Haruto, Sakura, Kenji, Aiko, Takumi, Hana, Daiki"),
            _names("Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Nakamura, Kobayashi"),
            ("ja",),
        ),
        NameOrigin(
            "korean",
            _names("Ji-woo, Min-jun, Seo-yeon, Hyun-woo, Soo-ah, Jae-won"),
            _names("Kim, Park, Choi, Jung, Kang, Yoon"),
            ("ko",),
        ),
        NameOrigin(
            "nigerian",
            _names("Chiamaka, Tunde, Ngozi, Emeka, Folake, Oluwaseun, Adaeze, Chinedu, "
                   "Funmilayo, Ifeanyi, Yetunde, Obinna"),
            _names("Okafor, Adeyemi, Okonkwo, Balogun, Eze, Adebayo, Nwosu, Ogunleye, Chukwu, "
                   "Afolabi"),
            ("yo",),
        ),
        NameOrigin(
            "kenyan",
            _names("Wanjiru, Otieno, Achieng, Kiprop, Njeri, Mwangi"),
            _names("Kamau, Odhiambo, Wambui, Kariuki, Njoroge, Chebet"),
            ("sw",),
        ),
        NameOrigin(
            "arabic",
            _names("Omar, Layla, Youssef, Nour, Karim, Yasmin, Tariq, Salma, Rania, Khalid, "
                   "Mariam"),
            _names("Haddad, Khoury, Mansour, Nasser, Saleh, Farouk, Hamdan, El-Amin, Darwish"),
            ("ar",),
        ),
        NameOrigin(
            "iranian",
            _names("Shirin, Reza, Parisa, Arash, Leila, Dariush"),
            _names("Hosseini, Ahmadi, Karimi, Rahimi, Moradi, Tehrani"),
            ("fa",),
        ),
    )
}  # fmt: skip

_ASCII_FALLBACK = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae",
     "Æ": "ae", "ß": "ss", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"}
)  # fmt: skip


def email_local_part(first_name: str, last_name: str) -> str:
    """``firstname.lastname`` in plain ASCII: accents dropped, spaces and punctuation removed.

    >>> email_local_part("João", "Nguyễn")
    'joao.nguyen'
    >>> email_local_part("Mei Ling", "O'Brien")
    'meiling.obrien'
    """

    def ascii_word(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.translate(_ASCII_FALLBACK))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return "".join(ch for ch in text.lower() if ch in string.ascii_lowercase + string.digits)

    return f"{ascii_word(first_name)}.{ascii_word(last_name)}"


# ---------------------------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderStep:
    """One level of a department's job-title ladder.

    ``ic_title`` is the individual-contributor title; ``manager_title`` the title of someone at
    this level who manages people (empty when the level has no management variant).
    """

    level: int
    ic_title: str
    manager_title: str = ""

    def title(self, *, manages: bool) -> str:
        """The title for someone at this level who does or does not manage people."""
        if manages and self.manager_title:
            return self.manager_title
        return self.ic_title or self.manager_title


@dataclass(frozen=True)
class Department:
    """A department and everything the demo needs to people it convincingly.

    ``skills`` are canonical names from the skills catalogue. ``career_goals`` are verb
    phrases ("own a system end to end") used in goal templates; ``expertise`` are short
    "areas of expertise" phrases; ``domains``, ``projects`` (gerund phrases) and ``teams``
    give bios their concrete details.
    """

    key: str
    name: str
    headcount_weight: float
    locations: tuple[tuple[str, float], ...]
    ladder: tuple[LadderStep, ...]
    skills: tuple[str, ...]
    career_goals: tuple[str, ...]
    expertise: tuple[str, ...]
    domains: tuple[str, ...]
    projects: tuple[str, ...]
    teams: tuple[str, ...]

    def step(self, level: int) -> LadderStep:
        """The ladder step at ``level``; the nearest lower one if the ladder has a gap."""
        for candidate in sorted(self.ladder, key=lambda s: -s.level):
            if candidate.level <= level:
                return candidate
        return min(self.ladder, key=lambda s: s.level)

    def title(self, level: int, *, manages: bool = False) -> str:
        """The job title of someone at ``level`` in this department."""
        return self.step(level).title(manages=manages)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(step.level for step in self.ladder))


def _ladder(*steps: tuple[str, str] | str) -> tuple[LadderStep, ...]:
    """Ladder from level 1 upwards: a title, or (IC title, manager title)."""
    result = []
    for level, step in enumerate(steps, start=1):
        ic, manager = (step, "") if isinstance(step, str) else step
        result.append(LadderStep(level, ic, manager))
    return tuple(result)


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        key="engineering",
        name="Engineering",
        headcount_weight=30,
        locations=(("berlin", 30), ("bangalore", 22), ("london", 10), ("toronto", 10),
                   ("remote", 16), ("sao_paulo", 6), ("singapore", 6)),
        ladder=_ladder(
            "Associate Software Engineer",
            "Software Engineer",
            "Software Engineer II",
            ("Senior Software Engineer", "Engineering Team Lead"),
            ("Staff Engineer", "Engineering Manager"),
            ("Principal Engineer", "Director of Engineering"),
            ("Distinguished Engineer", "VP Engineering"),
        ),
        skills=("Python", "Go", "Java", "TypeScript", "React", "Django", "PostgreSQL",
                "Kubernetes", "Amazon Web Services", "System design", "Distributed systems",
                "API design", "CI/CD", "Observability", "Incident management", "Code review",
                "Test automation", "Site reliability engineering", "Application security",
                "iOS development", "Android development", "Microservices", "Apache Kafka",
                "Docker", "Event-driven architecture", "Payment systems",
                "Performance optimisation", "Refactoring", "Technical leadership"),
        career_goals=(
            "own a system end to end rather than a stream of tickets",
            "get better at system design for things bigger than one service",
            "lead a cross-team technical project from proposal to launch",
            "understand the business side of what we build",
            "write design docs that actually change decisions",
            "decide between the staff track and the management track",
            "become the person the team trusts during an incident",
        ),
        expertise=(
            "Designing services that survive partial failure",
            "Running calm, blameless incident reviews",
            "Making slow Postgres queries fast",
            "Code review that teaches rather than gatekeeps",
            "Breaking up a monolith without a big-bang rewrite",
            "Setting up CI/CD pipelines from scratch",
            "Preparing for system design interviews",
            "Writing design docs people actually read",
            "Getting started with Kubernetes",
            "Shipping mobile releases without drama",
            "Idempotent payment flows",
            "Testing strategies for legacy code",
        ),
        domains=("payment systems", "billing infrastructure", "internal developer platforms",
                 "mobile apps", "search and ranking", "identity and login flows",
                 "public APIs", "data-intensive backend services"),
        projects=(
            "leading the migration to event sourcing",
            "rewriting our invoicing service in Go",
            "moving the monolith onto Kubernetes",
            "cutting our CI times from forty minutes to eight",
            "building the on-call rotation and incident process from scratch",
            "shipping offline mode for the mobile app",
            "designing the public API we now sell to partners",
            "retiring a ten-year-old cron server without anyone noticing",
            "adding 3-D Secure support to checkout",
        ),
        teams=("payments", "platform", "mobile", "checkout", "identity", "invoicing",
               "developer tooling", "integrations", "reliability"),
    ),
    Department(
        key="product",
        name="Product",
        headcount_weight=6,
        locations=(("berlin", 40), ("london", 25), ("new_york", 15), ("toronto", 10),
                   ("remote", 10)),
        ladder=_ladder(
            "Associate Product Manager",
            "Product Manager",
            "Senior Product Manager",
            ("Lead Product Manager", "Product Team Lead"),
            ("Principal Product Manager", "Group Product Manager"),
            ("Head of Product Strategy", "Director of Product"),
            ("Chief Product Architect", "VP Product"),
        ),
        skills=("Product management", "Product strategy", "Product discovery", "Roadmapping",
                "Prioritisation", "Customer interviews", "Product analytics", "Experimentation",
                "Stakeholder management", "OKRs", "Pricing strategy", "Product requirements",
                "Jobs to be done", "Product launches", "Technical product management",
                "Written communication", "B2B SaaS"),
        career_goals=(
            "set product strategy for an area rather than just execute a roadmap",
            "get sharper at saying no and explaining why",
            "run discovery that changes what we build, not just confirms it",
            "work more closely with sales without becoming a feature factory",
            "take a product from zero to one",
            "manage other product managers",
        ),
        expertise=(
            "Writing one-page product briefs",
            "Running customer discovery interviews",
            "Prioritising when everything is urgent",
            "Pricing and packaging for B2B SaaS",
            "Turning analytics into decisions",
            "Saying no to stakeholders without burning bridges",
            "Launch planning with sales and marketing",
            "Moving from engineering into product",
        ),
        domains=("subscription billing", "B2B checkout flows", "developer-facing products",
                 "pricing and packaging", "self-serve onboarding", "the partner platform"),
        projects=(
            "launching usage-based pricing",
            "killing a feature that a loud minority loved",
            "taking the partner API from beta to general availability",
            "rebuilding self-serve onboarding, which doubled trial conversion",
            "introducing quarterly discovery reviews",
        ),
        teams=("billing", "checkout", "platform", "growth", "partner"),
    ),
    Department(
        key="design",
        name="Design",
        headcount_weight=5,
        locations=(("berlin", 45), ("london", 20), ("toronto", 10), ("remote", 15),
                   ("sao_paulo", 10)),
        ladder=_ladder(
            "Junior Product Designer",
            "Product Designer",
            "Senior Product Designer",
            ("Lead Product Designer", "Design Lead"),
            ("Staff Product Designer", "Design Manager"),
            ("Principal Designer", "Director of Design"),
            ("Design Fellow", "VP Design"),
        ),
        skills=("Product design", "User experience design", "User interface design",
                "Interaction design", "User research", "Usability testing", "Prototyping",
                "Figma", "Design systems", "Accessibility", "Information architecture",
                "Content design", "Design critique", "Journey mapping", "Visual design",
                "Service design", "Inclusive design"),
        career_goals=(
            "have more influence on what we build, not just how it looks",
            "run research that the whole team takes seriously",
            "lead the next version of our design system",
            "present design work to senior leadership with confidence",
            "grow into managing other designers",
        ),
        expertise=(
            "Running usability tests on a shoestring",
            "Building and maintaining a design system",
            "Accessibility audits and WCAG fixes",
            "Giving and running design critique",
            "Prototyping in Figma quickly",
            "Building a design portfolio",
            "Designing complex B2B settings screens",
        ),
        domains=("complex B2B dashboards", "onboarding journeys", "design systems",
                 "mobile payments flows", "accessibility"),
        projects=(
            "building our design system from a folder of screenshots",
            "leading the accessibility overhaul of checkout",
            "redesigning the invoice editor with ten rounds of user testing",
            "setting up a weekly critique that people actually attend",
        ),
        teams=("design systems", "checkout", "onboarding", "mobile", "brand"),
    ),
    Department(
        key="data",
        name="Data",
        headcount_weight=9,
        locations=(("berlin", 30), ("bangalore", 25), ("london", 15), ("toronto", 10),
                   ("remote", 20)),
        ladder=_ladder(
            "Junior Data Analyst",
            "Data Analyst",
            "Data Scientist",
            ("Senior Data Scientist", "Analytics Lead"),
            ("Staff Data Scientist", "Data Science Manager"),
            ("Principal Data Scientist", "Director of Data"),
            ("Chief Data Scientist", "VP Data"),
        ),
        skills=("SQL", "Python", "Data analysis", "Statistics", "Machine learning",
                "Experimentation", "Data visualisation", "Data modelling", "dbt",
                "Apache Airflow", "Data pipelines", "Looker", "Forecasting", "Causal inference",
                "Data engineering", "Analytics engineering", "Data storytelling",
                "Large language models", "MLOps", "Data governance"),
        career_goals=(
            "move from answering questions to shaping which questions get asked",
            "take a machine learning model all the way to production",
            "get better at explaining statistics to people who hate statistics",
            "own the company's core metrics end to end",
            "grow into leading a small analytics team",
        ),
        expertise=(
            "Designing A/B tests that give a clear answer",
            "Writing SQL that other people can read",
            "Building dbt models that don't rot",
            "Explaining uncertainty to executives",
            "Churn prediction models",
            "Moving into data from another career",
            "Dashboard design that people actually use",
        ),
        domains=("churn prediction", "revenue forecasting", "experimentation platforms",
                 "fraud detection", "the company's metrics layer"),
        projects=(
            "building our first churn prediction model",
            "replacing forty hand-made dashboards with one metrics layer",
            "setting up the experimentation platform",
            "cutting fraud losses by a third with a simple rules-plus-model approach",
        ),
        teams=("analytics", "data platform", "machine learning", "experimentation"),
    ),
    Department(
        key="sales",
        name="Sales",
        headcount_weight=16,
        locations=(("new_york", 30), ("london", 22), ("singapore", 14), ("sao_paulo", 10),
                   ("toronto", 10), ("berlin", 10), ("remote", 4)),
        ladder=_ladder(
            "Sales Development Representative",
            "Senior Sales Development Representative",
            "Account Executive",
            ("Senior Account Executive", "Sales Team Lead"),
            ("Enterprise Account Executive", "Sales Manager"),
            ("Strategic Account Director", "Regional Sales Director"),
            ("Chief Revenue Strategist", "VP Sales"),
        ),
        skills=("Sales prospecting", "Cold calling", "Discovery calls", "Solution selling",
                "Negotiation", "Closing deals", "Pipeline management", "Sales forecasting",
                "Account management", "Enterprise sales", "Salesforce", "MEDDIC",
                "Objection handling", "Product demos", "Proposal writing", "Business development",
                "Solution engineering", "Territory planning"),
        career_goals=(
            "move from SMB deals to enterprise deals",
            "build a repeatable process for multi-threaded deals",
            "forecast accurately enough that finance stops double-checking me",
            "move from closing deals to coaching the people who close them",
            "open a new territory from scratch",
        ),
        expertise=(
            "Running discovery calls that uncover real pain",
            "Multi-threading enterprise deals",
            "Handling procurement and legal redlines",
            "Building outbound sequences that get replies",
            "Forecasting a quarter honestly",
            "Moving from SDR to account executive",
            "Negotiating multi-year contracts",
        ),
        domains=("enterprise deals in financial services", "mid-market SaaS sales",
                 "the APAC region", "outbound prospecting", "partner-led deals"),
        projects=(
            "closing our largest ever contract with a European bank",
            "opening the Brazilian market with two colleagues and a spreadsheet",
            "rebuilding our outbound playbook",
            "hitting 140% of quota in a quarter everyone expected to be flat",
        ),
        teams=("enterprise", "mid-market", "APAC", "LATAM", "partnerships"),
    ),
    Department(
        key="marketing",
        name="Marketing",
        headcount_weight=8,
        locations=(("london", 30), ("new_york", 25), ("berlin", 20), ("remote", 15),
                   ("sao_paulo", 10)),
        ladder=_ladder(
            "Marketing Coordinator",
            "Marketing Specialist",
            "Product Marketing Manager",
            ("Senior Product Marketing Manager", "Marketing Team Lead"),
            ("Principal Product Marketing Manager", "Group Marketing Manager"),
            ("Head of Brand", "Director of Marketing"),
            ("Chief Brand Strategist", "VP Marketing"),
        ),
        skills=("Product marketing", "Content marketing", "Copywriting",
                "Search engine optimisation", "Demand generation", "Email marketing",
                "Marketing automation", "Brand strategy", "Go-to-market strategy",
                "Positioning and messaging", "Marketing analytics", "Account-based marketing",
                "Social media marketing", "Public relations", "Event marketing",
                "Campaign management", "Customer marketing"),
        career_goals=(
            "own a full go-to-market launch",
            "tie marketing work to pipeline in a way sales believes",
            "build a content programme with a real point of view",
            "lead a small marketing team",
            "get better at positioning in crowded markets",
        ),
        expertise=(
            "Writing positioning that sales actually uses",
            "Launch planning for B2B products",
            "SEO for technical audiences",
            "Building an account-based marketing programme",
            "Turning customer stories into case studies",
            "Marketing attribution without the hype",
        ),
        domains=("B2B product launches", "content for finance teams", "demand generation",
                 "brand and messaging", "events and community"),
        projects=(
            "relaunching the brand in six weeks",
            "growing the newsletter from zero to 20,000 subscribers",
            "running our first customer conference",
            "rewriting the positioning after a year of lost deals",
        ),
        teams=("product marketing", "demand generation", "content", "brand", "events"),
    ),
    Department(
        key="customer_success",
        name="Customer Success",
        headcount_weight=11,
        locations=(("london", 20), ("new_york", 18), ("singapore", 15), ("sao_paulo", 12),
                   ("toronto", 10), ("berlin", 10), ("bangalore", 10), ("remote", 5)),
        ladder=_ladder(
            "Customer Support Associate",
            "Customer Success Associate",
            "Customer Success Manager",
            ("Senior Customer Success Manager", "Customer Success Team Lead"),
            ("Strategic Customer Success Manager", "Customer Success Group Manager"),
            ("Customer Success Architect", "Director of Customer Success"),
            ("Chief Customer Advocate", "VP Customer Success"),
        ),
        skills=("Customer success management", "Customer onboarding", "Customer support",
                "Customer retention", "Renewals", "Upselling and cross-selling",
                "Quarterly business reviews", "Escalation management", "Zendesk", "Gainsight",
                "Voice of the customer", "Implementation management", "Customer education",
                "Knowledge base management", "Service level agreements", "Account planning",
                "Customer empathy"),
        career_goals=(
            "move from reactive support to strategic account ownership",
            "get comfortable talking about commercials and renewals",
            "build a scalable onboarding programme",
            "grow into leading a customer success team",
            "bring the customer's voice into product decisions",
        ),
        expertise=(
            "Calming down an angry customer",
            "Running quarterly business reviews that matter",
            "Spotting churn risk early",
            "Writing help-centre articles that reduce tickets",
            "Onboarding enterprise customers",
            "Moving from support into customer success",
        ),
        domains=("enterprise onboarding", "support operations", "renewals and expansion",
                 "customer education", "escalations"),
        projects=(
            "cutting first-response time in half",
            "building the onboarding programme for enterprise customers",
            "saving a seven-figure renewal that was about to walk",
            "launching the customer academy",
        ),
        teams=("enterprise success", "support", "onboarding", "APAC success"),
    ),
    Department(
        key="finance",
        name="Finance",
        headcount_weight=5,
        locations=(("london", 35), ("berlin", 35), ("new_york", 20), ("remote", 10)),
        ladder=_ladder(
            "Finance Associate",
            "Financial Analyst",
            "Senior Financial Analyst",
            ("Finance Business Partner", "Finance Team Lead"),
            ("Senior Finance Business Partner", "Finance Manager"),
            ("Head of Financial Planning", "Director of Finance"),
            ("Chief Accountant", "VP Finance"),
        ),
        skills=("Financial modelling", "Financial planning and analysis", "Budgeting",
                "Financial forecasting", "Financial reporting", "Month-end close",
                "Revenue recognition", "Microsoft Excel", "SaaS metrics", "Unit economics",
                "Accounting", "Tax", "Treasury", "Audit", "Internal controls",
                "Finance business partnering", "ERP systems", "Fundraising"),
        career_goals=(
            "move from reporting numbers to influencing decisions",
            "become a true business partner to a department head",
            "lead the annual budgeting cycle",
            "understand fundraising and investor relations",
            "qualify as a chartered accountant while working",
        ),
        expertise=(
            "Building three-statement financial models",
            "SaaS metrics and unit economics",
            "Revenue recognition for subscriptions",
            "Getting month-end close under five days",
            "Explaining a budget to non-finance managers",
            "Preparing for an audit",
        ),
        domains=("SaaS revenue reporting", "budgeting and planning", "month-end close",
                 "fundraising", "multi-entity accounting"),
        projects=(
            "getting month-end close from twelve days down to four",
            "building the model behind our Series C",
            "moving us from spreadsheets to a proper ERP",
            "setting up our first audit as a multi-entity company",
        ),
        teams=("FP&A", "accounting", "revenue operations", "tax and treasury"),
    ),
    Department(
        key="people",
        name="People",
        headcount_weight=6,
        locations=(("berlin", 35), ("london", 25), ("new_york", 15), ("bangalore", 15),
                   ("remote", 10)),
        ladder=_ladder(
            "People Operations Coordinator",
            "People Operations Specialist",
            "People Partner",
            ("Senior People Partner", "People Team Lead"),
            ("Lead People Partner", "People Operations Manager"),
            ("Principal People Partner", "Director of People"),
            ("Chief Talent Advisor", "VP People"),
        ),
        skills=("Recruiting", "Technical recruiting", "Onboarding", "Performance management",
                "Compensation and benefits", "Employee relations", "HR business partnering",
                "Learning and development", "Diversity, equity and inclusion",
                "Employee engagement", "Organisational design", "People analytics", "HRIS",
                "Career frameworks", "Mentoring programmes", "Employment law", "Coaching"),
        career_goals=(
            "move from HR operations into business partnering",
            "design a career framework that people actually use",
            "get better at coaching managers through hard situations",
            "use data to make people decisions more fairly",
            "lead the people team in a region",
        ),
        expertise=(
            "Coaching managers through performance conversations",
            "Designing career frameworks",
            "Running fair, structured interviews",
            "Compensation benchmarking",
            "Setting up mentoring programmes",
            "Employee relations casework",
            "Onboarding that people remember fondly",
        ),
        domains=("talent acquisition", "performance and promotion cycles",
                 "compensation and benefits", "learning and development",
                 "employee relations"),
        projects=(
            "rolling out our career framework across nine departments",
            "launching the company-wide mentoring programme",
            "rebuilding our interview process around structured scorecards",
            "running our first pay-equity review",
        ),
        teams=("talent acquisition", "people partners", "people operations",
               "learning and development"),
    ),
)  # fmt: skip

EXECUTIVE = Department(
    key="executive",
    name="Executive",
    headcount_weight=0,
    locations=(("berlin", 70), ("london", 30)),
    ladder=(
        LadderStep(2, "Executive Assistant to the CEO"),
        LadderStep(3, "Strategy and Operations Analyst"),
        LadderStep(4, "Workplace and IT Manager"),
        LadderStep(5, "Business Operations Manager"),
        LadderStep(6, "Chief of Staff", "Chief of Staff"),
        LadderStep(8, "Chief Executive Officer", "Chief Executive Officer"),
    ),
    skills=("Business operations", "Strategic thinking", "Stakeholder management",
            "Executive communication", "Programme management", "Project management",
            "Contract negotiation", "Data privacy", "Regulatory compliance", "Vendor management",
            "Facilities management", "IT administration", "Running effective meetings",
            "Internal communications", "Financial modelling"),
    career_goals=(
        "see how the whole company fits together, not just one department",
        "take on a general management role",
        "get better at running company-wide planning",
    ),
    expertise=(
        "Running a quarterly planning process",
        "Board meeting preparation",
        "Keeping an executive team's calendar sane",
        "Vendor negotiations",
        "Company-wide OKRs",
    ),
    domains=("company planning", "board and investor relations", "business operations",
             "workplace and IT"),
    projects=(
        "setting up our quarterly planning process",
        "opening the São Paulo office",
        "running the office move in Berlin",
    ),
    teams=("business operations",),
)  # fmt: skip

# The CEO's office below the Chief of Staff: (title, level, skills), in order of hiring.
_EXECUTIVE_ROSTER: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("Executive Assistant to the CEO", 2,
     ("Time management", "Running effective meetings", "Event planning", "Written communication")),
    ("Senior Legal Counsel", 5,
     ("Contract negotiation", "Contract drafting", "Commercial law", "Data privacy",
      "Employment law", "Regulatory compliance")),
    ("Business Operations Manager", 5,
     ("Business operations", "Programme management", "Process improvement",
      "Vendor management", "OKRs")),
    ("Strategy and Operations Analyst", 3,
     ("Financial modelling", "Data analysis", "Strategic thinking", "Microsoft Excel")),
    ("Workplace and IT Manager", 4,
     ("Facilities management", "IT administration", "Vendor management", "Health and safety")),
    ("Internal Communications Lead", 4,
     ("Internal communications", "Written communication", "Storytelling", "Facilitation")),
)  # fmt: skip

_CEO_SKILLS = (
    "Strategic thinking",
    "Fundraising",
    "Executive presence",
    "Public speaking",
    "Building teams",
    "Decision making",
    "Investor relations",
    "Payment systems",
)
_COS_SKILLS = (
    "Strategic thinking",
    "Programme management",
    "Stakeholder management",
    "Executive communication",
    "OKRs",
    "Running effective meetings",
)
# Skills managers tend to list besides their craft.
_MANAGER_SKILLS = (
    "People management",
    "Giving feedback",
    "Coaching",
    "Building teams",
    "Stakeholder management",
    "Delegation",
    "Running effective one-to-ones",
    "Conflict resolution",
    "Managing up",
    "Recruiting",
    "Strategic thinking",
    "Performance management",
    "Managing managers",
)
# Skills anyone may list.
_GENERAL_SKILLS = (
    "Public speaking",
    "Written communication",
    "Facilitation",
    "Mentoring",
    "Business English",
    "Cross-cultural communication",
    "Time management",
    "Giving feedback",
    "Storytelling",
    "Active listening",
    "Agile",
    "Project management",
    "Microsoft Excel",
    "Asynchronous communication",
)
# Growth areas people name in their career goals.
_GROWTH_SKILLS = (
    "Public speaking",
    "Giving feedback",
    "Managing up",
    "Stakeholder management",
    "Executive communication",
    "Influence without authority",
    "Difficult conversations",
    "Strategic thinking",
    "Delegation",
    "Negotiating a promotion",
    "Building visibility",
    "Confidence building",
    "Time management",
    "Written communication",
    "Decision making",
    "Cross-functional collaboration",
    "Personal goal setting",
)
_LEADERSHIP_EXPERTISE = (
    "Becoming a first-time manager",
    "Hiring your first team",
    "Running useful one-to-ones",
    "Managing managers",
    "Giving difficult feedback kindly",
    "Leading a team through a reorg",
    "Leading a team across three timezones",
)


def all_departments() -> tuple[Department, ...]:
    """The nine functional departments followed by the Executive (CEO's office)."""
    return (*DEPARTMENTS, EXECUTIVE)


def department_named(name_or_key: str) -> Department:
    """The department with this key or name (case-insensitive). Raises ``KeyError``."""
    wanted = name_or_key.casefold()
    for department in all_departments():
        if wanted in (department.key.casefold(), department.name.casefold()):
            return department
    raise KeyError(name_or_key)


# ---------------------------------------------------------------------------------------------
# Bios and career goals
# ---------------------------------------------------------------------------------------------

# Slots: {first_name} {company} {a_role} {dept} {team} {years} {years_cap} {hire_year} {where}
# {city} {domain} {project} {skill} {skill2} {skill3} {expertise} {hobby} {weekend} {prev}
# {old_field} {lesson} {languages}
BIO_TEMPLATES: tuple[str, ...] = (
    "I've spent {years} working on {domain}, most recently {project}. Outside work I {hobby}.",
    "Before {company} I worked at {prev}, which taught me a lot about {skill}. These days I'm on "
    "the {team} team, and I'm happiest when I'm {expertise}.",
    "I joined {company} in {hire_year} as {a_role}. Most of my work sits somewhere between "
    "{skill} and {skill2}. At the weekends I {hobby}.",
    "{years_cap} in {dept} so far, currently on the {team} team. Ask me about {expertise}: I've "
    "made most of the mistakes already. When I'm not working I {hobby}.",
    "I'm {a_role} based {where}. I care a lot about {skill} and {skill2}, and I like helping "
    "people who are new to either. Away from work I {hobby}.",
    "I started my career at {prev} and moved to {company} in {hire_year}. The thing I'm proudest "
    "of here is {project}. I'm always happy to talk about {skill}.",
    "Most of what I know about {skill} I learned the hard way, while {project}. I'd love to "
    "pass some of that on. Outside work I {hobby}.",
    "Hi, I'm {first_name}. I've been {a_role} at {company} since {hire_year}, and before that I "
    "spent time at {prev}. Lately I'm curious about {skill2} and would love to learn from people "
    "who do it well.",
    "I like untangling messy problems, especially around {domain}. Recent highlight: {project}. "
    "I also {hobby}, which is a surprisingly good break from screens.",
    "I've been doing {skill} for {years}, mostly in {domain}. What I enjoy most is {expertise}. "
    "Outside work I {hobby}, badly but enthusiastically.",
    "Quiet in big meetings, much chattier one to one. I've spent {years} on {domain} and I'm "
    "now on the {team} team. Weekends are for {weekend}.",
    "I moved to {city} in {hire_year}, the same year I joined {company}. Here I've focused on "
    "{skill} and {skill2}; before that I was at {prev}.",
    "People usually come to me for help with {expertise}. I've been at {company} since "
    "{hire_year}, on the {team} team for most of it. Outside work I {hobby}.",
    "I started out in a completely different field ({old_field}) before moving into {dept}. That "
    "path makes me a good person to talk to if you're thinking about a change. Currently I'm "
    "{a_role} on the {team} team.",
    "I've shipped things I'm proud of and a few I'd rather forget. The proudest: {project}. I'm "
    "keen to mentor anyone getting started with {skill}.",
    "{years_cap} in, I still get a kick out of {expertise}. I'm {a_role} at {company}, working "
    "{where}. Weekends are for {weekend}.",
    "I work on {domain} with the {team} team. Before that I was at {prev}. I believe most "
    "problems get easier once you write them down, and I'll happily read your draft.",
    "After {years} in {dept}, I'm convinced that {skill} matters more than anyone admits. "
    "Outside work I {hobby}.",
    "I'm {a_role} {where}, and I work in {languages}. My day-to-day is {skill} and {skill2}; my "
    "secret weapon is {expertise}.",
    "After {years} around {domain}, I've learned that {lesson}. Happy to share what worked for "
    "me, and what didn't.",
    "I'm currently {a_role} on the {team} team. Previously at {prev}. Interested in {skill2}, "
    "{skill} and good coffee.",
    "I came to {company} from {prev} in {hire_year}. Since then I've spent most of my time on "
    "{domain}, including {project}.",
    "Mentoring is my favourite part of the job: I've helped a handful of colleagues with "
    "{expertise} and I'd like to do more of it. I've been at {company} since {hire_year}.",
    "I split my time between {skill} and {skill2}, with a side of {skill3}. Outside work I "
    "{hobby} and try, mostly unsuccessfully, to keep houseplants alive.",
    "Short version: curious, patient, allergic to busywork. Longer version: I'm {a_role} with "
    "{years} in {dept}, most recently {project}.",
    "I joined {company} when the {team} team was three people. It's a lot bigger now, and I've "
    "learned a great deal about {skill} along the way. Outside work I {hobby}.",
    "I think of myself as a generalist with a soft spot for {skill}. At {company} I've worked on "
    "{domain} and, more recently, {project}.",
    "The best advice I ever got: {lesson_cap}. I try to live by it on the {team} team, where I "
    "spend most days on {skill} and {skill2}. Outside work I {hobby}.",
    "I grew up between two languages and now work in {languages}. That's made me care about "
    "clear writing and about {skill}. I'm {a_role}, based {where}.",
    "Ten-second summary: {a_role}, {years} of experience, strong opinions on {skill}, weak "
    "opinions on everything else. My weekends are for {weekend}.",
)

_CEO_BIO = (
    "I started {company} in 2014 after years of watching subscription businesses fight their "
    "own billing systems. I still read every customer escalation and try to spend a day a "
    "month with a different team. Outside work I {hobby}."
)

# Slots: {next_role_a} {target_skill} {target_skill2} {goal_area} {timeframe} {timeframe_cap}
# {other_dept} {dept} {company}
GOAL_TEMPLATES: tuple[str, ...] = (
    "I want to grow into {next_role_a} {timeframe}. The gap, as I see it, is {target_skill}, so "
    "that's where I'd like a mentor's help.",
    "Over the next year I'd like to {goal_area}. I'd also like to get much more confident with "
    "{target_skill}.",
    "My goal is to {goal_area}. Practically, that means getting better at {target_skill} and "
    "{target_skill2}.",
    "I'm aiming for promotion to {next_role_a} {timeframe}, and I want to build the case "
    "properly rather than hoping someone notices.",
    "I'd like to understand how {other_dept} works from the inside. Longer term I might want to "
    "move across, but first I want to learn {target_skill}.",
    "Honestly, I'm not sure whether the management track is for me. I'd like to talk it through "
    "with someone who has tried both, and meanwhile keep getting better at {target_skill}.",
    "{timeframe_cap}, I want to {goal_area}. I learn best by doing, so I'm looking for someone "
    "who can point me at the right problems.",
    "I want to get better at {target_skill}. I've been avoiding it for a while and it's starting "
    "to hold me back.",
    "Short term, I want to get comfortable with {target_skill}. Long term, I'd like to become "
    "{next_role_a} that other people come to for advice.",
    "I'd like to {goal_area}, and to build a wider network outside my own team so I'm not "
    "always asking the same three people.",
    "I want to step up as a mentor myself, which means getting more deliberate about "
    "{target_skill}.",
    "My manager and I agreed that {target_skill} is my biggest growth area this year. I'd love a "
    "second perspective from someone outside my reporting line.",
    "I'm preparing for the move to {next_role_a}. I'd like help with {target_skill} and with the "
    "less visible parts of the role.",
    "I want to {goal_area} without burning out along the way.",
    "The next step for me is {next_role_a}. I'm solid on the day-to-day; what I need is practice "
    "with {target_skill}.",
    "I'd like to get to a point where I can {goal_area} on my own, without needing someone more "
    "senior in the room.",
    "I've just taken on more responsibility and I want to get better at {target_skill} quickly. "
    "I'd value someone who has been through the same transition.",
    "Two things I want this year: get better at {target_skill}, and learn how to say no to work "
    "that doesn't matter.",
    "I want to build a reputation outside {dept} as someone who is good at {target_skill}.",
    "Long term I'd like to lead a team in {dept}. For now I want to {goal_area}.",
    "I'm curious about {other_dept} and would like to spend time with people there, maybe on a "
    "cross-team project. I also want to improve at {target_skill}.",
    "I want to be the person my team trusts with the hard problems. To get there I need to "
    "{goal_area}.",
    "I want to understand how decisions really get made at {company}, and use that to {goal_area}.",
    "My aim {timeframe} is simple: become {next_role_a}, and bring at least one junior colleague "
    "along by mentoring them.",
    "I'd like to improve at {target_skill} and {target_skill2}. I'm happy to put in the reading, "
    "but I want someone to sanity-check my approach.",
    "I want to speak up more, internal talks first, and get properly good at {target_skill}.",
    "Getting better at {target_skill} is the priority. After that I'd like to {goal_area}.",
    "I'd rather keep growing as an individual contributor than manage, so I need to understand "
    "what {next_role_a} actually does differently.",
)

# Bios containing these read wrongly for someone at level 1 or 2.
_SENIOR_BIO_MARKERS = (
    "Ask me about", "Mentoring is my favourite", "People usually come to me", "{years_cap} in,",
    "After {years}", "I've been doing {skill} for", "Most of what I know", "was three people",
    "The thing I'm proudest", "I'm keen to mentor", "The best advice",
)  # fmt: skip
_TIMEFRAMES = (
    "in the next year",
    "within eighteen months",
    "by the end of next year",
    "in the next two years",
    "over the next twelve months",
)
_HOBBIES = (
    "coach a junior football team", "play cello in an amateur orchestra",
    "run half-marathons, slowly", "volunteer at a food bank", "bake sourdough",
    "climb at the local bouldering gym", "read too much science fiction",
    "restore old bicycles", "teach Python to teenagers at a weekend code club",
    "play five-a-side football", "grow chillies on a very small balcony",
    "sing in a community choir", "practise Brazilian jiu-jitsu", "paint watercolours",
    "DJ at friends' weddings", "look after two rescue cats", "swim in cold lakes",
    "organise a monthly board-game night", "write a newsletter about urban cycling",
    "play chess online", "do amateur astronomy", "learn Japanese, one kanji at a time",
    "play in a five-piece jazz band", "take film photographs", "mentor students from my old "
    "university", "practise yoga", "cook my way through regional Indian cuisine",
    "hike with my dog", "play cricket in a Sunday league", "knit, mostly scarves",
)  # fmt: skip
_WEEKENDS = (
    "long bike rides",
    "my two kids and a very old dog",
    "the allotment",
    "climbing",
    "football and too much coffee",
    "hiking",
    "the farmers' market",
    "pottery classes",
    "family",
    "the local parkrun",
)
_PREVIOUS_EMPLOYERS = (
    "a 20-person fintech start-up", "one of the Big Four consultancies", "a logistics company",
    "a high-street bank", "a games studio", "a university research group",
    "a telecoms company", "an e-commerce scale-up", "a public-sector digital team",
    "a media company", "a travel-booking platform", "a health-tech start-up",
    "a large German insurer", "an advertising agency", "a payments processor",
    "a non-profit", "a car manufacturer", "a SaaS company that was later acquired",
)  # fmt: skip
_OLD_FIELDS = (
    "secondary-school teaching",
    "hospitality",
    "journalism",
    "the army",
    "academic research in linguistics",
    "nursing",
    "retail management",
    "professional football",
    "architecture",
    "music production",
)
_LESSONS = (
    "the best plan is the one the team actually believes in",
    "most deadlines are negotiable if you ask early",
    "writing things down saves more time than it costs",
    "small, boring releases beat big exciting ones",
    "customers usually tell you something true, just not always the thing they say",
    "the first version of anything is for learning, not for keeping",
    "asking for help early is a skill, not a weakness",
)


@dataclass(frozen=True)
class FocusGoal:
    """A mentee's goal for one focus area, e.g. "Grow into a tech lead".

    ``skills`` are catalogue skill names; ``department`` is a department key, or ``None`` for
    goals that fit anyone.
    """

    title: str
    skills: tuple[str, ...]
    text: str
    department: str | None = None


def _goal(department: str | None, title: str, skills: str, text: str) -> FocusGoal:
    return FocusGoal(title, tuple(s.strip() for s in skills.split("|")), text, department)


FOCUS_GOALS: tuple[FocusGoal, ...] = (
    # Engineering
    _goal("engineering", "Grow into a tech lead",
          "System design|Technical leadership|Giving feedback",
          "I'm a senior engineer and I want to lead the technical direction of my team: run "
          "design reviews, unblock people and make calls I can defend. I'd like help with the "
          "leadership half more than the technical half."),
    _goal("engineering", "Get ready for staff engineer",
          "System design|Influence without authority|Written communication",
          "I want to work on problems that span several teams. I need to get better at writing "
          "proposals that win people over and at choosing which problems are worth my time."),
    _goal("engineering", "Become confident on call",
          "Incident management|Observability|Site reliability engineering",
          "On-call makes me anxious. I'd like to learn how experienced engineers approach an "
          "incident: where they look first, how they communicate, and how they stay calm."),
    _goal("engineering", "Move from frontend to full-stack",
          "Backend development|PostgreSQL|API design",
          "I've been doing React for three years and want to own features end to end, including "
          "the API and the database. I'd like a mentor to review my first backend changes."),
    # Product
    _goal("product", "Make the move into product management",
          "Career change into product management|Product discovery|Prioritisation",
          "I've been an engineer for five years and keep gravitating to the why behind features. "
          "I want to test whether product management suits me before I apply for a role."),
    _goal("product", "Own product strategy for my area",
          "Product strategy|Stakeholder management|Executive communication",
          "I'm good at shipping the roadmap I'm given. Now I want to set the direction: write a "
          "strategy, get leadership to back it and say no to things that don't fit."),
    _goal("product", "Run better discovery",
          "Customer interviews|Product discovery|Experimentation",
          "Our discovery mostly confirms what we already wanted to build. I want to learn how to "
          "run interviews and small experiments that can actually change our minds."),
    # Design
    _goal("design", "Lead our design system",
          "Design systems|Stakeholder management|Accessibility",
          "I want to take ownership of the design system: decide what goes in, work with "
          "engineering on adoption and make accessibility the default rather than an add-on."),
    _goal("design", "Switch into UX design",
          "Career change into UX design|User research|Building a portfolio",
          "I work in customer support and love understanding why people get stuck. I'd like to "
          "move into UX and need help building a portfolio from real work."),
    _goal("design", "Present design work to leadership",
          "Public speaking|Storytelling|Design critique",
          "My work is good but my presentations undersell it. I want to learn to tell the story "
          "behind a design and handle pushback from senior people in the room."),
    # Data
    _goal("data", "Career change into data",
          "Career change into data|SQL|Statistics",
          "I'm in finance and spend half my week in spreadsheets. I want to move into analytics: "
          "learn SQL properly, brush up on statistics and understand what the role really is."),
    _goal("data", "Take a model to production",
          "Machine learning|MLOps|Data pipelines",
          "I've built models in notebooks but never shipped one. I'd like help with the "
          "engineering side: pipelines, monitoring and what happens when the data drifts."),
    _goal("data", "Explain data to non-data people",
          "Data storytelling|Data visualisation|Executive communication",
          "My analyses are solid but they don't change decisions. I want to get better at "
          "turning results into a clear recommendation that executives act on."),
    # Sales
    _goal("sales", "Move up to enterprise deals",
          "Enterprise sales|MEDDIC|Negotiation",
          "I'm consistently hitting quota on mid-market deals and want to move to enterprise. I "
          "need to learn how to run long, multi-threaded deals with procurement and legal."),
    _goal("sales", "Go from SDR to account executive",
          "Discovery calls|Closing deals|Objection handling",
          "I've been an SDR for eighteen months and want to be promoted to AE this year. I'd like "
          "to shadow calls and get feedback on running discovery and closing."),
    _goal("sales", "Become a sales manager",
          "Sales coaching|People management|Sales forecasting",
          "I love helping newer reps and think I'd make a good manager. I want to learn how to "
          "coach without taking over deals and how to forecast for a team."),
    # Marketing
    _goal("marketing", "Own a product launch end to end",
          "Go-to-market strategy|Positioning and messaging|Product launches",
          "I've supported launches but never owned one. I want to lead the next major launch, "
          "from positioning through to sales enablement and measuring the results."),
    _goal("marketing", "Prove marketing's impact on revenue",
          "Marketing analytics|Marketing attribution|Data analysis",
          "Sales doesn't trust our pipeline numbers and I don't fully blame them. I want to build "
          "honest measurement that both teams believe."),
    _goal("marketing", "Build a content programme with a point of view",
          "Content strategy|Copywriting|Search engine optimisation",
          "Our blog is a list of product updates. I want to build a content programme people "
          "would read even if they weren't our customers."),
    # Customer Success
    _goal("customer_success", "Move from support into customer success",
          "Customer success management|Account planning|Renewals",
          "I've been in support for two years and want to own accounts rather than tickets. I'd "
          "like to understand renewals and commercial conversations before I apply."),
    _goal("customer_success", "Handle escalations with confidence",
          "Escalation management|Difficult conversations|Active listening",
          "When a big customer escalates I freeze a bit. I want to learn how experienced people "
          "de-escalate, what they promise and what they never promise."),
    _goal("customer_success", "Bring the customer's voice to product",
          "Voice of the customer|Stakeholder management|Data storytelling",
          "I hear the same three complaints every week and nothing changes. I want to learn how "
          "to turn them into evidence that product managers can act on."),
    # Finance
    _goal("finance", "Become a real business partner",
          "Finance business partnering|Stakeholder management|Financial modelling",
          "I produce the monthly numbers for two departments. I want their heads to call me "
          "before they make decisions, not after."),
    _goal("finance", "Lead the budgeting cycle",
          "Budgeting|Financial planning and analysis|Running effective meetings",
          "Next year I'd like to run the annual budget. I need to get better at herding busy "
          "managers and keeping the process from eating three months."),
    _goal("finance", "Understand fundraising",
          "Fundraising|Valuation|Investor relations",
          "I want to understand how a funding round actually works, from the model to the data "
          "room, so I can contribute to the next one."),
    # People
    _goal("people", "Grow from HR operations into business partnering",
          "HR business partnering|Coaching|Organisational design",
          "I'm good at the operational side of HR. I want to become the person a department "
          "head calls when their team is struggling."),
    _goal("people", "Coach managers through hard conversations",
          "Coaching|Difficult conversations|Employee relations",
          "Managers come to me before performance conversations and I want to give them better "
          "help than a checklist."),
    _goal("people", "Use data in people decisions",
          "People analytics|Data analysis|Diversity, equity and inclusion",
          "I want to bring evidence into promotion and pay discussions so that our decisions are "
          "fairer and easier to explain."),
    # Anyone
    _goal(None, "Negotiate my next promotion",
          "Negotiating a promotion|Preparing a promotion case|Building visibility",
          "I think I'm doing work at the next level but I haven't made the case. I'd like help "
          "building a promotion case and having the conversation with my manager."),
    _goal(None, "Become a first-time manager",
          "Becoming a manager|People management|Running effective one-to-ones",
          "I've just been asked to manage two people who used to be my peers. I want to get the "
          "basics right: one-to-ones, feedback and setting expectations."),
    _goal(None, "Speak with confidence",
          "Public speaking|Confidence building|Storytelling",
          "I go blank when presenting to more than five people. I'd like to practise with "
          "someone who can give honest feedback, starting with a team demo."),
    _goal(None, "Get better at giving feedback",
          "Giving feedback|Difficult conversations|Coaching",
          "I avoid giving critical feedback until it's too late. I want to learn to give it "
          "early, kindly and specifically."),
    _goal(None, "Manage up effectively",
          "Managing up|Stakeholder management|Executive communication",
          "My new manager is very senior and very busy. I want to learn how to get the support I "
          "need from them without wasting their time."),
    _goal(None, "Work across time zones",
          "Asynchronous communication|Cross-cultural communication|Leading remote teams",
          "My team is spread across Berlin, Bangalore and Toronto. I want to get better at "
          "running a team where there is barely an hour of overlap."),
    _goal(None, "Return to work after a career break",
          "Returning to work after a career break|Confidence building|Continuous learning",
          "I've just come back after two years of caring for a family member. I want to catch "
          "up quickly and rebuild my confidence."),
    _goal(None, "Plan the next five years of my career",
          "Career planning|Professional networking|Personal goal setting",
          "I like my job but I don't know where it leads. I want to explore options with "
          "someone who has seen more careers than mine."),
)  # fmt: skip


def focus_area_goals_for(department: str) -> list[FocusGoal]:
    """Focus-area goals that fit someone in ``department`` (key or name, any case).

    The department's own goals come first, then goals that fit anyone. An unknown department
    (or the Executive) gets only the general goals.
    """
    try:
        key: str | None = department_named(department).key
    except KeyError:
        key = None
    own = [goal for goal in FOCUS_GOALS if key is not None and goal.department == key]
    return own + [goal for goal in FOCUS_GOALS if goal.department is None]


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoPerson:
    """One generated employee, ready to be turned into a ``Person`` row.

    ``manager_employee_id`` is ``None`` only for the CEO. ``skills`` are (catalogue skill name,
    proficiency 1–5) pairs, strongest first; ``languages`` are ISO 639-1 codes.
    """

    employee_id: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    department: str
    level: int
    location: str
    timezone: str
    languages: list[str]
    manager_employee_id: str | None
    hire_date: date
    skills: list[tuple[str, int]]
    expertise: list[str]
    bio: str
    career_goals: str
    hours_per_month: int
    is_manager: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class _Node:
    """A position in the reporting tree before anybody is put in it."""

    level: int
    department: Department
    children: list[_Node] = field(default_factory=list)
    roster: tuple[str, int, tuple[str, ...]] | None = None  # fixed executive-office roles

    @property
    def manages(self) -> bool:
        return bool(self.children)


MIN_SPAN, MAX_SPAN = 3, 10
_FRONT_LINE_LEVEL = 5
# How likely an individual contributor under a front-line manager is at each level.
_IC_LEVEL_WEIGHTS = {1: 1.0, 2: 2.5, 3: 3.0, 4: 2.5, 5: 1.0, 6: 0.5, 7: 0.2}


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs], k=1)[0]


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    sizes = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - sizes[i]), i))
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _no_tiny_teams(sizes: list[int]) -> list[int]:
    """Adjust team sizes so none is 2 or 3 (a manager needs at least three reports).

    A size is the head plus everyone below. Sizes of 1 (a lone head) or 4+ are fine.
    """
    sizes = list(sizes)
    while True:
        bad = [i for i, s in enumerate(sizes) if s in (2, 3)]
        if not bad:
            return sizes
        i = bad[0]
        need = 4 - sizes[i]
        donor = next((j for j in sorted(range(len(sizes)), key=lambda j: -sizes[j])
                      if j != i and sizes[j] - need >= 4), None)  # fmt: skip
        if donor is not None:
            sizes[donor] -= need
            sizes[i] += need
            continue
        receiver = max((j for j in range(len(sizes)) if j != i), key=lambda j: sizes[j])
        sizes[receiver] += sizes[i] - 1
        sizes[i] = 1


def _ic_level(rng: random.Random, manager_level: int) -> int:
    levels = [lvl for lvl in range(1, manager_level) if lvl in _IC_LEVEL_WEIGHTS]
    return rng.choices(levels, weights=[_IC_LEVEL_WEIGHTS[lvl] for lvl in levels], k=1)[0]


def _build_team(rng: random.Random, department: Department, size: int, level: int) -> _Node:
    """A subtree of ``size`` people headed by someone at ``level``; spans stay within 3–10."""
    node = _Node(level, department)
    below = size - 1
    if below == 0:
        return node
    if below <= MAX_SPAN:
        node.children = [_Node(_ic_level(rng, level), department) for _ in range(below)]
        return node
    # Too many for one team: a few senior ICs report directly, the rest form sub-teams.
    preferred = rng.choice((0, 1, 1, 2, 2, 3))
    for direct in (preferred, 0, 1, 2, 3, 4):
        rest = below - direct
        high = min(MAX_SPAN - direct, rest // 4)
        # Prefer sub-teams of at most ~400; very large departments (50,000-person companies)
        # simply get the widest span allowed and deeper trees.
        low = max(1, MIN_SPAN - direct, min(math.ceil(rest / (MAX_SPAN * 40)), high))
        if low <= high:
            break
    else:  # pragma: no cover - every size above 10 has a feasible split
        raise AssertionError(f"cannot split a team of {size}")
    teams = min(high, max(low, round(rest / 8)))
    sizes = _largest_remainder(rest, [1.0] * teams)
    for _ in range(teams):  # a little unevenness, never below four
        i, j = rng.randrange(teams), rng.randrange(teams)
        if i != j and sizes[i] > 5:
            sizes[i] -= 1
            sizes[j] += 1
    for team_size in sizes:
        child_level = level - 1 if team_size > MAX_SPAN + 1 else min(level - 1, _FRONT_LINE_LEVEL)
        if child_level < 2:
            raise ValueError("organisation too large for the eight-level ladder")
        node.children.append(_build_team(rng, department, team_size, child_level))
    for _ in range(direct):
        node.children.append(_Node(max(1, level - rng.choice((1, 2))), department))
    return node


def _build_organisation(rng: random.Random, count: int) -> _Node:
    ceo = _Node(8, EXECUTIVE)
    if count == 1:
        return ceo
    office_reports = 0 if count < 40 else (3 if count < 150 else len(_EXECUTIVE_ROSTER) - 1)
    if office_reports:
        chief_of_staff = _Node(6, EXECUTIVE)
        chief_of_staff.children = [
            _Node(role[1], EXECUTIVE, roster=role) for role in _EXECUTIVE_ROSTER[:office_reports]
        ]
        ceo.children.append(chief_of_staff)
    rest = count - 1 - (1 + office_reports if office_reports else 0)
    by_weight = sorted(DEPARTMENTS, key=lambda d: -d.headcount_weight)
    if rest <= len(DEPARTMENTS):
        chosen, sizes = by_weight[:rest], [1] * rest
    else:
        chosen = by_weight[: min(len(DEPARTMENTS), max(MIN_SPAN, rest // 6))]
        sizes = _no_tiny_teams(_largest_remainder(rest, [d.headcount_weight for d in chosen]))
    for department, size in zip(chosen, sizes, strict=True):
        head_level = 7 if size > MAX_SPAN + 1 else 6
        ceo.children.append(_build_team(rng, department, size, head_level))
    return ceo


def _years_phrase(years: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen", "twenty")  # fmt: skip
    if years <= 1:
        return "a year"
    if years > 20:
        return "over twenty years"
    return f"{words[years]} years"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


_PROPER_WORDS = {
    "python", "java", "go", "kubernetes", "docker", "react", "django", "figma", "looker",
    "salesforce", "zendesk", "gainsight", "microsoft", "amazon", "apache", "google", "adobe",
    "scrum", "jira", "tableau", "english", "kafka", "airflow", "excel", "agile", "ux",
}  # fmt: skip


def _in_sentence(name: str) -> str:
    """A skill or phrase as it reads mid-sentence: "System design" -> "system design",
    "Business English" -> "business English"; "Python", "SQL", "Apache Kafka" unchanged."""
    words = name.split(" ")
    if words[0].casefold() in _PROPER_WORDS:
        return name
    return " ".join(
        word
        if any(ch.isupper() for ch in word[1:]) or word.casefold() in _PROPER_WORDS
        else word[:1].lower() + word[1:]
        for word in words
    )


def _title_in_sentence(title: str) -> str:
    """A job title after "I'm", with its article: "Senior Software Engineer" -> "a senior
    software engineer", "Software Engineer II" -> "a software engineer II", "Engineering
    Manager" -> "an engineering manager". "VP Sales" has no article and keeps its capitals."""
    if title.startswith("VP "):
        return title
    words = []
    for word in title.split():
        keep = (word.isupper() and len(word) > 1) or word.casefold() in _PROPER_WORDS
        words.append(word if keep else word.lower())
    first = words[0]
    vowel_sound = first[0] in ("AEFHILMNORSX" if first.isupper() else "aeiou")
    return ("an " if vowel_sound else "a ") + " ".join(words)


def _languages_phrase(codes: Sequence[str]) -> str:
    names = [LANGUAGE_NAMES[c] for c in codes]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _fill(template: str, slots: dict[str, str]) -> str:
    return " ".join(template.format(**slots).split())


def _pick_name(
    rng: random.Random, office: Office, used: set[tuple[str, str]]
) -> tuple[str, str, NameOrigin]:
    for _ in range(50):
        origin = NAME_ORIGINS[_weighted(rng, office.origins)]
        first = rng.choice(origin.first_names)
        family_origin = origin
        if rng.random() < 0.06:  # mixed-heritage families, married names
            family_origin = NAME_ORIGINS[_weighted(rng, office.origins)]
        last = rng.choice(family_origin.last_names)
        if (first, last) not in used and first != last:
            used.add((first, last))
            return first, last, origin
    used.add((first, last))
    return first, last, origin


def _languages(rng: random.Random, office: Office, timezone: str, origin: NameOrigin) -> list[str]:
    codes: list[str] = []
    if origin.languages and rng.random() < 0.8:
        codes.append(rng.choice(origin.languages))
    local = _REMOTE_LANGUAGE.get(timezone) if office.is_remote else None
    for code, probability in ((local,) if local else ()) + office.languages:
        if rng.random() < probability:
            codes.append(code)
    codes.append("en")
    return list(dict.fromkeys(codes))


def _skills(rng: random.Random, node: _Node, department: Department) -> list[tuple[str, int]]:
    if node.roster is not None:
        names = list(node.roster[2])
    elif node.level == 8:
        names = list(_CEO_SKILLS)
    elif department is EXECUTIVE:
        names = list(_COS_SKILLS)
    else:
        names = rng.sample(department.skills, rng.randint(4, 7))
    if node.manages and node.level < 8:
        pool = list(_MANAGER_SKILLS)
        if not any(child.manages for child in node.children):
            pool.remove("Managing managers")
        names += rng.sample(pool, rng.randint(1, 3))
    if rng.random() < 0.6:
        names.append(rng.choice(_GENERAL_SKILLS))
    result: dict[str, int] = {}
    centre = 1.4 + 0.45 * node.level
    for name in names:
        if name not in result:
            result[name] = max(1, min(5, round(rng.gauss(centre, 0.8))))
    return sorted(result.items(), key=lambda item: (-item[1], item[0]))


def generate_people(
    count: int, seed: int = 7, renames: Mapping[str, tuple[str, str]] | None = None
) -> list[DemoPerson]:
    """A deterministic company of ``count`` people with a proper reporting tree.

    * One CEO (level 8, Executive department, ``manager_employee_id=None``).
    * Department heads (VPs at level 7, or Directors at level 6 in small departments) report
      to the CEO, as does the Chief of Staff (from 40 people on), who runs the CEO's office.
    * Below each head: managers, then individual contributors. Every manager is more senior
      than each report and has 3 to 10 reports (for ``count`` of 4 or more); everyone below a
      department head is in that head's department.
    * Employee IDs ``E00001``… in breadth-first order (the CEO is ``E00001``); emails
      ``firstname.lastname@larkfield.example``, unique.

    The same ``count`` and ``seed`` always give the same people. ``renames`` gives some
    employee IDs another (first name, last name): their email, bio and everything else that
    names them use the new name, and everybody else is exactly as without it.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    rng = random.Random(seed)
    root = _build_organisation(rng, count)

    people: list[DemoPerson] = []
    used_names: set[tuple[str, str]] = set()
    used_emails: set[str] = set()
    queue: list[tuple[_Node, DemoPerson | None, Office | None]] = [(root, None, None)]
    company_age_days = (REFERENCE_DATE - FOUNDED).days
    while queue:
        node, manager, manager_office = queue.pop(0)
        department = node.department
        employee_id = f"E{len(people) + 1:05d}"

        same_department = manager is not None and manager.department == department.name
        if (
            manager_office is not None
            and same_department
            and manager_office.key in dict(department.locations)
            and rng.random() < 0.6
        ):
            office = manager_office
        else:
            office = office_named(_weighted(rng, department.locations))
        zone_index = rng.randrange(len(office.timezones))
        timezone = office.timezones[zone_index]
        city = (office.cities or (office.name,))[zone_index]
        where = f"remotely from {city}" if office.is_remote else f"in our {city} office"

        first, last, origin = _pick_name(rng, office, used_names)
        if renames and employee_id in renames:
            first, last = renames[employee_id]
        local = email_local_part(first, last)
        email, suffix = f"{local}@{COMPANY_DOMAIN}", 1
        while email in used_emails:
            suffix += 1
            email = f"{local}{suffix}@{COMPANY_DOMAIN}"
        used_emails.add(email)
        languages = _languages(rng, office, timezone, origin)

        if node.roster is not None:
            job_title = node.roster[0]
        else:
            job_title = department.title(node.level, manages=node.manages)

        experience = max(1, round(rng.uniform(0.4, 1.4) * (node.level * 2.6 - 1.8)))
        if manager is None:
            hire_date = FOUNDED
        else:
            longest = min(company_age_days, experience * 365)
            tenure = int(rng.triangular(60, max(61, longest), max(61, longest * 0.3)))
            hire_date = REFERENCE_DATE - timedelta(days=tenure)

        skills = _skills(rng, node, department)
        skill_names = [name for name, _ in skills]
        expertise_pool = list(department.expertise)
        expertise = rng.sample(expertise_pool, min(len(expertise_pool), rng.randint(1, 3)))
        if node.level <= 2:
            expertise = expertise[:1]
        if node.manages and rng.random() < 0.5:
            expertise.append(rng.choice(_LEADERSHIP_EXPERTISE))

        trio = (skill_names + list(department.skills))[:3] if len(skill_names) < 3 else \
            rng.sample(skill_names, 3)  # fmt: skip
        lesson = rng.choice(_LESSONS)
        slots = {
            "first_name": first,
            "company": COMPANY_NAME,
            "a_role": _title_in_sentence(job_title),
            "dept": department.name.lower() if department is not EXECUTIVE else "operations",
            "team": rng.choice(department.teams),
            "years": _years_phrase(experience),
            "years_cap": _capitalise(_years_phrase(experience)),
            "hire_year": str(hire_date.year),
            "where": where,
            "city": city,
            "domain": rng.choice(department.domains),
            "project": rng.choice(department.projects),
            "skill": _in_sentence(trio[0]),
            "skill2": _in_sentence(trio[1]),
            "skill3": _in_sentence(trio[2]),
            "expertise": _in_sentence(rng.choice(department.expertise)),
            "hobby": rng.choice(_HOBBIES),
            "weekend": rng.choice(_WEEKENDS),
            "prev": rng.choice(_PREVIOUS_EMPLOYERS),
            "old_field": rng.choice(_OLD_FIELDS),
            "lesson": lesson,
            "lesson_cap": _capitalise(lesson),
            "languages": _languages_phrase(languages),
        }
        bio_templates = [
            t
            for t in BIO_TEMPLATES
            if ("{languages}" not in t or len(languages) > 1)
            and (node.level > 2 or not any(m in t for m in _SENIOR_BIO_MARKERS))
            and ("was three people" not in t or hire_date.year <= REFERENCE_DATE.year - 4)
        ]
        bio = _fill(_CEO_BIO if node.level == 8 else rng.choice(bio_templates), slots)
        career_goals = _career_goals(rng, node, department, job_title, skill_names)

        hours_options = {1: (1, 2, 2, 3), 2: (1, 2, 2, 3), 3: (2, 3, 4, 4), 4: (2, 3, 4, 4, 6)}
        hours = rng.choice(hours_options.get(node.level, (2, 4, 4, 6, 8)))

        person = DemoPerson(
            employee_id=employee_id,
            first_name=first,
            last_name=last,
            email=email,
            job_title=job_title,
            department=department.name,
            level=node.level,
            location=office.name,
            timezone=timezone,
            languages=languages,
            manager_employee_id=manager.employee_id if manager else None,
            hire_date=hire_date,
            skills=skills,
            expertise=expertise,
            bio=bio,
            career_goals=career_goals,
            hours_per_month=hours,
            is_manager=node.manages,
        )
        people.append(person)
        queue.extend((child, person, office) for child in node.children)
    return people


def _career_goals(
    rng: random.Random,
    node: _Node,
    department: Department,
    job_title: str,
    skill_names: Sequence[str],
) -> str:
    if node.level == 8:
        return (
            f"I want {COMPANY_NAME} to be a place where people grow faster than they would "
            "anywhere else, and to get better at developing the leaders who will run it after me."
        )
    if node.roster is not None:
        next_role = "a business operations manager" if node.level < 5 else "a chief of staff"
    elif node.level >= 7:
        next_role = "an executive role"
    else:
        next_title = department.title(node.level + 1, manages=node.manages)
        if next_title == job_title:
            next_title = department.title(node.level + 1, manages=True)
        next_role = _title_in_sentence(next_title)
    candidates = [s for s in (*department.skills, *_GROWTH_SKILLS) if s not in skill_names]
    target, target2 = rng.sample(candidates, 2)
    others = [d for d in DEPARTMENTS if d is not department]
    timeframe = rng.choice(_TIMEFRAMES)
    slots = {
        "next_role_a": next_role,
        "target_skill": _in_sentence(target),
        "target_skill2": _in_sentence(target2),
        "goal_area": rng.choice(department.career_goals),
        "timeframe": timeframe,
        "timeframe_cap": _capitalise(timeframe),
        "other_dept": rng.choice(others).name.lower(),
        "dept": department.name.lower() if department is not EXECUTIVE else "operations",
        "company": COMPANY_NAME,
    }
    text = _fill(rng.choice(GOAL_TEMPLATES), slots)
    if rng.random() < 0.25:
        second = _fill(rng.choice(GOAL_TEMPLATES), slots)
        if second != text:
            text = f"{text} {second}"
    return text
