"""The last resort: log an unexpected error with its context, apologise to the user."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


async def apologise(event: ErrorEvent) -> None:
    update = event.update
    log.error(
        "update %s (%s) failed: %s",
        update.update_id,
        update.event_type,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    apology = _("Sorry, something went wrong on my side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(apology, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(apology)
    except TelegramAPIError as error:
        log.warning("could not apologise for update %s: %s", update.update_id, error)


def create_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(apologise)
    return router
