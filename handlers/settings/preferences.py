"""A user's preferences: /language and /settings (language, home quartiere)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import SUPPORTED_LOCALES
from bot.services.announcements import compose as announcements
from bot.services.people import users
from bot.services.volunteering import register
from bot.telegram.editing import edit_markup, edit_text
from handlers.shared.callbacks import LanguagePick, QuartierePage, QuartierePick, SettingsAction
from handlers.shared.keyboards import LANGUAGE_NAMES, language_keyboard, quartiere_keyboard


async def ask_language(message: Message) -> None:
    await message.answer(_("Choose your language:"), reply_markup=language_keyboard())


async def set_language(
    query: CallbackQuery,
    callback_data: LanguagePick,
    session: AsyncSession,
    i18n: I18n,
    profiles: users.ProfileCache,
) -> None:
    await users.choose_language(session, query.from_user.id, callback_data.code, profiles)
    with i18n.use_locale(callback_data.code):
        text = _("Language set: {language}.").format(language=LANGUAGE_NAMES[callback_data.code])
        await query.answer(text)
        if isinstance(query.message, Message):
            await edit_text(query.message, text)


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
    message: Message, profile: users.Profile, i18n: I18n, session: AsyncSession
) -> None:
    volunteer = await register.volunteer_status(session, profile.telegram_id) is not None
    muted = await announcements.is_muted(session, profile.telegram_id)
    await message.answer(
        settings_text(profile, i18n.current_locale),
        reply_markup=settings_keyboard(volunteer, muted),
    )


async def ask_phone(query: CallbackQuery, state: FSMContext, session: AsyncSession) -> None:
    await query.answer()
    if await register.volunteer_status(session, query.from_user.id) is None:
        return
    await state.set_state(PhoneCorrection.phone)
    if isinstance(query.message, Message):
        await query.message.answer(_("Your new phone number? (or /cancel)"))


async def got_phone(
    message: Message, state: FSMContext, session: AsyncSession, clock: Clock
) -> None:
    assert message.from_user is not None
    try:
        phone = await register.correct_phone(
            session, message.from_user.id, message.text or "", now=clock.now()
        )
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


async def settings_language(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_("Choose your language:"), reply_markup=language_keyboard())


async def settings_quartiere(query: CallbackQuery, session: AsyncSession) -> None:
    await _show_quartieri(query, session, page=0, new_message=True)


async def quartiere_page(
    query: CallbackQuery, callback_data: QuartierePage, session: AsyncSession
) -> None:
    await _show_quartieri(query, session, page=callback_data.page, new_message=False)


async def _show_quartieri(
    query: CallbackQuery, session: AsyncSession, *, page: int, new_message: bool
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    choices = await users.list_quartieri(session)
    if not choices:
        await query.message.answer(_("No quartieri are in the catalog yet."))
        return
    markup = quartiere_keyboard(choices, page)
    if new_message:
        await query.message.answer(_("Choose your home quartiere:"), reply_markup=markup)
    else:
        await edit_markup(query.message, markup)


async def quartiere_pick(
    query: CallbackQuery,
    callback_data: QuartierePick,
    session: AsyncSession,
    profiles: users.ProfileCache,
) -> None:
    chosen = callback_data.quartiere_id or None
    try:
        name = await users.choose_home_quartiere(session, query.from_user.id, chosen, profiles)
    except users.UnknownQuartiere:
        await query.answer(_("That quartiere is no longer in the catalog."), show_alert=True)
        return
    text = (
        _("Home quartiere set: {quartiere}.").format(quartiere=html.escape(name))
        if name
        else _("Home quartiere cleared.")
    )
    await query.answer(text)
    if isinstance(query.message, Message):
        await edit_text(query.message, text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_language, Command("language"))
    router.callback_query.register(set_language, LanguagePick.filter(F.code.in_(SUPPORTED_LOCALES)))
    router.message.register(show_settings, Command("settings"))
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
