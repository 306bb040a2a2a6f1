"""The staff Mini App's Projects section: admins edit a project's texts, theme and hub.

Endpoints for admins; the service (bot.services.volunteering.project_editing) checks the
role again, the form with the catalog import's rules, and the version the form was opened
on: its refusals become the Mini App's answers (422 per field, 409 stale).
"""

from __future__ import annotations

from typing import Any

from bot.i18n import gettext as _
from bot.i18n import pick
from bot.services.people.roles import Role
from bot.services.volunteering import project_editing as editing
from bot.services.volunteering.project_form import ProjectForm, ProjectFormRefused
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused


def projects_texts() -> dict[str, str]:
    """The project editor's own words (the page holds only their keys)."""
    return {
        "heading": _("Projects"),
        "pick": _("Choose a project to edit it."),
        "empty": _("No projects yet: import the catalogue first."),
        "back": _("All projects"),
        "title_it": _("Title in Italian"),
        "title_en": _("Title in English"),
        "description_it": _("Description in Italian"),
        "description_en": _("Description in English"),
        "theme": _("Theme"),
        "hub": _("Casa di quartiere"),
        "no_hub": _("None"),
        "save": _("Save"),
        "reload": _("Reload"),
        "failed": _("Something went wrong. Please try again in a moment."),
    }


def _theme_names() -> dict[str, str]:
    """The themes the bot names (handlers/volunteering/views.py's THEMES, in the page's
    language: those are aiogram's lazy texts, which need the bot's own i18n context)."""
    return {
        "prossimita": _("Proximity"),
        "sostenibilita": _("Sustainability"),
        "greenway": _("Greenways"),
        "spazi-pubblici": _("Public spaces"),
        "digitale": _("Digital"),
    }


def _whole(value: object) -> int:
    """A whole number sent by the page (an id, a version); a 422 otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise FormRefused({"form": _("Something went wrong. Please try again in a moment.")})


def _view(call: ApiCall, project: editing.ProjectFormValues) -> dict[str, Any]:
    names = _theme_names()
    themes = sorted({*names, *project.themes})
    return {
        "id": project.id,
        "code": project.code,
        "version": project.version,
        "title": project.values.get(f"title_{call.locale}") or project.values["title_it"],
        "values": dict(project.values),
        "themes": [{"code": code, "name": names.get(code, code)} for code in themes],
        "hubs": [{"code": hub.code, "name": hub.name} for hub in project.hubs],
        "texts": projects_texts(),
    }


async def projects(call: ApiCall) -> dict[str, Any]:
    default = call.settings.default_locale
    lines = await editing.list_projects(call.session, call.actor)
    return {
        "projects": [
            {"id": line.id, "code": line.code, "title": pick(line.title, call.locale, default)}
            for line in lines
        ],
        "texts": projects_texts(),
    }


async def project(call: ApiCall) -> dict[str, Any]:
    project_id = _whole(call.query.get("id", ""))
    try:
        return _view(call, await editing.read_project(call.session, call.actor, project_id))
    except editing.ProjectChangedMeanwhile:
        raise ChangedMeanwhile from None


async def save(call: ApiCall) -> dict[str, Any]:
    project_id, version = _whole(call.body.get("id")), _whole(call.body.get("version"))
    form = ProjectForm.of(call.body)
    try:
        await editing.save_project(
            call.session,
            call.actor,
            project_id,
            version,
            form,
            zone=call.settings.timezone,
            now=call.clock.now(),
        )
    except ProjectFormRefused as refused:
        raise FormRefused(refused.fields) from None
    except editing.ProjectChangedMeanwhile:
        raise ChangedMeanwhile from None
    fresh = await editing.read_project(call.session, call.actor, project_id)
    return {**_view(call, fresh), "message": _("Saved.")}


def routes() -> list[ApiRoute]:
    return [
        ApiRoute("projects", Role.ADMIN, projects),
        ApiRoute("project", Role.ADMIN, project),
        ApiRoute("project/save", Role.ADMIN, save, method="POST"),
    ]
