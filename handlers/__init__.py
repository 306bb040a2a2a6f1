"""Telegram in and out: one router per feature, collected here in the order they match.

Routers are built by factories, so every dispatcher (and every test) gets its own.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.telegram.context import OnMessage
from bot.webapp.routing import ApiRoute
from handlers.basics import commands as basics
from handlers.basics import errors, fallback, flows, groups
from handlers.basics import webapp as basics_webapp
from handlers.broadcast import compose as broadcast
from handlers.events import browse as events
from handlers.events import webapp as events_webapp
from handlers.figures import reports as figures
from handlers.frontdoor import doors as front_door
from handlers.hours import approve, certificate, my_hours, verify
from handlers.hours import one_message as hours
from handlers.hubs import finder as hubs
from handlers.hubs import webapp as hubs_webapp
from handlers.privacy import rights as privacy
from handlers.settings import announcements as announcement_settings
from handlers.settings import preferences
from handlers.settings import quartiere as quartiere_question
from handlers.staff import overview as staff_overview
from handlers.staff import webapp as staff_webapp
from handlers.volunteering import my_shifts, registration, reminders, roster
from handlers.volunteering import projects as volunteer
from handlers.volunteering import webapp as projects_webapp


def create_root_router() -> Router:
    """Private-chat features first, then groups, then the catch-all hints."""
    private = Router(name="private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    # Every private feature's buttons act on their message: the filter hands it over.
    private.callback_query.filter(OnMessage(), F.message.chat.type == ChatType.PRIVATE)
    # A command in the middle of a flow ends the flow before any feature sees the command.
    private.message.outer_middleware(flows.LeaveFlowOnCommand())
    private.include_routers(
        # Before /start: the certificate's QR code opens the bot with `/start verify-CODE`.
        verify.create_router(),
        basics.create_router(),
        flows.create_router(),
        privacy.create_router(),
        preferences.create_router(),
        announcement_settings.create_router(),
        quartiere_question.create_router(),
        hubs.create_router(),
        registration.create_router(),
        volunteer.create_router(),
        my_shifts.create_router(),
        events.create_router(),
        reminders.create_router(),
        roster.create_router(),
        hours.create_router(),
        approve.create_router(),
        my_hours.create_router(),
        certificate.create_router(),
        figures.create_router(),
        staff_overview.create_router(),
        broadcast.create_router(),
        front_door.create_router(),
        fallback.create_router(),
    )
    root = Router(name="root")
    root.include_routers(
        errors.create_router(),
        groups.create_router(),
        private,
        fallback.create_stale_buttons_router(),
    )
    return root


def webapp_routes() -> list[ApiRoute]:
    """Every feature's Mini App endpoints (handlers/<feature>/webapp.py)."""
    return [
        *basics_webapp.routes(),
        *hubs_webapp.routes(),
        *events_webapp.routes(),
        *projects_webapp.routes(),
        *staff_webapp.routes(),
    ]
