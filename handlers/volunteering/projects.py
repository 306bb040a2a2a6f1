"""Civic volunteering: /volunteer lists projects, a card shows the next shifts to join."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import pick
from bot.services.people import roles
from bot.services.volunteering import projects, register
from bot.settings import Settings
from bot.telegram.editing import edit_text
from handlers.shared.callbacks import ProjectFilter, ProjectList, ProjectOpen, RosterOpen, ShiftJoin
from handlers.volunteering.places import sign_up_and_tell
from handlers.volunteering.registration import start_registration
from handlers.volunteering.views import card_text, theme_name, when

PAGE = 5


async def _list_markup(
    session: AsyncSession, choice: ProjectList, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    themes, quartieri = await projects.filter_choices(session)
    theme = themes[choice.theme] if 0 <= choice.theme < len(themes) else None
    quartiere = quartieri[choice.quartiere] if 0 <= choice.quartiere < len(quartieri) else None
    page = await projects.project_page(
        session, theme=theme, quartiere=quartiere, page=choice.page, size=PAGE
    )
    heading = [_("<b>Volunteering projects</b>")]
    if theme:
        heading.append(_("Theme: {theme}").format(theme=html.escape(theme_name(theme))))
    if quartiere:
        heading.append(_("Quartiere: {quartiere}").format(quartiere=html.escape(quartiere)))
    if not page.projects:
        heading.append(_("No project matches this choice."))
    else:
        heading.append(_("Page {page} of {pages}").format(page=page.page + 1, pages=page.pages))
    builder = InlineKeyboardBuilder()
    for line in page.projects:
        title = pick(line.title, locale, settings.default_locale)
        builder.button(text=title[:60], callback_data=ProjectOpen(project_id=line.id))
    builder.adjust(1)
    navigation = InlineKeyboardBuilder()
    if page.page > 0:
        navigation.button(text="◀️", callback_data=choice.model_copy(update={"page": page.page - 1}))
    if page.page < page.pages - 1:
        navigation.button(text="▶️", callback_data=choice.model_copy(update={"page": page.page + 1}))
    navigation.button(text=_("🎯 Theme"), callback_data=ProjectFilter(kind="theme"))
    navigation.button(text=_("🏘 Quartiere"), callback_data=ProjectFilter(kind="quartiere"))
    builder.attach(navigation)
    return "\n".join(heading), builder.as_markup()


async def show_projects(
    message: Message, session: AsyncSession, settings: Settings, i18n: I18n
) -> None:
    text, markup = await _list_markup(session, ProjectList(), settings, i18n.current_locale)
    await message.answer(text, reply_markup=markup)


async def page_projects(
    query: CallbackQuery,
    callback_data: ProjectList,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        text, markup = await _list_markup(session, callback_data, settings, i18n.current_locale)
        await edit_text(query.message, text, reply_markup=markup)


async def choose_filter(
    query: CallbackQuery, callback_data: ProjectFilter, session: AsyncSession
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    themes, quartieri = await projects.filter_choices(session)
    builder = InlineKeyboardBuilder()
    if callback_data.kind == "theme":
        for index, theme in enumerate(themes):
            builder.button(text=theme_name(theme)[:60], callback_data=ProjectList(theme=index))
        prompt = _("Which theme?")
    else:
        for index, quartiere in enumerate(quartieri):
            builder.button(text=quartiere[:60], callback_data=ProjectList(quartiere=index))
        prompt = _("Which quartiere?")
    builder.button(text=_("All projects"), callback_data=ProjectList())
    builder.adjust(2)
    await edit_text(query.message, prompt, reply_markup=builder.as_markup())


async def open_project(
    query: CallbackQuery,
    callback_data: ProjectOpen,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    staff = await roles.may_manage(
        session, query.from_user.id, callback_data.project_id, settings.admin_ids
    )
    card = await projects.project_card(session, callback_data.project_id, clock.now(), staff=staff)
    if card is None or not isinstance(query.message, Message):
        await query.answer(_("This project is no longer in the catalog."), show_alert=True)
        return
    await query.answer()
    locale = i18n.current_locale
    builder = InlineKeyboardBuilder()
    for shift in card.shifts:
        moment = when(shift.info, locale, settings.timezone)
        if not shift.started:
            label = _("Join: {when}").format(when=moment)
            builder.button(text=label[:60], callback_data=ShiftJoin(shift_id=shift.info.id))
        if staff:
            label = _("👥 Roster: {when}").format(when=moment)
            builder.button(text=label[:60], callback_data=RosterOpen(shift_id=shift.info.id))
    builder.adjust(1)
    await query.message.answer(
        card_text(card, locale, settings.default_locale, settings.timezone),
        reply_markup=builder.as_markup(),
    )


async def join_shift(
    query: CallbackQuery,
    callback_data: ShiftJoin,
    session: AsyncSession,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer()
        return
    if await register.volunteer_status(session, query.from_user.id) is None:
        await query.answer()
        await start_registration(query.message, state, callback_data.shift_id)
        return
    await sign_up_and_tell(query, session, callback_data.shift_id, settings, clock, i18n)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_projects, Command("volunteer"))
    router.callback_query.register(page_projects, ProjectList.filter())
    router.callback_query.register(
        choose_filter, ProjectFilter.filter(F.kind.in_({"theme", "quartiere"}))
    )
    router.callback_query.register(open_project, ProjectOpen.filter())
    router.callback_query.register(join_shift, ShiftJoin.filter())
    return router
