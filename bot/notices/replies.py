"""Replies Telegram held back: what the bot answered, sent by the outbox once flood control allows.

A reply is rendered while the bot answers, in the user's language, so it is queued as it was
written (HTML text, its buttons, a photo by file id or URL). A file built for the user (a
certificate, a CSV) is not kept in the outbox: the user is asked to ask for it again instead.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from bot.i18n import gettext as _
from bot.notices.registry import Notice
from bot.outbox.queue import REPLY
from bot.outbox.rendered import Rendered

KIND = "reply"


def _reply(params: dict[str, Any]) -> Rendered:
    return Rendered(str(params.get("text") or ""), params.get("reply_markup"), params.get("photo"))


def _file_later(params: dict[str, Any]) -> Rendered:
    return Rendered(
        _(
            "Telegram asked me to slow down, so I could not send you the file. "
            "Please ask for it again in a minute."
        )
    )


def _key() -> str:
    """Every held-back reply is a delivery of its own."""
    return f"reply:{uuid4().hex}"


DEFERRED = Notice("reply.deferred", KIND, REPLY, _reply, _key)
FILE_LATER = Notice("reply.file_later", KIND, REPLY, _file_later, _key)
NOTICES = (DEFERRED, FILE_LATER)
