"""The mentorship workspace in the JSON API, under /api/v1/mentorships/: one router per
concept, all with the pages' permissions (participants everything; program admins and site
admins the state and dates only, 403 on content; anyone else 404)."""

from __future__ import annotations

from ninja import Router

from mentorbridge.mentorships.actions.api import router as actions_router
from mentorbridge.mentorships.agreements.api import router as agreements_router
from mentorbridge.mentorships.checkins.api import router as checkins_router
from mentorbridge.mentorships.goals.api import router as goals_router
from mentorbridge.mentorships.groups.api import router as groups_router
from mentorbridge.mentorships.health.api import program_router
from mentorbridge.mentorships.health.api import router as health_router
from mentorbridge.mentorships.meetings.api import router as meetings_router
from mentorbridge.mentorships.notes.api import router as notes_router
from mentorbridge.mentorships.workspace.api import router as workspace_router

router = Router()
router.add_router("", workspace_router)
router.add_router("", groups_router)
router.add_router("", agreements_router)
router.add_router("", goals_router)
router.add_router("", meetings_router)
router.add_router("", notes_router)
router.add_router("", actions_router)
router.add_router("", checkins_router)
router.add_router("", health_router)

#: Mentorship operations about a whole program, mounted under /programs by the API root.
programs_router = program_router
