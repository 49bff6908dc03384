"""`python -m mentorbridge.matching_engine` runs the CLI."""

from mentorbridge.matching_engine.cli import main

raise SystemExit(main())
