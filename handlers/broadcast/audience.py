"""Choosing an announcement's audience with buttons: groups added one by one make a union."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import pick
from bot.services.announcements import audiences
from bot.services.announcements.audiences import Kind
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.broadcast.views import audience_label, people
from handlers.shared.callbacks import BroadcastGroups, BroadcastPick, BroadcastStep
from handlers.shared.keyboards import LANGUAGE_NAMES

PAGE_SIZE = 8


async def label_of(session: AsyncSession, audience: str, locale: str, default: str) -> str:
    try:
        groups = await audiences.describe(session, audience)
    except audiences.AudienceError:
        return audience
    return audience_label(groups, locale, default)


def _menu_markup(chosen: bool) -> InlineKeyboardMarkup:
    groups = [
        button(_("Everyone"), BroadcastPick(kind=Kind.ALL.value, item_id=0)),
        button(_("All volunteers"), BroadcastPick(kind=Kind.VOLUNTEERS.value, item_id=0)),
        button(_("A quartiere"), BroadcastGroups(kind=Kind.QUARTIERE.value)),
        button(_("A project's volunteers"), BroadcastGroups(kind=Kind.PROJECT.value)),
        button(_("A greenway's subscribers"), BroadcastGroups(kind=Kind.GREENWAY.value)),
        button(_("A language"), BroadcastGroups(kind=Kind.LANG.value)),
    ]
    rows = in_rows(groups, 2)
    if chosen:
        rows.append(
            [
                button(_("Start over"), BroadcastStep(action="clear")),
                button(_("Next: when ➡️"), BroadcastStep(action="when")),
            ]
        )
    return markup(rows)


async def _menu_text(session: AsyncSession, ctx: Context, chosen: list[str]) -> str:
    if not chosen:
        return _("Who should receive it? Choose a group; add more to reach them all.")
    spec = ",".join(chosen)
    count = await audiences.count_recipients(
        session, spec, urgent=False, default_locale=ctx.default_locale
    )
    label = await label_of(session, spec, ctx.locale, ctx.default_locale)
    return _("Audience: {audience}, <b>{people}</b>. Add another group, or go on.").format(
        audience=label, people=people(count)
    )


async def draft_data(state: FSMContext, callback_answer: CallbackAnswer) -> dict[str, Any] | None:
    """The draft being composed; None (and the admin told so) once it is gone."""
    data = await state.get_data()
    if "text" not in data:
        callback_answer.text = _(
            "This announcement is no longer being prepared: start again with /broadcast."
        )
        callback_answer.show_alert = True
        return None
    return data


async def _draft_audience(state: FSMContext, callback_answer: CallbackAnswer) -> list[str] | None:
    data = await draft_data(state, callback_answer)
    return None if data is None else list(data.get("audience", []))


async def show(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    chosen = await _draft_audience(state, callback_answer)
    if chosen is None:
        return
    text = await _menu_text(session, ctx, chosen)
    await message.answer(text, reply_markup=_menu_markup(bool(chosen)))


async def _refresh(
    message: Message, ctx: Context, session: AsyncSession, chosen: list[str]
) -> None:
    text = await _menu_text(session, ctx, chosen)
    await message.edit_text(text, reply_markup=_menu_markup(bool(chosen)))


async def clear(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if await _draft_audience(state, callback_answer) is None:
        return
    await state.update_data(audience=[])
    await _refresh(message, ctx, session, [])


async def list_groups(
    query: CallbackQuery,
    callback_data: BroadcastGroups,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if await _draft_audience(state, callback_answer) is None:
        return
    kind = Kind(callback_data.kind)
    found = await audiences.choices(session, kind)
    if not found:
        callback_answer.text = _("There is nothing of this kind in the catalogue yet.")
        callback_answer.show_alert = True
        return
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(callback_data.page, 0), pages - 1)
    rows: list[list[InlineKeyboardButton]] = []
    for choice in found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        name = pick(choice.name, ctx.locale, ctx.default_locale)
        name = LANGUAGE_NAMES.get(name, name) if kind is Kind.LANG else name
        rows.append([button(name[:60], BroadcastPick(kind=kind.value, item_id=choice.id))])
    navigation = []
    if page > 0:
        navigation.append(button("◀️", BroadcastGroups(kind=kind.value, page=page - 1)))
    if page < pages - 1:
        navigation.append(button("▶️", BroadcastGroups(kind=kind.value, page=page + 1)))
    rows.append(navigation)
    await message.edit_reply_markup(reply_markup=markup(rows))


async def add_group(
    query: CallbackQuery,
    callback_data: BroadcastPick,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    chosen = await _draft_audience(state, callback_answer)
    if chosen is None:
        return
    kind = Kind(callback_data.kind)
    if kind in audiences.KEYED:
        found = [c for c in await audiences.choices(session, kind) if c.id == callback_data.item_id]
        if not found:
            callback_answer.text = _("That is no longer in the catalogue.")
            callback_answer.show_alert = True
            return
        spec = audiences.AudiencePart(kind, found[0].key).spec
    else:
        spec = kind.value
    if spec not in chosen:
        chosen.append(spec)
    await state.update_data(audience=chosen)
    await _refresh(message, ctx, session, chosen)


def register(router: Router) -> None:
    router.callback_query.register(clear, BroadcastStep.filter(F.action == "clear"))
    kinds = F.kind.in_([kind.value for kind in Kind])
    router.callback_query.register(list_groups, BroadcastGroups.filter(kinds))
    router.callback_query.register(add_group, BroadcastPick.filter(kinds))
