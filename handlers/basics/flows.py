"""A command sent in the middle of a conversation ends it, says so in one line, then runs.

Every step of a flow leaves text starting with "/" alone, so without this the command ran
while the conversation stayed open, and the next plain message went to the forgotten step.
Each flow saves only at its last step, so clearing the state leaves nothing half-saved.
A few commands leave the flow open (KEEP_THE_FLOW), and a flow's own command starts it over
without a word. A written announcement draft is worth asking about instead: keep it (its
buttons go on working) or discard it; then the command runs from the answer when a
front-door button could run it (handlers/frontdoor/doors.py), else the answer asks for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import MappingProxyType
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.basics.menu import COMMANDS
from handlers.broadcast.states import Composing
from handlers.frontdoor.doors import open_door
from handlers.hours.approve import RejectFlow
from handlers.hours.guided import HoursFlow
from handlers.hours.my_hours import EditFlow
from handlers.settings.preferences import PhoneCorrection
from handlers.shared.callbacks import DraftLeft
from handlers.shared.commands import local_name, names
from handlers.volunteering.registration import RegisterFlow
from handlers.volunteering.roster import ReplyToTutor, TutorMessage

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# Every name a command answers to -> its English one; /verify is outside the menu.
ENGLISH_NAMES = MappingProxyType(
    {name: c.name for c in COMMANDS for name in names(c.name)}
    | {"verify": "verify", "verifica": "verify"}
)
# Commands that leave the flow open: /cancel has its own meaning; the consent step links to
# /privacy; /mydata shows the conversation in progress and /forget erases it with the rest.
KEEP_THE_FLOW = frozenset({"cancel", "privacy", "mydata", "forget"})
# cache: a constant lookup table, only read: the flows a command starts over from the beginning
STARTED_BY = MappingProxyType({Composing.__name__: "broadcast", HoursFlow.__name__: "hours"})
KEPT = "kept_over_commands"  # in the draft's data: the admin chose to keep it once


def _left_text(group: str, locale: str) -> str:
    """The one line telling what was left, for the flow (the states group) that was open."""
    if group == RegisterFlow.__name__:
        return _(
            "I left your sign-up halfway: nothing was saved, and you can start again "
            "from /{command}."
        ).format(command=local_name("volunteer", locale))
    if group == HoursFlow.__name__:
        return _(
            "I left logging your hours halfway: nothing was saved, and /{command} starts again."
        ).format(command=local_name("hours", locale))
    if group == EditFlow.__name__:
        return _("I left the correction of your hours: the report stays as it was.")
    if group == RejectFlow.__name__:
        return _(
            "I left the rejection unfinished: those hours are still waiting in /{command}."
        ).format(command=local_name("approve", locale))
    if group == TutorMessage.__name__:
        return _("I left your message for the shift unsent.")
    if group == ReplyToTutor.__name__:
        return _("I left your reply to the tutor unsent.")
    if group == PhoneCorrection.__name__:
        return _("I left your phone number as it was.")
    if group == Composing.__name__:
        return _(
            "I left the announcement before it was written: /{command} starts it again."
        ).format(command=local_name("broadcast", locale))
    return _("I left the conversation we were in: nothing of it was saved.")


def command_of(message: Message) -> str | None:
    """The English name of the known command the message starts with, if it does."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    word = text.split(maxsplit=1)[0][1:].split("@", 1)[0]
    return ENGLISH_NAMES.get(word)


def _is_draft(data: dict[str, Any]) -> bool:
    """An announcement written and waiting for its versions, audience or time."""
    return "text" in data and "versions" in data


class LeaveFlowOnCommand(BaseMiddleware):
    """On the private chats' messages: a known command closes the open flow first."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message) or event.chat.type != ChatType.PRIVATE:
            return await handler(event, data)
        command = command_of(event)
        state: FSMContext | None = data.get("state")
        if command is None or command in KEEP_THE_FLOW or state is None:
            return await handler(event, data)
        raw_state: str | None = data.get("raw_state")
        group = (raw_state or "").split(":", 1)[0]
        if raw_state is None or group == Composing.__name__:
            draft = await state.get_data()
            if _is_draft(draft):
                # Kept once, it is not asked about again; /broadcast starts a new one as ever.
                if draft.get(KEPT) or command == "broadcast":
                    return await handler(event, data)
                await _ask_about_draft(event, command)
                return None
        if raw_state is None:
            return await handler(event, data)
        await state.clear()
        data["raw_state"] = None
        if STARTED_BY.get(group) != command:  # the flow's own command starts it over: no news
            ctx: Context = data["ctx"]
            # A step's reply keyboard (share the phone number) goes with the step.
            await event.answer(_left_text(group, ctx.locale), reply_markup=ReplyKeyboardRemove())
        return await handler(event, data)


async def _ask_about_draft(message: Message, command: str) -> None:
    rows = [
        [button(_("📝 Keep the draft"), DraftLeft(action="keep", command=command))],
        [button(_("🗑 Discard the draft"), DraftLeft(action="discard", command=command))],
    ]
    await message.answer(
        _("You are writing an announcement. Keep the draft for later, or discard it?"),
        reply_markup=markup(rows),
    )


async def draft_answered(
    query: CallbackQuery,
    callback_data: DraftLeft,
    message: Message,
    ctx: Context,
    state: FSMContext,
    callback_answer: CallbackAnswer,
    **data: Any,
) -> None:
    known = callback_data.command in ENGLISH_NAMES.values()
    if not known or not _is_draft(await state.get_data()):
        callback_answer.text = _("This button is no longer valid.")
        return
    command = callback_data.command
    if callback_data.action == "keep":
        await state.update_data({KEPT: True})
        await message.edit_text(_("Draft kept: its buttons still work."))
    else:
        await state.clear()
        await message.edit_text(_("Announcement discarded."))
    data.update(state=state, callback_answer=callback_answer)
    if not await open_door(command, message, ctx, data):
        await message.answer(
            _("Send /{command} again to go on.").format(command=local_name(command, ctx.locale))
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(draft_answered, DraftLeft.filter())
    return router
