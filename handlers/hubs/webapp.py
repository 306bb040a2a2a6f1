"""The Mini App's hub editor (admins): the hubs, one hub's form, its closures.

Every write sends the version its form was opened on and answers the hub afresh with its new
version; the service's refusals become the Mini App's answers (422 per field, 409 stale).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from babel.lists import format_list

from bot.i18n import babel_locale, day_text, format_local_date, format_local_time, ngettext, pick
from bot.i18n import gettext as _
from bot.services.hubs import editing
from bot.services.hubs.form import ClosureFields, HubFields
from bot.services.people.roles import Role
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused


def hub_texts() -> dict[str, str]:
    """The hub editor's own words (the page holds only their keys)."""
    return {
        "hubs_title": _("Hubs"),
        "hubs_pick": _("Choose a hub to edit it."),
        "hubs_empty": _("No hubs yet: import the catalogue first."),
        "hubs_back": _("All hubs"),
        "hub_address": _("Address"),
        "hub_phone": _("Phone (optional)"),
        "hub_email": _("Email (optional)"),
        "hub_opening_hours": _("Opening hours (OpenStreetMap syntax)"),
        "hub_services": _("Services offered"),
        "hub_save": _("Save"),
        "hub_reload": _("Reload"),
        "closures_title": _("Closures"),
        "closures_none": _("No closures planned."),
        "closure_from": _("Closed from"),
        "closure_to": _("to (included)"),
        "closure_note_it": _("Note in Italian (optional)"),
        "closure_note_en": _("Note in English (optional)"),
        "closure_add": _("Add closure"),
        "closure_remove": _("Remove"),
        "failed": _("Something went wrong. Please try again in a moment."),
    }


def _str(call: ApiCall, name: str) -> str:
    value = call.body.get(name)
    return value if isinstance(value, str) else ""


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FormRefused({"form": _("Something went wrong. Please try again in a moment.")})
    try:
        return int(value)
    except ValueError:
        raise FormRefused(
            {"form": _("Something went wrong. Please try again in a moment.")}
        ) from None


def _view(call: ApiCall, hub: editing.HubView) -> dict[str, Any]:
    default = call.settings.default_locale
    return {
        "id": hub.id,
        "code": hub.code,
        "name": hub.name,
        "address": hub.address,
        "phone": hub.phone,
        "email": hub.email,
        "services": list(hub.services),
        "opening_hours": hub.opening_hours,
        "version": hub.version,
        "choices": [
            {"code": choice.code, "name": pick(choice.name, call.locale, default)}
            for choice in hub.choices
        ],
        "closures": [
            {
                "id": closure.id,
                "from": closure.first.isoformat(),
                "to": closure.last.isoformat(),
                "when": _("{first} to {last}").format(
                    first=day_text(closure.first, call.locale),
                    last=day_text(closure.last, call.locale),
                ),
                "note": pick(closure.note, call.locale, default),
            }
            for closure in hub.closures
        ],
        "texts": hub_texts(),
    }


async def _answer(call: ApiCall, hub_id: int, message: str) -> dict[str, Any]:
    body = _view(call, await editing.read_hub(call.session, call.actor, hub_id))
    return {**body, "message": message}


async def _write(call: ApiCall, write: Callable[[], Awaitable[int]]) -> None:
    try:
        await write()
    except editing.EditRefused as refused:
        raise FormRefused(refused.fields) from None
    except editing.StaleVersion:
        raise ChangedMeanwhile from None


async def hubs(call: ApiCall) -> dict[str, Any]:
    lines = await editing.list_hubs(call.session, call.actor)
    return {
        "hubs": [{"id": h.id, "name": h.name, "quartiere": h.quartiere} for h in lines],
        "texts": hub_texts(),
    }


async def hub(call: ApiCall) -> dict[str, Any]:
    hub_id = _int(call.query.get("id", ""))
    try:
        return _view(call, await editing.read_hub(call.session, call.actor, hub_id))
    except LookupError:
        raise ChangedMeanwhile from None


async def save(call: ApiCall) -> dict[str, Any]:
    hub_id, version = _int(call.body.get("id")), _int(call.body.get("version"))
    raw = call.body.get("services")
    services = tuple(code for code in raw if isinstance(code, str)) if isinstance(raw, list) else ()
    fields = HubFields(
        _str(call, "address"),
        _str(call, "phone"),
        _str(call, "email"),
        _str(call, "opening_hours"),
        services,
    )
    zone, now = call.settings.timezone, call.clock.now()
    await _write(
        call,
        lambda: editing.save_hub(
            call.session, call.actor, hub_id, version, fields, zone=zone, now=now
        ),
    )
    return await _answer(call, hub_id, _("Saved."))


async def add_closure(call: ApiCall) -> dict[str, Any]:
    hub_id, version = _int(call.body.get("id")), _int(call.body.get("version"))
    closure = ClosureFields(
        _str(call, "from"), _str(call, "to"), _str(call, "note_it"), _str(call, "note_en")
    )
    zone, now = call.settings.timezone, call.clock.now()
    await _write(
        call,
        lambda: editing.add_closure(
            call.session, call.actor, hub_id, version, closure, zone=zone, now=now
        ),
    )
    first, last = date.fromisoformat(closure.first), date.fromisoformat(closure.last)
    shifts = await editing.shifts_on_closed_days(
        call.session, call.actor, hub_id, first, last, zone=zone, now=now
    )
    return await _answer(call, hub_id, _closure_added(call, shifts))


def _closure_added(call: ApiCall, shifts: list[editing.ShiftOnClosedDay]) -> str:
    """ "Closure added.", with the shifts it leaves without sign-ups, to be moved or cancelled."""
    if not shifts:
        return _("Closure added.")
    zone, default = call.settings.timezone, call.settings.default_locale
    listed = format_list(
        [
            f"{pick(shift.title, call.locale, default)}, "
            f"{format_local_date(shift.start_at, call.locale, zone, 'EEE d MMM')} "
            f"{format_local_time(shift.start_at, call.locale, zone)}"
            for shift in shifts
        ],
        locale=babel_locale(call.locale),
    )
    return ngettext(
        "Closure added. This shift falls on the closed days and takes no sign-ups: {shifts}. "
        "Move or cancel it.",
        "Closure added. These shifts fall on the closed days and take no sign-ups: {shifts}. "
        "Move or cancel them.",
        len(shifts),
    ).format(shifts=listed)


async def remove_closure(call: ApiCall) -> dict[str, Any]:
    hub_id, version = _int(call.body.get("id")), _int(call.body.get("version"))
    closure_id, now = _int(call.body.get("closure")), call.clock.now()
    try:
        await _write(
            call,
            lambda: editing.remove_closure(
                call.session, call.actor, hub_id, version, closure_id, now=now
            ),
        )
    except LookupError:
        raise ChangedMeanwhile from None
    return await _answer(call, hub_id, _("Closure removed."))


def routes() -> list[ApiRoute]:
    return [
        ApiRoute("hubs", Role.ADMIN, hubs),
        ApiRoute("hub", Role.ADMIN, hub),
        ApiRoute("hub/save", Role.ADMIN, save, method="POST"),
        ApiRoute("hub/closures/add", Role.ADMIN, add_closure, method="POST"),
        ApiRoute("hub/closures/remove", Role.ADMIN, remove_closure, method="POST"),
    ]
