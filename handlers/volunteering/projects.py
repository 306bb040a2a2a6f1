"""Civic volunteering: /volunteer lists projects; a project's card, opened in place of the
list, shows the next shifts to join."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import pick
from bot.services.volunteering import projects, register
from bot.telegram.context import Context
from bot.telegram.editing import edit_text
from handlers.shared.callbacks import (
    ProjectCard,
    ProjectFilter,
    ProjectList,
    ProjectOpen,
    RosterOpen,
    ShiftJoin,
)
from handlers.shared.commands import names
from handlers.shared.keyboards import item_label, short_label
from handlers.volunteering.places import sign_up_and_tell
from handlers.volunteering.registration import start_registration
from handlers.volunteering.views import card_text, theme_name, when

PAGE = 5


async def _list_markup(
    session: AsyncSession, ctx: Context, choice: ProjectList
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
    shown = choice.model_copy(update={"page": page.page})
    for line in page.projects:
        title = pick(line.title, ctx.locale, ctx.default_locale)
        opened = ProjectCard(project_id=line.id, **shown.model_dump())
        builder.button(text=item_label("ℹ️", title), callback_data=opened)
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


async def show_projects(message: Message, ctx: Context, session: AsyncSession) -> None:
    text, markup = await _list_markup(session, ctx, ProjectList())
    await message.answer(text, reply_markup=markup)


async def page_projects(
    query: CallbackQuery,
    callback_data: ProjectList,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    text, markup = await _list_markup(session, ctx, callback_data)
    await edit_text(message, text, reply_markup=markup)


async def choose_filter(
    query: CallbackQuery, callback_data: ProjectFilter, message: Message, session: AsyncSession
) -> None:
    themes, quartieri = await projects.filter_choices(session)
    builder = InlineKeyboardBuilder()
    if callback_data.kind == "theme":
        for index, theme in enumerate(themes):
            builder.button(
                text=short_label(theme_name(theme)), callback_data=ProjectList(theme=index)
            )
        prompt = _("Which theme?")
    else:
        for index, quartiere in enumerate(quartieri):
            builder.button(text=short_label(quartiere), callback_data=ProjectList(quartiere=index))
        prompt = _("Which quartiere?")
    builder.button(text=_("All projects"), callback_data=ProjectList())
    builder.adjust(2)
    await edit_text(message, prompt, reply_markup=builder.as_markup())


async def open_project(
    query: CallbackQuery,
    callback_data: ProjectCard | ProjectOpen,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """The project's card in place of the list: its shifts to join, and back to the list."""
    staff = (await ctx.actor()).may_manage(callback_data.project_id)
    card = await projects.project_card(session, callback_data.project_id, ctx.now, staff=staff)
    if card is None:
        callback_answer.text = _("This project is no longer in the catalogue.")
        callback_answer.show_alert = True
        return
    locale = ctx.locale
    builder = InlineKeyboardBuilder()
    for shift in card.shifts:
        moment = when(shift.info, locale, ctx.zone)
        if not shift.started:
            label = _("Join: {when}").format(when=moment)
            builder.button(text=label[:60], callback_data=ShiftJoin(shift_id=shift.info.id))
        if staff:
            label = _("👥 Roster: {when}").format(when=moment)
            builder.button(text=label[:60], callback_data=RosterOpen(shift_id=shift.info.id))
    back = ProjectList()
    if isinstance(callback_data, ProjectCard):
        back = ProjectList(**callback_data.model_dump(exclude={"project_id"}))
    builder.button(text=_("◀️ Projects"), callback_data=back)
    builder.adjust(1)
    await edit_text(
        message,
        card_text(card, locale, ctx.default_locale, ctx.zone),
        reply_markup=builder.as_markup(),
    )


async def join_shift(
    query: CallbackQuery,
    callback_data: ShiftJoin,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if await register.volunteer_status(session, ctx.user_id) is None:
        await start_registration(message, state, callback_data.shift_id)
        return
    await sign_up_and_tell(query, message, ctx, session, callback_data.shift_id, callback_answer)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_projects, Command(*names("volunteer")))
    router.callback_query.register(page_projects, ProjectList.filter())
    router.callback_query.register(
        choose_filter, ProjectFilter.filter(F.kind.in_({"theme", "quartiere"}))
    )
    router.callback_query.register(open_project, ProjectCard.filter())
    router.callback_query.register(open_project, ProjectOpen.filter())
    router.callback_query.register(join_shift, ShiftJoin.filter())
    return router
