"""A command sent in the middle of a flow ends the flow, says so in one line, and runs."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.fsm.context import FSMContext

from handlers.broadcast.compose import Composing
from handlers.hours.approve import RejectFlow
from handlers.hours.guided import HoursFlow
from handlers.hours.my_hours import EditFlow
from handlers.settings.preferences import PhoneCorrection
from handlers.shared.callbacks import DraftLeft
from handlers.volunteering.roster import ReplyToTutor, TutorMessage
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import LUCA, Programme, prepare

GIULIA = 861
HELP_EN = "Here is what I can do:"


@pytest.fixture
async def programme(harness: BotHarness, load_catalog: Any) -> Programme:
    return await prepare(harness.sessions, load_catalog, harness.clock)


def conversation(bot: BotHarness, user: int) -> FSMContext:
    return bot.dispatcher.fsm.get_context(bot=bot.bot, chat_id=user, user_id=user)


async def start_registration(bot: BotHarness, locale: str) -> None:
    [listing] = await bot.say(GIULIA, "/volunteer", language_code=locale)
    project = "Shared gardens" if locale == "en" else "Orti condivisi"
    await bot.press(GIULIA, listing, f"ℹ️ {project}")  # the project's card opens in place
    card = bot.emulator.message(GIULIA, listing["message_id"])
    assert card is not None
    join = next(label for label in button_labels(card) if label.startswith(("Join", "Partecipa")))
    _, [residence] = await bot.press(GIULIA, card, join)
    await bot.press(GIULIA, residence, button_labels(residence)[0])  # yes, living in the city


async def test_a_command_during_the_sign_up_ends_it_and_runs(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("projects.yaml")
    await start_registration(harness, "en")
    [left, events, *_] = await harness.say(GIULIA, "/events", language_code="en")
    assert left["text"] == (
        "I left your sign-up halfway: nothing was saved, and you can start again from /volunteer."
    )
    assert "event" in events["text"].lower()
    assert await conversation(harness, GIULIA).get_state() is None
    # The next plain message is no longer read as the name the flow was asking for.
    [reply] = await harness.say(GIULIA, "Giulia Neri", language_code="en")
    assert "date of birth" not in reply["text"].lower()


async def test_in_italian_the_line_names_the_italian_command(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("projects.yaml")
    await start_registration(harness, "it")
    [left, *_] = await harness.say(GIULIA, "/aiuto", language_code="it")
    assert left["text"] == (
        "Ho lasciato l'iscrizione a metà: non ho salvato nulla, e puoi ricominciare "
        "da /volontariato."
    )


async def test_a_command_during_guided_hours_saves_nothing_and_runs(
    harness: BotHarness, programme: Programme
) -> None:
    [question] = await harness.say(LUCA, "/hours", language_code="en")
    await harness.press(LUCA, question, "Shared gardens")
    [left, shown, *_] = await harness.say(LUCA, "/myhours", language_code="en")
    assert left["text"] == (
        "I left logging your hours halfway: nothing was saved, and /hours starts again."
    )
    assert shown["text"] != left["text"]
    assert await programme.reports(LUCA) == []
    assert await conversation(harness, LUCA).get_state() is None


async def test_cancel_keeps_its_own_meaning(harness: BotHarness, programme: Programme) -> None:
    [question] = await harness.say(LUCA, "/hours", language_code="en")
    await harness.press(LUCA, question, "Shared gardens")
    replies = await harness.say(LUCA, "/cancel", language_code="en")
    assert [r["text"] for r in replies] == ["Cancelled. Nothing was saved."]


async def test_an_unknown_command_leaves_the_flow_open(
    harness: BotHarness, programme: Programme
) -> None:
    [question] = await harness.say(LUCA, "/hours", language_code="en")
    await harness.press(LUCA, question, "Shared gardens")
    [reply] = await harness.say(LUCA, "/nonsense", language_code="en")
    assert reply["text"].startswith("I don't know the command /nonsense")
    assert await conversation(harness, LUCA).get_state() == HoursFlow.day.state


@pytest.mark.parametrize(
    ("state", "line"),
    [
        (
            RejectFlow.reason,
            "I left the rejection unfinished: those hours are still waiting in /approve.",
        ),
        (EditFlow.figures, "I left the correction of your hours: the report stays as it was."),
        (TutorMessage.text, "I left your message for the shift unsent."),
        (ReplyToTutor.text, "I left your reply to the tutor unsent."),
        (PhoneCorrection.phone, "I left your phone number as it was."),
        (
            HoursFlow.note,
            "I left logging your hours halfway: nothing was saved, and /hours starts again.",
        ),
        (
            Composing.text,
            "I left the announcement before it was written: /broadcast starts it again.",
        ),
    ],
)
async def test_each_flow_is_named_in_its_own_sentence(
    harness: BotHarness, state: Any, line: str
) -> None:
    await harness.say(GIULIA, "/help", language_code="en")
    held = conversation(harness, GIULIA)
    await held.set_state(state)
    await held.set_data({"shift_id": 1})
    [left, help_text] = await harness.say(GIULIA, "/help", language_code="en")
    assert left["text"] == line
    [sent] = [c for c in harness.emulator.calls_to("sendMessage") if c.params["text"] == line]
    assert "remove_keyboard" in str(sent.params["reply_markup"])  # the step's keyboard goes too
    assert help_text["text"].startswith(HELP_EN)
    assert (await held.get_state(), await held.get_data()) == (None, {})


async def write_draft(bot: BotHarness) -> dict[str, Any]:
    await bot.say(ADMIN_ID, "/broadcast", language_code="en")
    [versions] = await bot.say(ADMIN_ID, "Festa in piazza sabato", language_code="en")
    assert button_labels(versions)[-1] == "Next: the audience ➡️"
    return versions


async def test_a_command_over_an_announcement_draft_asks_and_discarding_runs_it(
    harness: BotHarness,
) -> None:
    await write_draft(harness)
    [question] = await harness.say(ADMIN_ID, "/stats", language_code="en")
    assert question["text"] == (
        "You are writing an announcement. Keep the draft for later, or discard it?"
    )
    assert button_labels(question) == ["📝 Keep the draft", "🗑 Discard the draft"]
    assert await conversation(harness, ADMIN_ID).get_data()  # nothing lost by asking
    _, [period] = await harness.press(ADMIN_ID, question, "🗑 Discard the draft")
    edited = harness.emulator.message(ADMIN_ID, question["message_id"])
    assert edited is not None and edited["text"] == "Announcement discarded."
    assert period["text"] != question["text"]  # /stats asked its period
    assert await conversation(harness, ADMIN_ID).get_data() == {}


async def test_keeping_the_draft_runs_the_command_and_the_draft_goes_on(
    harness: BotHarness,
) -> None:
    versions = await write_draft(harness)
    [question] = await harness.say(ADMIN_ID, "/help", language_code="en")
    _, [again] = await harness.press(ADMIN_ID, question, "📝 Keep the draft")
    edited = harness.emulator.message(ADMIN_ID, question["message_id"])
    assert edited is not None and edited["text"] == "Draft kept: its buttons still work."
    assert again["text"] == "Send /help again to go on."  # /help opens no door from a button
    # Once kept, commands pass without asking, and the draft's buttons still work.
    [help_text] = await harness.say(ADMIN_ID, "/help", language_code="en")
    assert help_text["text"].startswith(HELP_EN)
    _, [audience] = await harness.press(ADMIN_ID, versions, "Next: the audience ➡️")
    assert "button is no longer valid" not in audience["text"]
    assert (await conversation(harness, ADMIN_ID).get_data())["text"] == "Festa in piazza sabato"


async def test_a_forged_draft_answer_changes_nothing(harness: BotHarness) -> None:
    await write_draft(harness)
    [anchor] = await harness.say(ADMIN_ID, "/stats", language_code="en")
    forged = DraftLeft(action="discard", command="<b>nope</b>").pack()
    query = harness.emulator.user_sends_callback(ADMIN_ID, forged, message_id=anchor["message_id"])
    await harness.process()
    answer = harness.emulator.callback_answer(query)
    assert answer is not None and answer["text"] == "This button is no longer valid."
    assert (await conversation(harness, ADMIN_ID).get_data())["text"] == "Festa in piazza sabato"


async def test_privacy_mydata_and_forget_leave_the_sign_up_open(
    harness: BotHarness, load_catalog: Any
) -> None:
    # The consent step links to /privacy: reading it must not end the sign-up.
    await load_catalog("projects.yaml")
    await start_registration(harness, "en")
    for command in ("/privacy", "/mydata"):
        replies = await harness.say(GIULIA, command, language_code="en")
        assert not any("I left" in (r.get("text") or "") for r in replies), command
    assert await conversation(harness, GIULIA).get_state() == "RegisterFlow:name"


async def test_a_flows_own_command_starts_it_over_without_a_word(
    harness: BotHarness, programme: Programme
) -> None:
    [question] = await harness.say(LUCA, "/hours", language_code="en")
    await harness.press(LUCA, question, "Shared gardens")
    [again] = await harness.say(LUCA, "/hours", language_code="en")
    assert again["text"] == "Which project are these hours for?"
    await harness.say(ADMIN_ID, "/broadcast", language_code="en")
    [prompt] = await harness.say(ADMIN_ID, "/annuncio", language_code="en")
    assert prompt["text"].startswith("Send me the announcement")
