"""Tutors on their shifts: the roster, confirming people, attendance and a message to all."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import pick
from bot.services.people.roles import Role
from bot.services.volunteering import roster
from bot.telegram.context import Context
from bot.telegram.editing import edit_text
from bot.telegram.staff_filter import staff_only
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.shared.callbacks import (
    RosterAct,
    RosterIdentity,
    RosterMessage,
    RosterOpen,
    ShiftReply,
)
from handlers.volunteering.views import when
from storage.models import SignupStatus


class TutorMessage(StatesGroup):
    text = State()


class ReplyToTutor(StatesGroup):
    text = State()


def person_line(number: int, person: roster.Person) -> str:
    line = f"{number}. {html.escape(person.name)}"
    if person.phone:
        line += f" · {html.escape(person.phone)}"
    marks = []
    if not person.identity_verified:
        marks.append(_("identity to verify"))
    if person.guardian_pending:
        marks.append(_("parent's authorisation pending"))
    if person.medical_pending:
        marks.append(_("medical certificate pending"))
    if person.status == SignupStatus.ATTENDED:
        marks.append(_("present"))
    elif person.status == SignupStatus.NO_SHOW:
        marks.append(_("absent"))
    return line + (f" ({', '.join(marks)})" if marks else "")


def _person_actions(view: roster.Roster, person: roster.Person) -> list[tuple[roster.Action, str]]:
    actions = []
    if not person.identity_verified:
        actions.append((roster.Action.IDENTITY, _("🪪 Identity {number}")))
    if person.guardian_pending:
        actions.append((roster.Action.GUARDIAN, _("👪 Authorisation {number}")))
    if person.medical_pending:
        actions.append((roster.Action.MEDICAL, _("🩺 Certificate {number}")))
    if view.started:
        actions.append((roster.Action.PRESENT, _("✅ Present {number}")))
        actions.append((roster.Action.ABSENT, _("❌ Absent {number}")))
    return actions


def roster_markup(
    view: roster.Roster, first: list[InlineKeyboardButton] | None = None
) -> InlineKeyboardMarkup:
    """The roster's buttons, after an optional `first` row (an Undo)."""
    flat = []
    numbered = [p for p in view.people if p.status != SignupStatus.WAITLISTED]
    for number, person in enumerate(numbered, start=1):
        for action, label in _person_actions(view, person):
            data = RosterAct(
                action=action.value, shift_id=view.shift.id, user_id=person.telegram_id
            )
            flat.append(button(label.format(number=number), data))
    rows = ([first] if first else []) + in_rows(flat, 2)
    rows.append([button(_("✉️ Message everyone"), RosterMessage(shift_id=view.shift.id))])
    return markup(rows)


def roster_text(view: roster.Roster, ctx: Context) -> str:
    title = html.escape(pick(view.shift.project_title, ctx.locale, ctx.default_locale))
    lines = [f"<b>{title}</b>", when(view.shift, ctx.locale, ctx.zone), ""]
    confirmed = [p for p in view.people if p.status != SignupStatus.WAITLISTED]
    waiting = [p for p in view.people if p.status == SignupStatus.WAITLISTED]
    lines.append(
        _("<b>Places</b> ({taken} of {capacity})").format(
            taken=len(confirmed), capacity=view.shift.capacity
        )
    )
    lines += [person_line(n, p) for n, p in enumerate(confirmed, start=1)] or [_("Nobody yet.")]
    if waiting:
        lines += ["", _("<b>Waitlist</b>")]
        lines += [person_line(p.position or 0, p) for p in waiting]
    return "\n".join(lines)


async def show_roster(
    query: CallbackQuery,
    callback_data: RosterOpen,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        view = await roster.roster(session, await ctx.actor(), callback_data.shift_id, ctx.now)
    except (roster.NotAllowed, roster.RosterError):
        callback_answer.text = _("Only the tutors of this project can see its roster.")
        callback_answer.show_alert = True
        return
    await message.answer(roster_text(view, ctx), reply_markup=roster_markup(view))


async def act_on_person(
    query: CallbackQuery,
    callback_data: RosterAct,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.action == roster.Action.IDENTITY:
        await _ask_identity(callback_data, message, ctx, session, callback_answer)
        return
    try:
        action = roster.Action(callback_data.action)
        await roster.act(
            session,
            await ctx.actor(),
            callback_data.shift_id,
            callback_data.user_id,
            action,
            ctx.now,
        )
    except roster.NotAllowed:
        _not_allowed(callback_answer)
        return
    except (roster.RosterError, ValueError):
        callback_answer.text = _("This cannot be done for this person now.")
        callback_answer.show_alert = True
        return
    callback_answer.text = _("Saved.")
    view = await roster.roster(session, await ctx.actor(), callback_data.shift_id, ctx.now)
    await edit_text(message, roster_text(view, ctx), reply_markup=roster_markup(view))


async def _ask_identity(
    callback_data: RosterAct,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """Identity goes in the register: the tutor says first that they saw a document."""
    shift_id, user_id = callback_data.shift_id, callback_data.user_id
    try:
        person = await roster.person_to_verify(session, await ctx.actor(), shift_id, user_id)
    except roster.NotAllowed:
        _not_allowed(callback_answer)
        return
    except roster.RosterError:
        _cannot(callback_answer)
        return

    def answer(value: str) -> RosterIdentity:
        return RosterIdentity(answer=value, shift_id=shift_id, user_id=user_id)

    await edit_text(
        message,
        _("Did you check an identity document of {name}?").format(name=html.escape(person.name)),
        reply_markup=markup(
            [[button(_("✅ Yes, I checked it"), answer("yes")), button(_("✖️ No"), answer("no"))]]
        ),
    )


async def answer_identity(
    query: CallbackQuery,
    callback_data: RosterIdentity,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    shift_id, user_id = callback_data.shift_id, callback_data.user_id
    actor = await ctx.actor()
    head = ""
    undo = None
    try:
        if callback_data.answer == "yes":
            person = await roster.person_to_verify(session, actor, shift_id, user_id)
            await roster.act(session, actor, shift_id, user_id, roster.Action.IDENTITY, ctx.now)
            head = _("🪪 Identity of {name} confirmed.").format(name=html.escape(person.name))
            undo = RosterIdentity(answer="undo", shift_id=shift_id, user_id=user_id)
            callback_answer.text = _("Saved.")
        elif callback_data.answer == "undo":
            person = await roster.undo_identity(session, actor, shift_id, user_id, ctx.now)
            head = _("↩️ The identity of {name} is to verify again.").format(
                name=html.escape(person.name)
            )
            callback_answer.text = _("Undone.")
    except roster.NotAllowed:
        _not_allowed(callback_answer)
        return
    except roster.TooLate:
        minutes = int(roster.UNDO_WINDOW.total_seconds() // 60)
        callback_answer.text = ngettext(
            "Too late to undo: a confirmation can be taken back within {count} minute.",
            "Too late to undo: a confirmation can be taken back within {count} minutes.",
            minutes,
        ).format(count=minutes)
        callback_answer.show_alert = True
    except roster.NotYours:
        callback_answer.text = _("Only whoever confirmed it can undo this confirmation.")
        callback_answer.show_alert = True
    except roster.RosterError:
        _cannot(callback_answer)
    view = await roster.roster(session, actor, shift_id, ctx.now)
    keyboard = roster_markup(view, [button(_("↩️ Undo"), undo)] if undo else None)
    text = roster_text(view, ctx)
    await edit_text(message, f"{head}\n\n{text}" if head else text, reply_markup=keyboard)


def _cannot(callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This cannot be done for this person now.")
    callback_answer.show_alert = True


async def ask_message(
    query: CallbackQuery,
    callback_data: RosterMessage,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        await roster.roster(session, await ctx.actor(), callback_data.shift_id, ctx.now)
    except (roster.NotAllowed, roster.RosterError):
        _not_allowed(callback_answer)
        return
    await state.set_state(TutorMessage.text)
    await state.set_data({"shift_id": callback_data.shift_id})
    await message.answer(_("Write the message for everyone on this shift (or /cancel)."))


async def _ask_shorter(message: Message) -> None:
    """Too long to send: the step stays open for a shorter one, or /cancel."""
    assert message.text is not None
    await message.answer(
        _(
            "This message is {length} characters long: the most is {limit}. "
            "Please send a shorter one (or /cancel)."
        ).format(length=len(message.text), limit=roster.MAX_MESSAGE_LENGTH)
    )


async def send_message(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    assert message.text is not None
    data = await state.get_data()
    try:
        count = await roster.message_shift(
            session,
            await ctx.actor(),
            int(data["shift_id"]),
            message.html_text,
            ctx.now,
            length=len(message.text),
            zone=str(ctx.zone),
        )
    except roster.MessageTooLong:
        await _ask_shorter(message)
        return
    except (roster.NotAllowed, roster.RosterError):
        await state.clear()
        await message.answer(_("Only the tutors of this project can do this."))
        return
    await state.clear()
    await message.answer(
        ngettext(
            "Your message is on its way to {count} person.",
            "Your message is on its way to {count} people.",
            count,
        ).format(count=count)
    )


async def ask_reply(
    query: CallbackQuery,
    callback_data: ShiftReply,
    message: Message,
    state: FSMContext,
) -> None:
    await state.set_state(ReplyToTutor.text)
    await state.set_data({"shift_id": callback_data.shift_id, "tutor_id": callback_data.tutor_id})
    await message.answer(_("Write your reply for the tutor (or /cancel)."))


async def send_reply(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    assert message.text is not None
    data = await state.get_data()
    try:
        tutor = await roster.reply_to_tutor(
            session,
            ctx.user_id,
            int(data["shift_id"]),
            int(data["tutor_id"]),
            message.html_text,
            ctx.now,
            length=len(message.text),
            zone=str(ctx.zone),
        )
    except roster.MessageTooLong:
        await _ask_shorter(message)
        return
    except roster.RosterError:
        await state.clear()
        await message.answer(_("You can reply only about a shift where you have a place."))
        return
    await state.clear()
    await message.answer(_("Your reply is on its way to {tutor}.").format(tutor=html.escape(tutor)))


def _not_allowed(callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("Only the tutors of this project can do this.")
    callback_answer.show_alert = True


async def refuse(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    _not_allowed(callback_answer)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(show_roster, RosterOpen.filter())
    router.callback_query.register(act_on_person, RosterAct.filter())
    router.callback_query.register(answer_identity, RosterIdentity.filter())
    router.callback_query.register(ask_message, RosterMessage.filter())
    router.message.register(
        send_message, StateFilter(TutorMessage.text), F.text, ~F.text.startswith("/")
    )
    staff = staff_only(
        router, Role.TUTOR, refuse, RosterOpen, RosterAct, RosterIdentity, RosterMessage
    )
    # Volunteers' replies to their tutors: anyone, checked by the service.
    replies = Router(name=f"{__name__}.replies")
    replies.callback_query.register(ask_reply, ShiftReply.filter())
    replies.message.register(
        send_reply, StateFilter(ReplyToTutor.text), F.text, ~F.text.startswith("/")
    )
    top = Router(name=f"{__name__}.all")
    top.include_routers(staff, replies)
    return top
