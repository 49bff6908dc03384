"""`python -m mentorbridge.matching_engine` runs the CLI."""

from mentorbridge.matching_engine.cli import run

run()
