"""The Staff section's own words, sent to the page in the caller's language."""

from __future__ import annotations

from bot.i18n import gettext as _


def staff_texts() -> dict[str, str]:
    """Every text of the Staff section, in the current locale (inside `use_locale`)."""
    return {
        "heading": _("Staff"),
        "intro": _(
            "Everyone with a staff role. Tutors and admins are appointed and removed here; "
            "office, Consulta and desk roles with the command line."
        ),
        "none": _("No staff appointed yet."),
        "remove": _("Remove"),
        "remove_label": _("Remove the role {role} from {person}"),
        "remove_confirm": _(
            "Remove the role {role} from {person}? A tutor's pending hours reports pass on "
            "to the project's other tutors and the admins."
        ),
        "remove_yes": _("Yes, remove it"),
        "remove_no": _("No, keep it"),
        "appoint_heading": _("Appoint"),
        "telegram_id": _("Telegram id"),
        "search": _("Or find someone who wrote to the bot, by name"),
        "search_button": _("Search"),
        "search_none": _("Nobody who wrote to the bot has that name."),
        "choose": _("Choose"),
        "role": _("Role"),
        "projects": _("Projects (tutors only)"),
        "appoint": _("Appoint"),
        "reload": _("Reload"),
        "fix": _("Some fields need a change: see the messages below them."),
        "failed": _("Something went wrong. Please try again in a moment."),
    }
