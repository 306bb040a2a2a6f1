"""Privacy in the chat: the notice (/privacy), a copy of one's data (/mydata), /forget."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import privacy, retention
from bot.services.people.users import ProfileCache
from bot.settings import Settings
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.privacy.mydata import send_my_data
from handlers.privacy.periods import retention_text
from handlers.shared.callbacks import ForgetConfirm
from handlers.shared.commands import names


def privacy_text(settings: Settings) -> str:
    """The notice; about 3,000 characters in either language, under Telegram's 4,096."""
    if settings.privacy_contact:
        contact = _("<b>Contact:</b> {contact}.").format(
            contact=html.escape(settings.privacy_contact)
        )
    else:
        contact = _(
            "<b>Contact:</b> the data protection officer of {controller}, through its website "
            "or offices."
        ).format(controller=html.escape(settings.privacy_controller))
    return "\n\n".join(
        (
            _("<b>Privacy</b>"),
            _(
                "<b>Controller:</b> {controller}, which runs this service for its community "
                "hubs and its civic volunteering programme."
            ).format(controller=html.escape(settings.privacy_controller)),
            _(
                "<b>What and why:</b> your Telegram id, name and language, to answer you, and "
                "when you were last answered, to keep to Telegram's pace; the quartiere you "
                "live in (and when I asked for it, so as to ask only once), reminders and "
                "subscriptions you choose, to send what you asked for. A location you send "
                "is used for that one answer and never stored."
            ),
            _(
                "<b>Volunteers:</b> the volunteer register keeps your name, date of birth, "
                "phone number and residence, your consent, your shifts, your attendance and "
                "the hours you give; the tutors of your projects see your name and phone. "
                "A reply you write to a tutor's message is passed on to that tutor with your "
                "name and the shift."
            ),
            _(
                "<b>Legal basis:</b> a task in the public interest (the city's programme of "
                "collaborative governance) and, for the register, the law and the city's "
                "regulation on civic volunteering."
            ),
            _(
                "<b>How long:</b> messages the bot sent you, and your replies passed on to a "
                "tutor, {deliveries}; an unfinished "
                "conversation, {conversations}; a profile not used for {inactive} is deleted "
                "unless you are in the register; the register, as long as its regulation "
                "requires; the record of staff actions, and that someone was removed from the "
                "staff (so that no catalogue appoints them again), {audit}."
            ).format(
                deliveries=retention_text(retention.DELIVERIES),
                conversations=retention_text(retention.CONVERSATIONS),
                inactive=retention_text(retention.INACTIVE_USERS),
                audit=retention_text(retention.AUDIT_LOG),
            ),
            _(
                "<b>Who sees it:</b> the city's staff and the tutors of your projects; "
                "whoever you give a certificate's code to (a school, an employer) can check "
                "with the bot the name, period and hours on it; Telegram carries the messages. "
                "Nothing is sold or given to others."
            ),
            _(
                "<b>Your rights:</b> /mydata sends you everything stored about you; /forget "
                "erases it (what the register must keep is made anonymous). You may also ask "
                "to correct your data or object to its use, and complain to the Italian data "
                "protection authority (Garante)."
            ),
            contact,
        )
    )


async def show_privacy(message: Message, settings: Settings) -> None:
    await message.answer(privacy_text(settings))


async def ask_forget(message: Message) -> None:
    await message.answer(
        _(
            "<b>Erase your data?</b>\n\nI will delete your profile and choices, your places "
            "on shifts, hours not yet approved, certificates, events you said you'd attend, "
            "subscriptions, messages and any unfinished conversation.\n\nIf you are in the "
            "volunteer register, the law requires the city to keep its record of your "
            "registration, consent and attendance: it will be kept without your name, "
            "phone or date of birth, under a code no one can link to you. Approved hours "
            "stay only as anonymous figures.\n\nThis cannot be undone."
        ),
        reply_markup=markup(
            [
                [button(_("Yes, erase my data"), ForgetConfirm(answer="yes"))],
                [button(_("No, keep them"), ForgetConfirm(answer="no"))],
            ]
        ),
    )


async def answer_forget(
    query: CallbackQuery,
    callback_data: ForgetConfirm,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    profiles: ProfileCache,
    callback_answer: CallbackAnswer,
    conversations: privacy.ConversationStore | None,
) -> None:
    if callback_data.answer != "yes":
        callback_answer.text = _("Nothing was erased.")
        return
    try:
        await state.clear()
        forgotten = await privacy.forget(session, ctx.user_id, ctx.now, ctx.zone.key, conversations)
    except privacy.StaffCannotForget:
        callback_answer.text = _("Staff data is erased by the operator once your role is removed.")
        callback_answer.show_alert = True
        return
    profiles.forget(ctx.user_id)
    callback_answer.text = _("Erased.")
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(_forgotten_text(forgotten))


def _forgotten_text(forgotten: privacy.Forgotten) -> str:
    lines = [_("Your data has been erased.")]
    if forgotten.in_register:
        lines.append(
            _(
                "Kept, as the law on the volunteer register requires: the record of your "
                "registration, consent and attendance, now under a random code, without your "
                "name, phone or date of birth (only the year), never linked back to you."
            )
        )
    if forgotten.approved_reports:
        lines.append(
            ngettext(
                "{count} approved hour report remains only as an anonymous figure.",
                "{count} approved hour reports remain only as anonymous figures.",
                forgotten.approved_reports,
            ).format(count=forgotten.approved_reports)
        )
    lines.append(_("You can start afresh at any time with /start."))
    return "\n\n".join(lines)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_privacy, Command("privacy"))
    router.message.register(send_my_data, Command(*names("mydata")))
    router.message.register(ask_forget, Command(*names("forget")))
    router.callback_query.register(answer_forget, ForgetConfirm.filter(F.answer.in_({"yes", "no"})))
    return router
