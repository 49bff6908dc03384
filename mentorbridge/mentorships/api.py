"""The mentorship workspace in the JSON API, under /api/v1/mentorships/: one router per
concept, all with the pages' permissions (participants everything; program admins and site
admins the state and dates only, 403 on content; anyone else 404)."""

from __future__ import annotations

from ninja import Router

from mentorbridge.mentorships.agreements.api import router as agreements_router
from mentorbridge.mentorships.checkins.api import router as checkins_router
from mentorbridge.mentorships.goals.api import router as goals_router
from mentorbridge.mentorships.workspace.api import router as workspace_router

router = Router()
router.add_router("", workspace_router)
router.add_router("", agreements_router)
router.add_router("", goals_router)
router.add_router("", checkins_router)
