"""The staff Mini App's Events section: the programme office edits greenway events.

Endpoints for admins; the service (bot.services.events.editing) checks the role again,
the form with the catalog import's rules, and the version the form was opened on.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import event_when, pick
from bot.services.events import editing
from bot.services.events.form import EventForm, EventFormRefused
from bot.services.people.roles import Role
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused
from handlers.events.webapp_texts import events_texts


def _whole(value: object) -> int | None:
    """A whole number sent by the page (an id, a version), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _not_found() -> FormRefused:
    return FormRefused({"event": events_texts()["gone"]})


async def greenways(call: ApiCall) -> dict[str, Any]:
    """Every greenway with its upcoming events, and the section's texts."""
    now = call.clock.now()
    zone, default = call.settings.timezone, call.settings.default_locale
    found = await editing.greenways_with_events(call.session, call.actor, now)
    return {
        "texts": events_texts(),
        "greenways": [
            {
                "id": item.greenway.id,
                "name": pick(item.greenway.name, call.locale, default),
                "events": [
                    {
                        "id": event.id,
                        "title": pick(event.title, call.locale, default),
                        "when": event_when(event.start_at, event.end_at, call.locale, zone),
                    }
                    for event in item.events
                ],
            }
            for item in found
        ],
    }


async def event(call: ApiCall) -> dict[str, Any]:
    event_id = _whole(call.query.get("id"))
    try:
        if event_id is None:
            raise editing.EventNotFound(event_id)
        found = await editing.read_event(call.session, call.actor, event_id, call.settings.timezone)
    except editing.EventNotFound:
        raise _not_found() from None
    return {
        "id": found.id,
        "code": found.code,
        "greenway_id": found.greenway_id,
        "version": found.version,
        **found.values,
    }


def _policy(call: ApiCall) -> ReminderPolicy:
    return ReminderPolicy.from_settings(call.settings)


async def add(call: ApiCall) -> dict[str, Any]:
    greenway_id = _whole(call.body.get("greenway_id"))
    try:
        if greenway_id is None:
            raise editing.EventNotFound(greenway_id)
        event_id = await editing.add_event(
            call.session, call.actor, greenway_id, EventForm.of(call.body),
            call.clock.now(), _policy(call),
        )  # fmt: skip
    except EventFormRefused as refused:
        raise FormRefused(refused.fields) from None
    except editing.EventNotFound:
        raise _not_found() from None
    return {"id": event_id, "message": events_texts()["added"]}


async def edit(call: ApiCall) -> dict[str, Any]:
    event_id, version = _whole(call.body.get("id")), _whole(call.body.get("version"))
    try:
        if event_id is None or version is None:
            raise editing.EventNotFound(event_id)
        new_version = await editing.edit_event(
            call.session, call.actor, event_id, version, EventForm.of(call.body),
            call.clock.now(), _policy(call),
        )  # fmt: skip
    except EventFormRefused as refused:
        raise FormRefused(refused.fields) from None
    except editing.EventNotFound:
        raise _not_found() from None
    except editing.EventChangedMeanwhile:
        raise ChangedMeanwhile from None
    return {"id": event_id, "version": new_version, "message": events_texts()["saved"]}


async def cancel(call: ApiCall) -> dict[str, Any]:
    event_id, version = _whole(call.body.get("id")), _whole(call.body.get("version"))
    try:
        if event_id is None or version is None:
            raise editing.EventNotFound(event_id)
        await editing.cancel_event(
            call.session, call.actor, event_id, version, call.clock.now(), _policy(call)
        )
    except editing.EventNotFound:
        raise _not_found() from None
    except editing.EventChangedMeanwhile:
        raise ChangedMeanwhile from None
    return {"id": event_id, "message": events_texts()["cancelled"]}


def routes() -> list[ApiRoute]:
    return [
        ApiRoute("events/greenways", Role.ADMIN, greenways),
        ApiRoute("events/event", Role.ADMIN, event),
        ApiRoute("events/add", Role.ADMIN, add, method="POST"),
        ApiRoute("events/edit", Role.ADMIN, edit, method="POST"),
        ApiRoute("events/cancel", Role.ADMIN, cancel, method="POST"),
    ]
