"""A user's preferences: /language and /settings (language, home quartiere)."""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import SUPPORTED_LOCALES
from bot.services.announcements import compose as announcements
from bot.services.people import users
from bot.services.volunteering import register
from bot.telegram.context import Context
from bot.telegram.editing import edit_markup, edit_text
from handlers.basics.menu import register_chat_commands
from handlers.shared.callbacks import LanguagePick, QuartierePage, QuartierePick, SettingsAction
from handlers.shared.commands import names
from handlers.shared.keyboards import LANGUAGE_NAMES, language_keyboard, quartiere_keyboard


async def ask_language(message: Message) -> None:
    await message.answer(_("Choose your language:"), reply_markup=language_keyboard())


async def set_language(
    query: CallbackQuery,
    callback_data: LanguagePick,
    message: Message,
    session: AsyncSession,
    i18n: I18n,
    profiles: users.ProfileCache,
    callback_answer: CallbackAnswer,
    ctx: Context,
    bot: Bot,
) -> None:
    await users.choose_language(session, query.from_user.id, callback_data.code, profiles)
    with i18n.use_locale(callback_data.code):
        text = _("Language set: {language}.").format(language=LANGUAGE_NAMES[callback_data.code])
        callback_answer.text = text
        await edit_text(message, text)
        actor = await ctx.actor()
        await register_chat_commands(bot, message.chat.id, actor, callback_data.code)


class PhoneCorrection(StatesGroup):
    phone = State()


def settings_text(profile: users.Profile, locale: str) -> str:
    quartiere = html.escape(profile.home_quartiere) if profile.home_quartiere else _("none")
    return "\n".join(
        (
            _("<b>Your settings</b>"),
            _("Language: {language}").format(language=LANGUAGE_NAMES[locale]),
            _("Home quartiere: {quartiere}").format(quartiere=quartiere),
        )
    )


def settings_keyboard(volunteer: bool, muted: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Change language"), callback_data=SettingsAction(action="language"))
    builder.button(text=_("Home quartiere"), callback_data=SettingsAction(action="quartiere"))
    # Handled in handlers/volunteering/reminders.py.
    builder.button(text=_("🔔 Reminders"), callback_data=SettingsAction(action="reminders"))
    # Handled in handlers/settings/announcements.py.
    mute_label = _("🔔 Unmute announcements") if muted else _("🔕 Mute non-urgent announcements")
    builder.button(text=mute_label, callback_data=SettingsAction(action="mute"))
    if volunteer:
        builder.button(text=_("📱 My phone number"), callback_data=SettingsAction(action="phone"))
    builder.adjust(1)
    return builder.as_markup()


async def show_settings(
    message: Message, ctx: Context, session: AsyncSession, profile: users.Profile
) -> None:
    volunteer = await register.volunteer_status(session, profile.telegram_id) is not None
    muted = await announcements.is_muted(session, profile.telegram_id)
    await message.answer(
        settings_text(profile, ctx.locale),
        reply_markup=settings_keyboard(volunteer, muted),
    )


async def ask_phone(
    query: CallbackQuery, message: Message, session: AsyncSession, state: FSMContext
) -> None:
    if await register.volunteer_status(session, query.from_user.id) is None:
        return
    await state.set_state(PhoneCorrection.phone)
    await message.answer(_("Your new phone number? (or /cancel)"))


async def got_phone(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    try:
        phone = await register.correct_phone(session, ctx.user_id, message.text or "", now=ctx.now)
    except register.RegisterError:
        await message.answer(
            _(
                "That does not look like a phone number. Please write it with digits only, "
                "e.g. +39 333 1234567, or use the button."
            )
        )
        return
    except LookupError:
        await state.clear()
        return
    await state.clear()
    await message.answer(_("Your phone number is now {phone}.").format(phone=phone))


async def settings_language(query: CallbackQuery, message: Message) -> None:
    await message.answer(_("Choose your language:"), reply_markup=language_keyboard())


async def settings_quartiere(query: CallbackQuery, message: Message, session: AsyncSession) -> None:
    await _show_quartieri(message, session, page=0, new_message=True)


async def quartiere_page(
    query: CallbackQuery, callback_data: QuartierePage, message: Message, session: AsyncSession
) -> None:
    await _show_quartieri(message, session, page=callback_data.page, new_message=False)


async def _show_quartieri(
    message: Message, session: AsyncSession, *, page: int, new_message: bool
) -> None:
    choices = await users.list_quartieri(session)
    if not choices:
        await message.answer(_("No quartieri are in the catalogue yet."))
        return
    markup = quartiere_keyboard(choices, page)
    if new_message:
        await message.answer(_("Choose your home quartiere (neighbourhood):"), reply_markup=markup)
    else:
        await edit_markup(message, markup)


async def quartiere_pick(
    query: CallbackQuery,
    callback_data: QuartierePick,
    message: Message,
    session: AsyncSession,
    profiles: users.ProfileCache,
    callback_answer: CallbackAnswer,
) -> None:
    chosen = callback_data.quartiere_id or None
    try:
        name = await users.choose_home_quartiere(session, query.from_user.id, chosen, profiles)
    except users.UnknownQuartiere:
        callback_answer.text = _("That quartiere is no longer in the catalogue.")
        callback_answer.show_alert = True
        return
    text = (
        _("Home quartiere set: {quartiere}.").format(quartiere=html.escape(name))
        if name
        else _("Home quartiere cleared.")
    )
    callback_answer.text = text
    await edit_text(message, text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_language, Command(*names("language")))
    router.callback_query.register(set_language, LanguagePick.filter(F.code.in_(SUPPORTED_LOCALES)))
    router.message.register(show_settings, Command(*names("settings")))
    router.callback_query.register(ask_phone, SettingsAction.filter(F.action == "phone"))
    router.message.register(
        got_phone, StateFilter(PhoneCorrection.phone), F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(settings_language, SettingsAction.filter(F.action == "language"))
    router.callback_query.register(
        settings_quartiere, SettingsAction.filter(F.action == "quartiere")
    )
    router.callback_query.register(quartiere_page, QuartierePage.filter())
    router.callback_query.register(quartiere_pick, QuartierePick.filter())
    return router
