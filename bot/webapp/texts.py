"""The page's own words, sent to it in the caller's language: the script holds only keys."""

from __future__ import annotations

from bot.i18n import gettext as _
from bot.services.people.roles import Role


def page_texts() -> dict[str, str]:
    """Every text the page shows by itself, in the current locale (inside `use_locale`)."""
    return {
        "title": _("Quartiere staff"),
        "outside": _("This page works inside Telegram: open it with the button in the bot's chat."),
        "signin": _("Your sign-in has expired. Close this page and open it again from the chat."),
        "forbidden": _("Your role does not allow this."),
        "failed": _("Something went wrong. Please try again in a moment."),
        "close": _("Close"),
        "retry": _("Try again"),
    }


def role_name(role: Role) -> str:
    names = {
        Role.CITIZEN: _("no staff role"),
        Role.TUTOR: _("tutor"),
        Role.ADMIN: _("admin"),
        Role.OFFICE: _("office staff"),
        Role.SECRETARY: _("Consulta secretary"),
        Role.DESK: _("desk operator"),
    }
    return names[role]
