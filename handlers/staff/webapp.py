"""The staff Mini App's Staff section: admins appoint and remove tutors and admins.

The service (bot.services.people.staff_editing) checks the role again and uses the
services `quartiere-bot staff` uses; its refusals become a message on their field (422),
a role removed meanwhile 409.
"""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from bot.i18n import babel_locale, ngettext, pick
from bot.i18n import gettext as _
from bot.services.people import staff_editing as editing
from bot.services.people.roles import Role
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused
from bot.webapp.texts import role_name
from handlers.staff.webapp_texts import staff_texts


def _whole(value: object) -> int | None:
    """A whole number sent by the page (a Telegram id), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _role(call: ApiCall) -> Role:
    value = call.body.get("role")
    if value not in (Role.TUTOR.value, Role.ADMIN.value):
        raise FormRefused({"role": _("Choose tutor or admin.")})
    return Role(value)


def _refusal(call: ApiCall, refused: editing.StaffRefused) -> str:
    listed = format_list(list(refused.values), locale=babel_locale(call.locale))
    texts = {
        editing.Refusal.NOT_AN_ID: _("Enter a Telegram id: a whole number, such as 123456789."),
        editing.Refusal.UNKNOWN_PERSON: _(
            "This person has never written to the bot, so the bot cannot tell them. Ask them "
            "to open the bot and send /start, then try again."
        ),
        editing.Refusal.NO_PROJECT: _("Choose at least one project."),
        editing.Refusal.UNKNOWN_PROJECT: ngettext(
            "This project does not exist: {codes}.",
            "These projects do not exist: {codes}.",
            len(refused.values),
        ).format(codes=listed),
        editing.Refusal.NOT_EDITABLE: _("Choose tutor or admin."),
        editing.Refusal.OWN_ADMIN_ROLE: _(
            "You cannot remove your own admin role: ask another admin to do it."
        ),
        editing.Refusal.LAST_ADMIN: _(
            "This is the last admin: without one, nobody could manage the staff. "
            "Appoint another admin first."
        ),
    }
    return texts[refused.refusal]


def _person(telegram_id: int, name: str | None) -> str:
    return f"{name} ({telegram_id})" if name else str(telegram_id)


async def people(call: ApiCall) -> dict[str, Any]:
    """Every staff member with their roles, the projects to choose, and the section's texts."""
    default = call.settings.default_locale
    found = await editing.list_people(call.session, call.actor)
    projects = await editing.projects(call.session, call.actor)
    me = call.actor.telegram_id
    return {
        "texts": staff_texts(),
        "people": [
            {
                "telegram_id": person.telegram_id,
                "name": _person(person.telegram_id, person.name),
                "roles": [
                    {
                        "role": held.role.value,
                        "name": role_name(held.role),
                        "scopes": list(held.scopes),
                        # An admin's own admin role is not theirs to remove.
                        "removable": held.removable
                        and (held.role is not Role.ADMIN or person.telegram_id != me),
                    }
                    for held in person.roles
                ],
            }
            for person in found
        ],
        "projects": [
            {"code": code, "title": pick(title, call.locale, default)} for code, title in projects
        ],
        "role_choices": [
            {"role": role.value, "name": role_name(role)} for role in (Role.TUTOR, Role.ADMIN)
        ],
    }


async def search(call: ApiCall) -> dict[str, Any]:
    found = await editing.people_named(call.session, call.actor, call.query.get("q", ""))
    return {
        "people": [
            {"telegram_id": telegram_id, "name": _person(telegram_id, name)}
            for telegram_id, name in found
        ]
    }


async def appoint(call: ApiCall) -> dict[str, Any]:
    telegram_id = _whole(call.body.get("telegram_id"))
    role = _role(call)
    raw = call.body.get("projects")
    codes = [code for code in raw if isinstance(code, str)] if isinstance(raw, list) else []
    try:
        if telegram_id is None:
            raise editing.StaffRefused("telegram_id", editing.Refusal.NOT_AN_ID)
        await editing.appoint(call.session, call.actor, telegram_id, role, codes, call.clock.now())
    except editing.StaffRefused as refused:
        raise FormRefused({refused.field: _refusal(call, refused)}) from None
    body = await people(call)
    message = _("Appointed: {person} now holds the role {role} and is told so in the chat.")
    return {
        **body,
        "message": message.format(person=_named(body, telegram_id), role=role_name(role)),
    }


async def remove(call: ApiCall) -> dict[str, Any]:
    telegram_id = _whole(call.body.get("telegram_id"))
    role = _role(call)
    if telegram_id is None:
        raise ChangedMeanwhile
    try:
        handed = await editing.remove(
            call.session, call.actor, telegram_id, role, call.settings.admin_ids, call.clock.now()
        )
    except editing.StaffRefused as refused:
        raise FormRefused({refused.field: _refusal(call, refused)}) from None
    except editing.RemovedMeanwhile:
        raise ChangedMeanwhile from None
    body = await people(call)
    message = _("Removed: {person} no longer holds the role {role}.").format(
        person=_named(body, telegram_id), role=role_name(role)
    )
    if handed:
        passed = ngettext(
            "{count} pending hours report passed on to the project's other tutors and the admins.",
            "{count} pending hours reports passed on to the project's other tutors and the admins.",
            handed,
        ).format(count=handed)
        message = f"{message} {passed}"
    return {**body, "message": message}


def _named(body: dict[str, Any], telegram_id: int) -> str:
    """The person as the list names them (their name when the bot knows it)."""
    names = {person["telegram_id"]: person["name"] for person in body["people"]}
    return str(names.get(telegram_id, telegram_id))


def routes() -> list[ApiRoute]:
    return [
        ApiRoute("staff/people", Role.ADMIN, people),
        ApiRoute("staff/search", Role.ADMIN, search),
        ApiRoute("staff/appoint", Role.ADMIN, appoint, method="POST"),
        ApiRoute("staff/remove", Role.ADMIN, remove, method="POST"),
    ]
