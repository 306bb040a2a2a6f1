"""What the bot's own notices look like, rendered in the recipient's language when sent.

Each outbox message key has one renderer here; parameters are plain JSON data.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import pick
from bot.outbox import Rendered, Renderer


def _staff_appointed(params: dict[str, Any]) -> Rendered:
    if params.get("role") == "admin":
        return Rendered(_("You have been appointed admin of the volunteering programme."))
    i18n = get_i18n()
    titles = [
        html.escape(pick(title, i18n.current_locale, i18n.default_locale))
        for title in params.get("projects", [])
    ]
    return Rendered(
        _("You have been appointed tutor of: {projects}.").format(projects=", ".join(titles))
    )


RENDERERS: dict[str, Renderer] = {
    "staff.appointed": _staff_appointed,
}
