"""/broadcast for admins: compose an announcement, choose who gets it and when, confirm.

The draft lives in the conversation state until it is confirmed; at confirmation the
summary message becomes the progress message the scheduler keeps up to date.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import SUPPORTED_LOCALES
from bot.services.announcements import audiences, send_time
from bot.services.announcements import compose as announcements
from bot.services.people.roles import Role
from bot.settings import Settings
from bot.telegram.context import Context
from bot.telegram.staff_filter import staff_only
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.broadcast import audience, when
from handlers.broadcast.states import Composing
from handlers.broadcast.views import people, progress_markup, progress_text, recent_line, when_text
from handlers.shared.callbacks import (
    AnnouncementCancel,
    BroadcastGroups,
    BroadcastPick,
    BroadcastStep,
)
from handlers.shared.commands import names
from handlers.shared.keyboards import LANGUAGE_NAMES

BUTTONS = (BroadcastStep, BroadcastGroups, BroadcastPick, AnnouncementCancel)


class ForBroadcast(Filter):
    """/broadcast or a message while composing: a string check, no database."""

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool:
        text = message.text or ""
        command = (text.split(maxsplit=1) or [""])[0].split("@")[0]
        asked = command.startswith("/") and command[1:] in names("broadcast")
        return asked or (raw_state or "").startswith("Composing:")


def _problem_text(error: announcements.AnnouncementError | audiences.AudienceError) -> str:
    if isinstance(error, audiences.AudienceError):
        return _("This audience cannot be used: {reason}.").format(reason=html.escape(str(error)))
    if error.problem is announcements.Problem.PAST:
        return when.time_problem_text(send_time.Problem.PAST)
    if error.problem is announcements.Problem.TIME:  # confirming: the time was read before
        return when.time_problem_text(send_time.Problem.UNREADABLE)
    return _("Telegram would refuse this text ({reason}). Please send it again.").format(
        reason=html.escape(error.detail)
    )


async def start(message: Message, ctx: Context, session: AsyncSession, state: FSMContext) -> None:
    recent = await announcements.recent(session, actor=await ctx.actor())
    if recent:
        lines = [_("<b>Recent announcements</b>")]
        buttons = []
        for progress in recent:
            label = await audience.label_of(
                session, progress.audience, ctx.locale, ctx.default_locale
            )
            lines.append(recent_line(progress, label, ctx.zone))
            if progress_markup(progress) is not None:
                data = AnnouncementCancel(announcement_id=progress.id)
                text = _("✖️ Cancel #{number}").format(number=progress.id)
                buttons.append([button(text, data)])
        await message.answer("\n".join(lines), reply_markup=markup(buttons) if buttons else None)
    await state.set_state(Composing.text)
    await state.set_data({})
    await message.answer(
        _(
            "Send me the announcement: a text (formatting is kept) or a photo with a caption. "
            "/cancel to stop."
        )
    )


def _content(message: Message) -> tuple[str, str | None]:
    """The message as Telegram HTML (its formatting kept), and its photo if it has one."""
    photo = message.photo[-1].file_id if message.photo else None
    return message.html_text if (message.text or message.caption) else "", photo


async def got_text(message: Message, state: FSMContext) -> None:
    text, photo = _content(message)
    draft = announcements.Draft(text=text, photo=photo)
    try:
        announcements.check_texts(draft)
    except announcements.AnnouncementError as error:
        await message.answer(_problem_text(error))
        return
    await state.set_state(None)
    await state.set_data({"text": text, "photo": photo, "versions": {}, "audience": []})
    text, keyboard = _versions_menu({})
    await message.answer(text, reply_markup=keyboard)


def _versions_menu(versions: dict[str, str]) -> tuple[str, InlineKeyboardMarkup]:
    """The languages not yet added, each a button named by its language; none once all are."""
    lines = [_("Saved. People get this text unless there is a version in their language.")]
    if versions:
        names = ", ".join(LANGUAGE_NAMES[locale] for locale in sorted(versions))
        lines.append(_("Versions: {languages}").format(languages=names))
    missing = [locale for locale in SUPPORTED_LOCALES if locale not in versions]
    if missing:
        lines.append(_("Add a version in another language, or go on to the audience."))
    rows = [
        [button(LANGUAGE_NAMES[locale], BroadcastStep(action="version", value=locale))]
        for locale in missing
    ]
    rows.append([button(_("Next: the audience ➡️"), BroadcastStep(action="audience"))])
    return "\n".join(lines), markup(rows)


async def ask_version(
    query: CallbackQuery,
    callback_data: BroadcastStep,
    message: Message,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if (
        await audience.draft_data(state, callback_answer) is None
        or callback_data.value not in SUPPORTED_LOCALES
    ):
        return
    await state.set_state(Composing.version)
    await state.update_data(version_locale=callback_data.value)
    language = LANGUAGE_NAMES[callback_data.value]
    await message.answer(
        _("Send the version in {language} (or /cancel).").format(language=language)
    )


async def got_version(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    text, _photo = _content(message)
    draft = announcements.Draft(text=text, photo=data.get("photo"))
    try:
        announcements.check_texts(draft)
    except announcements.AnnouncementError as error:
        await message.answer(_problem_text(error))
        return
    versions = {**data.get("versions", {}), data["version_locale"]: text}
    await state.set_state(None)
    await state.update_data(versions=versions)
    text, keyboard = _versions_menu(versions)
    await message.answer(text, reply_markup=keyboard)


def draft_of(data: dict[str, Any]) -> announcements.Draft:
    send_at = data.get("send_at")
    return announcements.Draft(
        text=data["text"],
        audience=",".join(data.get("audience", [])),
        versions=dict(data.get("versions", {})),
        photo=data.get("photo"),
        urgent=bool(data.get("urgent")),
        send_at=datetime.fromisoformat(send_at) if send_at else None,
    )


async def preview(
    query: CallbackQuery,
    callback_data: BroadcastStep,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await audience.draft_data(state, callback_answer)
    if data is None:
        return
    await state.update_data(urgent=callback_data.value == "1")
    await _show_preview(
        message, ctx, session, draft_of({**data, "urgent": callback_data.value == "1"})
    )


async def _show_preview(
    message: Message, ctx: Context, session: AsyncSession, draft: announcements.Draft
) -> None:
    """Each version as recipients will see it, then who and when, with the Send button."""
    for title, text in [(_("Preview:"), draft.text)] + [
        (_("Preview in {language}:").format(language=LANGUAGE_NAMES[locale]), version)
        for locale, version in sorted(draft.versions.items())
    ]:
        await message.answer(title)
        if draft.photo:
            await message.answer_photo(draft.photo, caption=text or None)
        else:
            await message.answer(text)
    count = await audiences.count_recipients(
        session, draft.audience, urgent=draft.urgent, default_locale=ctx.default_locale
    )
    label = await audience.label_of(session, draft.audience, ctx.locale, ctx.default_locale)
    now = ctx.now
    moment = announcements.going_out_at(draft, now, ctx.reminders.quiet_hours, ctx.zone)
    when = _("now") if moment <= now else when_text(moment, ctx.zone)
    summary = _("To {audience}: <b>{people}</b>, {when}.").format(
        audience=label, people=people(count), when=when
    )
    if moment != (draft.send_at or now):
        summary += "\n" + _("Not urgent: it waits for the end of the quiet hours.")
    if draft.urgent:
        summary += "\n" + _("Urgent: also to people who muted announcements.")
    # The Send button names the draft previewed here: once it changes, this one is stale.
    send = BroadcastStep(action="send", value=announcements.fingerprint(draft))
    rows = [
        [button(_("✅ Send"), send)],
        [button(_("🗑 Discard"), BroadcastStep(action="discard"))],
    ]
    await message.answer(summary, reply_markup=markup(rows))


async def _refuse_stale(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    data: dict[str, Any],
    callback_answer: CallbackAnswer,
) -> None:
    """A Send pressed under an older preview: nothing goes, the current draft is shown."""
    callback_answer.show_alert = True
    if not data.get("audience") or "urgent" not in data:
        callback_answer.text = _(
            "This preview is out of date: the announcement changed since. "
            "Finish the new one and send it from its own preview."
        )
        return
    callback_answer.text = _(
        "This preview is out of date: the announcement changed since. "
        "Here it is as it is now: check it and send it from there."
    )
    await _show_preview(message, ctx, session, draft_of(data))


async def confirm(
    query: CallbackQuery,
    callback_data: BroadcastStep,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    data = await audience.draft_data(state, callback_answer)
    if data is None:
        return
    draft = draft_of(data)
    if callback_data.value != announcements.fingerprint(draft):
        await _refuse_stale(message, ctx, session, data, callback_answer)
        return
    try:
        progress = await announcements.announce(
            session,
            draft,
            actor=ctx.user_id,
            admin_ids=settings.admin_ids,
            now=ctx.now,
            default_locale=ctx.default_locale,
            progress_at=(message.chat.id, message.message_id),
            quiet_hours=ctx.reminders.quiet_hours,
            zone=ctx.zone,
        )
    except (announcements.AnnouncementError, audiences.AudienceError) as error:
        callback_answer.text = _problem_text(error)
        callback_answer.show_alert = True
        return
    except announcements.NotAllowed:
        _only_admins(callback_answer)
        return
    await state.clear()
    callback_answer.text = _("Queued.")
    label = await audience.label_of(session, progress.audience, ctx.locale, ctx.default_locale)
    text = progress_text(progress, label, now=ctx.now, rate=settings.broadcast_rate, zone=ctx.zone)
    await message.edit_text(text, reply_markup=progress_markup(progress))


async def discard(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.edit_text(_("Announcement discarded."))


async def cancel_sending(
    query: CallbackQuery,
    callback_data: AnnouncementCancel,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        progress = await announcements.cancel(
            session, callback_data.announcement_id, actor=await ctx.actor(), now=ctx.now
        )
    except announcements.NotAllowed:
        _only_admins(callback_answer)
        return
    except LookupError:
        callback_answer.text = _("This announcement no longer exists.")
        callback_answer.show_alert = True
        return
    callback_answer.text = ngettext(
        "Cancelled: {count} message not sent.",
        "Cancelled: {count} messages not sent.",
        progress.cancelled,
    ).format(count=progress.cancelled)
    callback_answer.show_alert = True


def _only_admins(callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("Only admins can send announcements.")
    callback_answer.show_alert = True


async def not_an_admin(message: Message) -> None:
    await message.answer(_("Only admins can send announcements."))


async def refuse_press(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    _only_admins(callback_answer)


def create_router() -> Router:
    """The admins' router; anyone else who sends /broadcast is told it is for admins."""
    router = Router(name=f"{__name__}.admins")
    router.message.register(start, Command(*names("broadcast")))
    not_a_command = ~F.text.startswith("/")
    router.message.register(got_text, StateFilter(Composing.text), F.text | F.photo, not_a_command)
    router.message.register(got_version, StateFilter(Composing.version), F.text, not_a_command)
    step = BroadcastStep.filter
    router.callback_query.register(ask_version, step(F.action == "version"))
    router.callback_query.register(audience.show, step(F.action == "audience"))
    router.callback_query.register(preview, step(F.action == "urgent"))
    router.callback_query.register(confirm, step(F.action == "send"))
    router.callback_query.register(discard, step(F.action == "discard"))
    router.callback_query.register(cancel_sending, AnnouncementCancel.filter())
    audience.register(router)
    when.register(router)
    others = Router(name=f"{__name__}.others")
    others.message.register(not_an_admin, Command(*names("broadcast")))
    return staff_only(
        router, Role.ADMIN, refuse_press, *BUTTONS, messages=ForBroadcast(), others=others
    )
