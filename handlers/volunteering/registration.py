"""Joining the volunteer register: a short conversation, saved only at the very end.

Who may join comes first, and whether the person lives in the city before any personal
detail; a typo is asked again, and a refusal says what the person can still do.
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.volunteering import register
from bot.services.volunteering.register import Problem
from bot.telegram.context import Context
from handlers.shared.callbacks import EventList, HubQuartieri, RegisterAnswer
from handlers.volunteering.places import sign_up_and_tell


class RegisterFlow(StatesGroup):
    resident = State()
    name = State()
    birth_date = State()
    phone = State()
    consent = State()


def problem_text(problem: Problem) -> str:
    texts = {
        Problem.NAME: _("Please write your first name and surname, e.g. Maria Rossi."),
        Problem.NAME_SYMBOL: _(
            "A name cannot begin with =, + or @. Please write your first name and surname, "
            "e.g. Maria Rossi."
        ),
        Problem.DATE_FORMAT: _(
            "Please write your date of birth as day, month and year, e.g. 24/05/1980 "
            "or 24 May 1980."
        ),
        Problem.DATE_IMPOSSIBLE: _("That date does not exist. Please check day and month."),
        Problem.DATE_FUTURE: _("That date is in the future. Please write your date of birth."),
        Problem.DATE_IMPLAUSIBLE: _("Please check the year of your date of birth."),
        Problem.TOO_YOUNG: _("The volunteer register is open from the age of 15."),
        Problem.TOO_OLD: _("The volunteer register is open until the 80th birthday."),
        Problem.PHONE: _(
            "That does not look like a phone number. Please write it with digits only, "
            "e.g. +39 333 1234567, or use the button."
        ),
        Problem.NOT_RESIDENT: _(
            "The city's volunteer register is for people who live or are domiciled in the "
            "city. Nothing was saved."
        ),
        Problem.NO_CONSENT: _("Without your consent you cannot join. Nothing was saved."),
        Problem.ALREADY_REGISTERED: _("You are already in the volunteer register."),
    }
    return texts[problem]


def refusal_text(problem: Problem) -> str:
    """Why the register is closed to this person, that nothing was kept, and what is open."""
    texts = {
        Problem.TOO_YOUNG: _(
            "The volunteer register is open from the age of 15. Nothing was saved.\n\n"
            "You are welcome at the greenway events and in the Case di quartiere, the "
            "community hubs, at any age."
        ),
        Problem.TOO_OLD: _(
            "The volunteer register is open until the 80th birthday. Nothing was saved.\n\n"
            "You are welcome at the greenway events and in the Case di quartiere, the "
            "community hubs, at any age."
        ),
        Problem.NOT_RESIDENT: _(
            "The city's volunteer register is for people who live or are domiciled in the "
            "city. Nothing was saved.\n\n"
            "The greenway events and the Case di quartiere, the community hubs, are open "
            "to everyone."
        ),
    }
    return texts[problem]


def _still_open() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📅 Events"), callback_data=EventList())
    builder.button(text=_("🏠 Case di quartiere"), callback_data=HubQuartieri())
    return builder.as_markup()


def _phone_keyboard() -> ReplyKeyboardMarkup:
    button = KeyboardButton(text=_("📱 Share my phone number"), request_contact=True)
    return ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True)


async def start_registration(message: Message, state: FSMContext, shift_id: int) -> None:
    await state.set_state(RegisterFlow.resident)
    await state.set_data({"shift_id": shift_id})
    await message.answer(
        _(
            "To volunteer you join the city's volunteer register. It is open to people "
            "from 15 to 80 years old who live or are domiciled in the city (under 18 with "
            "a parent's authorisation, from 75 with a medical certificate). Send /cancel "
            "at any time and nothing is saved.\n\n"
            "Do you live, or are you domiciled, in the city?"
        ),
        reply_markup=_answers(),
    )


async def got_residence(
    query: CallbackQuery, callback_data: RegisterAnswer, message: Message, state: FSMContext
) -> None:
    if callback_data.answer != "yes":
        await state.clear()
        await message.edit_text(refusal_text(Problem.NOT_RESIDENT), reply_markup=_still_open())
        return
    await state.set_state(RegisterFlow.name)
    await message.edit_text(_("What is your full name (first name and surname)?"))


async def got_name(message: Message, state: FSMContext) -> None:
    try:
        name = register.check_name(message.text or "")
    except register.RegisterError as error:
        await message.answer(problem_text(error.problem))
        return
    await state.update_data(full_name=name)
    await state.set_state(RegisterFlow.birth_date)
    await message.answer(_("Your date of birth (day/month/year)?"))


async def got_birth_date(message: Message, ctx: Context, state: FSMContext) -> None:
    try:
        birth = register.parse_birth_date(message.text or "", ctx.today)
    except register.RegisterError as error:
        if error.problem in (Problem.TOO_YOUNG, Problem.TOO_OLD):
            await state.clear()
            await message.answer(refusal_text(error.problem), reply_markup=_still_open())
        elif error.problem is Problem.DATE_IMPLAUSIBLE and error.age is not None:
            await message.answer(_implausible_text(error.age))
        else:
            await message.answer(problem_text(error.problem))
        return
    await state.update_data(birth_date=birth.isoformat())
    await state.set_state(RegisterFlow.phone)
    await message.answer(
        _("Your phone number, so that your tutor can reach you? Use the button or type it."),
        reply_markup=_phone_keyboard(),
    )


def _implausible_text(age: int) -> str:
    return ngettext(
        "Are you really {age} year old? Please check the year and write your date of "
        "birth again, e.g. 24/05/1980.",
        "Are you really {age} years old? Please check the year and write your date of "
        "birth again, e.g. 24/05/1980.",
        age,
    ).format(age=age)


async def got_phone(message: Message, state: FSMContext) -> None:
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        if not own:
            await message.answer(
                _("Please share your own phone number, or type it."),
                reply_markup=_phone_keyboard(),
            )
            return
        text = message.contact.phone_number
    else:
        text = message.text or ""
    try:
        phone = register.normalise_phone(text)
    except register.RegisterError as error:
        # The button again: a one-time keyboard is gone once the person has typed.
        await message.answer(problem_text(error.problem), reply_markup=_phone_keyboard())
        return
    await state.update_data(phone=phone)
    await state.set_state(RegisterFlow.consent)
    # Two messages: one takes the phone keyboard away, the other carries the consent buttons.
    await message.answer(_("Thank you."), reply_markup=ReplyKeyboardRemove())
    await message.answer(_consent_text(), reply_markup=_answers(_("I agree"), _("I do not agree")))


def _answers(yes: str | None = None, no: str | None = None) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=yes or _("Yes"), callback_data=RegisterAnswer(answer="yes"))
    builder.button(text=no or _("No"), callback_data=RegisterAnswer(answer="no"))
    return builder.as_markup()


def _consent_text() -> str:
    return _(
        "<b>Consent</b>\n"
        "The City keeps in its volunteer register your name, date of birth, phone "
        "number and residence, with the date you joined, the shifts you take and the "
        "hours you give, because the law requires a register of civic volunteers and "
        "their insurance. Your tutors see your phone number; nobody else outside the "
        "City's staff does. More in /privacy.\n\n"
        "Do you agree to join the register and to this processing?"
    )


async def got_consent(
    query: CallbackQuery,
    callback_data: RegisterAnswer,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await state.get_data()
    form = register.Form(
        full_name=str(data.get("full_name", "")),
        birth_date=date.fromisoformat(str(data.get("birth_date"))),
        phone=str(data.get("phone", "")),
        resident=True,
        consent=callback_data.answer == "yes",
    )
    try:
        status = await register.join_register(
            session, ctx.user_id, form, now=ctx.now, today=ctx.today
        )
    except register.RegisterError as error:
        await state.clear()
        await message.edit_text(problem_text(error.problem))
        return
    # Only now: after a database error the user presses the button again and it still works.
    await state.clear()
    lines = [_("You are in the volunteer register. Thank you!")]
    lines.append(_("A tutor will confirm your identity, at the latest at your first shift."))
    if status.needs_guardian:
        lines.append(
            _("As you are under 18, a parent's authorisation is needed: bring it to your tutor.")
        )
    if status.needs_medical:
        lines.append(_("From 75, a medical certificate is needed: bring it to your tutor."))
    await message.edit_text("\n".join(lines))
    shift_id = data.get("shift_id")
    if isinstance(shift_id, int):
        await sign_up_and_tell(query, message, ctx, session, shift_id, callback_answer)


async def use_the_buttons(message: Message) -> None:
    await message.answer(_("Please answer with the buttons above, or send /cancel."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        got_name, StateFilter(RegisterFlow.name), F.text, ~F.text.startswith("/")
    )
    router.message.register(
        got_birth_date, StateFilter(RegisterFlow.birth_date), F.text, ~F.text.startswith("/")
    )
    router.message.register(got_phone, StateFilter(RegisterFlow.phone), F.contact)
    router.message.register(
        got_phone, StateFilter(RegisterFlow.phone), F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(
        got_residence, StateFilter(RegisterFlow.resident), RegisterAnswer.filter()
    )
    router.callback_query.register(
        got_consent, StateFilter(RegisterFlow.consent), RegisterAnswer.filter()
    )
    router.message.register(
        use_the_buttons,
        StateFilter(RegisterFlow.resident, RegisterFlow.consent),
        ~F.text.startswith("/"),
    )
    return router
