"""A user's preferences: /language and /settings (language, home quartiere).

The /settings message is edited in place: a picker replaces it and goes back to it, and
it always shows what is set now.
"""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
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

# The button that goes back from a picker to the /settings it was opened from.
BACK = SettingsAction(action="show")


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
    profile: users.Profile,
) -> None:
    await users.choose_language(session, query.from_user.id, callback_data.code, profiles)
    with i18n.use_locale(callback_data.code):
        text = _("Language set: {language}.").format(language=LANGUAGE_NAMES[callback_data.code])
        callback_answer.text = text
        if _opened_from_settings(message):
            await _refresh(
                message, session, ctx.user_id, profile.home_quartiere, callback_data.code
            )
        else:
            await edit_text(message, text)
        actor = await ctx.actor()
        await register_chat_commands(bot, message.chat.id, actor, callback_data.code)


class PhoneCorrection(StatesGroup):
    phone = State()


def settings_text(home_quartiere: str | None, locale: str, muted: bool) -> str:
    quartiere = html.escape(home_quartiere) if home_quartiere else _("none")
    return "\n".join(
        (
            _("<b>Your settings</b>"),
            _("Language: {language}").format(language=LANGUAGE_NAMES[locale]),
            _("Home quartiere: {quartiere}").format(quartiere=quartiere),
            _("Announcements: urgent ones only") if muted else _("Announcements: every one"),
        )
    )


def settings_keyboard(volunteer: bool, muted: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Change language"), callback_data=SettingsAction(action="language"))
    builder.button(text=_("Home quartiere"), callback_data=SettingsAction(action="quartiere"))
    # Handled in handlers/volunteering/reminders.py.
    builder.button(text=_("🔔 Reminders"), callback_data=SettingsAction(action="reminders"))
    # Handled in handlers/settings/announcements.py; the label says the state, as the text.
    mute_label = _("🔕 Only urgent announcements") if muted else _("🔔 All announcements")
    builder.button(text=mute_label, callback_data=SettingsAction(action="mute"))
    if volunteer:
        builder.button(text=_("📱 My phone number"), callback_data=SettingsAction(action="phone"))
    builder.adjust(1)
    return builder.as_markup()


async def settings_view(
    session: AsyncSession, user_id: int, home_quartiere: str | None, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    volunteer = await register.volunteer_status(session, user_id) is not None
    muted = await announcements.is_muted(session, user_id)
    return settings_text(home_quartiere, locale, muted), settings_keyboard(volunteer, muted)


async def _refresh(
    message: Message, session: AsyncSession, user_id: int, home: str | None, locale: str
) -> None:
    """The settings message edited to show what is now set (a picker goes back to it)."""
    text, markup = await settings_view(session, user_id, home, locale)
    await edit_text(message, text, reply_markup=markup)


async def refresh_settings(
    message: Message, ctx: Context, session: AsyncSession, profile: users.Profile
) -> None:
    await _refresh(message, session, ctx.user_id, profile.home_quartiere, ctx.locale)


def _back_to_settings() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=_("◀️ Settings"), callback_data=BACK.pack())]


def _opened_from_settings(message: Message) -> bool:
    """A picker opened from /settings carries the way back to it: choosing goes back too."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else []
    return any(pressed.callback_data == BACK.pack() for row in rows for pressed in row)


async def show_settings(
    message: Message, ctx: Context, session: AsyncSession, profile: users.Profile
) -> None:
    text, markup = await settings_view(
        session, profile.telegram_id, profile.home_quartiere, ctx.locale
    )
    await message.answer(text, reply_markup=markup)


async def back_to_settings(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    profile: users.Profile,
) -> None:
    await refresh_settings(message, ctx, session, profile)


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
    markup = language_keyboard()
    markup.inline_keyboard.append(_back_to_settings())
    await edit_text(message, _("Choose your language:"), reply_markup=markup)


async def settings_quartiere(query: CallbackQuery, message: Message, session: AsyncSession) -> None:
    await _show_quartieri(message, session, page=0, new_text=True)


async def quartiere_page(
    query: CallbackQuery, callback_data: QuartierePage, message: Message, session: AsyncSession
) -> None:
    await _show_quartieri(message, session, page=callback_data.page, new_text=False)


async def _show_quartieri(
    message: Message, session: AsyncSession, *, page: int, new_text: bool
) -> None:
    """The choice of quartiere, in place of the settings (and back to them once chosen)."""
    choices = await users.list_quartieri(session)
    if not choices:
        await message.answer(_("No quartieri are in the catalogue yet."))
        return
    markup = quartiere_keyboard(choices, page)
    markup.inline_keyboard.append(_back_to_settings())
    if new_text:
        await edit_text(
            message, _("Choose your home quartiere (neighbourhood):"), reply_markup=markup
        )
    else:
        await edit_markup(message, markup)


async def quartiere_pick(
    query: CallbackQuery,
    callback_data: QuartierePick,
    message: Message,
    ctx: Context,
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
    callback_answer.text = (
        _("Home quartiere set: {quartiere}.").format(quartiere=html.escape(name))
        if name
        else _("Home quartiere cleared.")
    )
    await _refresh(message, session, ctx.user_id, name, ctx.locale)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_language, Command(*names("language")))
    router.callback_query.register(set_language, LanguagePick.filter(F.code.in_(SUPPORTED_LOCALES)))
    router.message.register(show_settings, Command(*names("settings")))
    router.callback_query.register(ask_phone, SettingsAction.filter(F.action == "phone"))
    router.message.register(
        got_phone, StateFilter(PhoneCorrection.phone), F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(back_to_settings, SettingsAction.filter(F.action == "show"))
    router.callback_query.register(settings_language, SettingsAction.filter(F.action == "language"))
    router.callback_query.register(
        settings_quartiere, SettingsAction.filter(F.action == "quartiere")
    )
    router.callback_query.register(quartiere_page, QuartierePage.filter())
    router.callback_query.register(quartiere_pick, QuartierePick.filter())
    return router
