"""The Mini App's first endpoint: who is signed in, with which roles (what /staff shows)."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from bot.i18n import babel_locale
from bot.i18n import gettext as _
from bot.services.people.me import who_am_i
from bot.services.people.roles import Role
from bot.webapp.routing import ApiCall, ApiRoute
from bot.webapp.texts import page_texts, role_name


async def me(call: ApiCall) -> dict[str, Any]:
    person = await who_am_i(call.session, call.actor, call.settings.admin_ids)
    name = " ".join(part for part in (call.user.first_name, call.user.last_name) if part)
    roles = format_list(
        [role_name(role) for role in person.roles], locale=babel_locale(call.locale)
    )
    return {
        "name": name,
        "language": call.locale,
        "roles": [role.value for role in person.roles],
        "signed_in_as": _("Signed in as {name} ({roles})").format(name=name, roles=roles),
        "texts": page_texts(),
    }


def routes() -> list[ApiRoute]:
    return [ApiRoute("me", Role.CITIZEN, me)]
