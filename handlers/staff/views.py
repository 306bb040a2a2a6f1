"""The words for staff roles, shared by /staff and /mydata: whole sentences, one per role."""

from __future__ import annotations

import html

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.i18n import title_text
from bot.services.people.roles import Role
from bot.services.people.staff import HeldRole
from handlers.shared.commands import local_name

PROJECTS_NAMED = 20  # a tutor of more reads "and N more": the message stays within its limit


def role_line(held: HeldRole, locale: str, default_locale: str) -> str:
    """The role by name with what it applies to: "Tutor of: …", "Office: VERDE"."""
    codes = html.escape(", ".join(held.scopes))
    if held.role is Role.ADMIN:
        return _("<b>Admin</b> of the volunteering programme")
    if held.role is Role.TUTOR:
        titles = [title_text(title, locale, default_locale) for title in held.projects]
        shown, more = ", ".join(titles[:PROJECTS_NAMED]), len(titles) - PROJECTS_NAMED
        if more > 0:
            return ngettext(
                "<b>Tutor</b> of: {projects} and {count} more",
                "<b>Tutor</b> of: {projects} and {count} more",
                more,
            ).format(projects=shown, count=more)
        return _("<b>Tutor</b> of: {projects}").format(projects=shown or "–")
    if held.role is Role.OFFICE:
        return _("<b>Office</b>: {codes}").format(codes=codes)
    if held.role is Role.SECRETARY:
        return _("<b>Consulta secretary</b>: {codes}").format(codes=codes)
    return _("<b>Hub desk</b>: {codes}").format(codes=codes)


def _command(name: str, locale: str, what: str) -> str:
    return f"/{local_name(name, locale)} – {what}"


def tools(role: Role, locale: str, admin: bool = False) -> list[str]:
    """The commands a role gives today, under the names of the person's language; a tutor
    who is also an admin has them all under the admin's role."""
    if role is Role.TUTOR and not admin:
        return [
            _command("approve", locale, _("approve your volunteers' hours")),
            _command("report", locale, _("key figures of your projects")),
            _command(
                "volunteer",
                locale,
                _("open one of your projects: each shift has its roster button"),
            ),
        ]
    if role is Role.ADMIN:
        return [
            _command("approve", locale, _("approve hours, for every project")),
            _command("report", locale, _("key figures, project by project")),
            _command("stats", locale, _("the programme's key figures")),
            _command("broadcast", locale, _("send an announcement")),
            _command("volunteer", locale, _("every project: each shift has its roster button")),
        ]
    return []


def held_sentence(role: str, scopes: tuple[str, ...]) -> str:
    """/mydata: one stored role in a whole sentence, with its codes as stored."""
    codes = html.escape(", ".join(scopes))
    sentences = {
        Role.ADMIN: _("You are an admin of the volunteering programme."),
        Role.TUTOR: _("You are a tutor of the projects: {codes}."),
        Role.OFFICE: _("You are on the staff of the office: {codes}."),
        Role.SECRETARY: _("You are the secretary of the Consulta: {codes}."),
        Role.DESK: _("You are an operator of the hub desk: {codes}."),
    }
    return sentences.get(Role(role), role).format(codes=codes)
