"""Every staff button, forged by people who may not press it, is refused and changes nothing.

The callback data is built with the real CallbackData classes (anyone can send these
64 bytes) and pressed through the emulator by a citizen, a volunteer and a tutor of
another project.
"""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData
from sqlalchemy import select

from bot.services.hours.reports import fingerprint
from bot.services.hours.review import list_fingerprint
from handlers.shared.callbacks import (
    AnnouncementCancel,
    BroadcastStep,
    FiguresPick,
    HoursApproveList,
    HoursApprovePage,
    HoursApproveShift,
    HoursDecide,
    RosterAct,
    RosterMessage,
    RosterOpen,
)
from storage.models import Announcement, Signup, Volunteer
from tests.support.programme import MARIA, PIERO, SPID_TUTOR
from tests.trust.trust import Trust

INTRUDERS = {"citizen": PIERO, "volunteer": MARIA, "tutor of another project": SPID_TUTOR}


async def _forged_buttons(trust: Trust) -> list[CallbackData]:
    report = await trust.report()
    check = fingerprint(report.project_id, report.work_date, report.minutes)
    shift = trust.programme.shifts["orti-sat"]
    buttons: list[CallbackData] = [
        HoursDecide(action="approve", report_id=report.id, check=check),
        HoursDecide(action="reject", report_id=report.id, check=check),
        HoursApproveShift(shift_id=shift),
        HoursApproveList(shift_id=shift, seen=list_fingerprint([report])),
        RosterOpen(shift_id=shift),
        RosterMessage(shift_id=shift),
        FiguresPick(scope="stats", period="year"),
        BroadcastStep(action="send"),
        BroadcastStep(action="now"),
        AnnouncementCancel(announcement_id=trust.announcement_id),
    ]
    buttons += [
        RosterAct(action=action, shift_id=shift, user_id=MARIA)
        for action in ("identity", "guardian", "medical", "present", "absent")
    ]
    return buttons


async def _state(trust: Trust) -> tuple[object, ...]:
    async with trust.bot.sessions() as session:
        maria = await session.get(Volunteer, MARIA)
        assert maria is not None
        places = sorted(await session.scalars(select(Signup.status)))
        announcement = await session.get(Announcement, trust.announcement_id)
        assert announcement is not None
    report = await trust.report()
    return (
        report.status,
        report.reviewed_by,
        maria.identity_verified,
        maria.guardian_confirmed,
        maria.medical_cleared,
        tuple(places),
        announcement.cancelled_at,
        await trust.deliveries(),
        len(await trust.audit()),
    )


@pytest.mark.parametrize("who", sorted(INTRUDERS))
async def test_every_forged_staff_button_is_refused_answered_and_changes_nothing(
    who: str, trust: Trust
) -> None:
    intruder = INTRUDERS[who]
    bot = trust.bot
    [anchor] = await bot.say(intruder, "/help", language_code="en")
    before = await _state(trust)
    for data in await _forged_buttons(trust):
        packed = data.pack()
        assert len(packed.encode()) <= 64
        sent = bot.emulator.bot_message_count(intruder)
        query = bot.emulator.user_sends_callback(intruder, packed, message_id=anchor["message_id"])
        await bot.process()
        answer = bot.emulator.callback_answer(query)
        assert answer is not None, packed
        assert answer.get("text"), packed  # a refusal says so, never a silent spinner
        # No roster, no figures, no composing screen reached the intruder.
        assert bot.emulator.bot_message_count(intruder) == sent, packed
    assert await _state(trust) == before


async def test_a_tutor_of_another_project_is_refused_by_name_of_the_project(trust: Trust) -> None:
    bot = trust.bot
    [anchor] = await bot.say(SPID_TUTOR, "/help", language_code="en")
    report = await trust.report()
    data = HoursDecide(
        action="approve",
        report_id=report.id,
        check=fingerprint(report.project_id, report.work_date, report.minutes),
    ).pack()
    query = bot.emulator.user_sends_callback(SPID_TUTOR, data, message_id=anchor["message_id"])
    await bot.process()
    answer = bot.emulator.callback_answer(query)
    assert answer is not None
    assert answer["text"] == "Only the tutors of this project can decide on these hours."
    assert (await trust.report()).status == "pending"


async def test_a_citizen_cannot_page_through_the_hours_to_approve(trust: Trust) -> None:
    bot = trust.bot
    [anchor] = await bot.say(PIERO, "/help", language_code="en")
    sent = bot.emulator.bot_message_count(PIERO)
    query = bot.emulator.user_sends_callback(
        PIERO, HoursApprovePage(page=0).pack(), message_id=anchor["message_id"]
    )
    await bot.process()
    answer = bot.emulator.callback_answer(query)
    assert answer is not None and "Only the tutors" in answer["text"]
    assert bot.emulator.bot_message_count(PIERO) == sent
    assert bot.emulator.message(PIERO, anchor["message_id"])["text"] == anchor["text"]  # type: ignore[index]
