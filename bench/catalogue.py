"""Skill catalogue for the instance generator.

Uses `mentorbridge/people/catalogue_data.json` when it exists (the product's own catalogue), so
benchmark instances speak the same vocabulary as real profiles; otherwise falls back to the
built-in list below (~300 skills in 19 areas). Within an area, skills are listed roughly from most
to least common: the generator draws them with a Zipf-like skew by position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PRODUCT_CATALOGUE = (
    Path(__file__).resolve().parent.parent / "mentorbridge/people/catalogue_data.json"
)

# One area per entry: "area: skill, skill, ..." (continuation lines are indented).
BUILTIN_CATALOGUE = """
software engineering: python, javascript, typescript, java, sql, git, code review, testing,
    system design, api design, go, c#, react, node.js, rust, kotlin, django, spring boot, c++,
    refactoring, debugging, design patterns, microservices, graphql, swift, vue.js, angular,
    php, ruby on rails, scala, elixir, haskell, webassembly, performance tuning, concurrency
infrastructure: linux, docker, kubernetes, aws, terraform, ci/cd, observability, networking,
    azure, google cloud, incident response, site reliability, ansible, bash scripting,
    postgresql administration, capacity planning, service mesh, chaos engineering, finops, edge
    computing
data: data analysis, excel, statistics, machine learning, data visualization, pandas, data
    engineering, tableau, power bi, a/b testing, deep learning, spark, dbt, airflow, natural
    language processing, computer vision, causal inference, forecasting, mlops, data governance,
    bayesian modelling, recommender systems, time series analysis, large language models
security: security awareness, threat modelling, identity and access management, application
    security, penetration testing, cryptography, incident forensics, compliance audits, secure
    code review, cloud security, zero trust, vulnerability management, soc operations, privacy
    engineering
product: product management, user research, roadmapping, prioritization, product discovery,
    metrics and okrs, stakeholder management, product strategy, pricing, go-to-market,
    competitive analysis, experimentation, product analytics, platform products, b2b saas
design: ux design, ui design, figma, prototyping, design systems, accessibility, interaction
    design, visual design, information architecture, usability testing, service design, motion
    design, illustration, content design, typography
leadership: people management, giving feedback, delegation, coaching, hiring, leading change,
    strategic thinking, decision making, team building, managing managers, performance reviews,
    conflict resolution, building culture, remote leadership, executive presence, org design,
    succession planning, managing up
communication: public speaking, presentation skills, business writing, storytelling,
    negotiation, facilitation, active listening, technical writing, influencing without
    authority, cross-cultural communication, difficult conversations, meeting design,
    documentation, media training
career: career planning, networking, personal branding, time management, work-life balance,
    resilience, imposter syndrome, returning from leave, career change, promotion readiness,
    learning how to learn, goal setting, first-time manager, moving to a new country, building
    confidence
project delivery: project management, agile, scrum, kanban, risk management, stakeholder
    communication, budgeting, program management, jira, estimation, change management, vendor
    management, okr planning, release management, lean
sales: sales prospecting, account management, crm, salesforce, solution selling, sales
    negotiation, pipeline management, enterprise sales, customer discovery, partnerships, sales
    engineering, bid writing, channel sales, renewals and upsell
marketing: content marketing, seo, social media, brand strategy, product marketing, email
    marketing, marketing analytics, copywriting, events, paid acquisition, community building,
    public relations, growth marketing, market research
finance: financial modelling, budget planning, accounting, fp&a, corporate finance, tax,
    treasury, procurement, audit, investor relations, payroll, revenue operations, cost
    accounting, ifrs
people operations: recruiting, onboarding, employee relations, compensation and benefits,
    learning and development, diversity and inclusion, hr analytics, employment law, workforce
    planning, employee engagement, wellbeing, talent management, workday
customer success: customer support, customer success management, zendesk, escalation handling,
    customer onboarding, churn analysis, knowledge base writing, voice of customer, support
    operations, technical account management, service level management
legal and operations: contract negotiation, gdpr, intellectual property, corporate governance,
    process improvement, operations strategy, supply chain, logistics, business continuity,
    quality management, six sigma, facilities, regulatory affairs, ethics and compliance
hardware and iot: embedded systems, electronics, pcb design, firmware, robotics, iot platforms,
    fpga, sensors, product certification, manufacturing engineering
research: research methods, scientific writing, literature review, experimental design, grant
    writing, patent drafting, peer review, qualitative research, survey design, ethnography
sustainability: carbon accounting, esg reporting, sustainable design, circular economy, energy
    management, climate risk, green software, sustainability strategy
"""


def _parse_builtin(text: str) -> dict[str, list[str]]:
    """Parse `BUILTIN_CATALOGUE` into {area: [skill, ...]}."""
    areas: dict[str, list[str]] = {}
    for entry in text.strip().replace("\n    ", " ").splitlines():
        key, _, skills = entry.partition(":")
        areas[key.strip()] = [s.strip() for s in skills.split(",") if s.strip()]
    return areas


BUILTIN_AREAS = _parse_builtin(BUILTIN_CATALOGUE)


@dataclass(frozen=True)
class Area:
    """One catalogue area: a key and its skill ids, most common first."""

    key: str
    skills: tuple[str, ...]


def fold(name: str) -> str:
    """Return the skill id used in instances for a catalogue name (lowercase, folded).

    Uses the product's own folding (`mentorbridge.people.catalogue.fold`) when available, so
    generated ids match what profiles store; plain casefold + whitespace collapse otherwise.
    """
    try:
        from mentorbridge.people.catalogue import fold as product_fold
    except ImportError:
        return " ".join(name.casefold().split())
    return product_fold(name)


def load_catalogue(path: Path | None = None) -> tuple[list[Area], str]:
    """Load the areas to draw skills from, and say where they came from.

    Reads the product catalogue (`{"areas": [{"key", "name", "skills": [{"name", ...}]}]}`) when
    the file exists and has skills, else returns the built-in catalogue. Skill ids are folded and
    de-duplicated across areas (a skill listed in two areas stays in the first).
    """
    source = path or PRODUCT_CATALOGUE
    raw: list[tuple[str, list[str]]] = []
    origin = "built-in"
    if source.exists():
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            raw = [
                (str(area.get("key") or area.get("name")), [s["name"] for s in area["skills"]])
                for area in data["areas"]
            ]
            origin = str(source)
        except (KeyError, TypeError, ValueError):
            raw = []
    if not any(skills for _, skills in raw):
        raw = list(BUILTIN_AREAS.items())
        origin = "built-in"
    seen: set[str] = set()
    areas: list[Area] = []
    for key, names in raw:
        ids = []
        for name in names:
            skill = fold(name)
            if skill and skill not in seen:
                seen.add(skill)
                ids.append(skill)
        if ids:
            areas.append(Area(key=key, skills=tuple(ids)))
    return areas, origin
