"""/staff: each staff member sees, in one message, every role they hold and what it lets
them do; roles without chat tools yet are named with their codes; a citizen is refused
with the front door. /mydata names the roles held; /forget waits for the operator."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.i18n import use_locale
from bot.notices.shifts import STAFF_APPOINTED
from bot.runtime.app import create_dispatcher
from bot.services.people import privacy, staff
from bot.services.people.roles import Role
from handlers.basics.menu import register_commands
from storage.models import Delivery
from tests.support import fixtures
from tests.support.fixtures import ADMIN_ID, TEST_NOW
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import MARIA, TUTOR, Programme, say

OFFICE, MIXED = 6101, 6102


async def _appoint(bot: BotHarness, telegram_id: int, role: Role, *scopes: str) -> None:
    projects = list(scopes) if role is Role.TUTOR else []
    codes = [] if role is Role.TUTOR else list(scopes)
    async with bot.sessions() as session:
        await staff.add_staff(session, telegram_id, role, projects, TEST_NOW, scopes=codes)


async def test_a_tutor_sees_their_projects_and_their_commands(
    harness: BotHarness, programme: Programme
) -> None:
    text = (await say(harness, TUTOR, "/staff"))["text"]
    assert text.splitlines() == [
        "Your staff roles",
        "",
        "Tutor of: Shared gardens",
        "/approve – approve your volunteers' hours",
        "/report – key figures of your projects",
        "/volunteer – open one of your projects: each shift has its roster button",
    ]
    italian = (await say(harness, TUTOR, "/staff", "it"))["text"]
    assert "Tutor di: Orti condivisi" in italian
    assert "/approva – approva le ore di chi fa volontariato nei tuoi progetti" in italian
    assert "/resoconto – " in italian and "/volontariato – " in italian


async def test_a_tutor_who_is_also_admin_sees_both_roles_and_each_command_once(
    harness: BotHarness, programme: Programme
) -> None:
    await _appoint(harness, TUTOR, Role.ADMIN)
    text = (await say(harness, TUTOR, "/staff"))["text"]
    assert "Admin of the volunteering programme" in text
    assert "Tutor of: Shared gardens" in text
    assert text.index("Admin of") < text.index("Tutor of")
    assert text.count("/approve") == 1 and "/broadcast – send an announcement" in text
    assert "/stats – the programme's key figures" in text


async def test_an_admin_of_admin_ids_sees_the_admin_commands_in_their_language(
    harness: BotHarness, programme: Programme
) -> None:
    text = (await say(harness, ADMIN_ID, "/staff"))["text"]
    assert "Admin of the volunteering programme" in text and "Tutor" not in text
    assert "/broadcast – send an announcement" in text
    italian = (await say(harness, ADMIN_ID, "/staff", "it"))["text"]
    assert "Amministrazione del programma di volontariato" in italian
    assert "/annuncio – invia un annuncio" in italian and "/statistiche – " in italian


@pytest.mark.parametrize(
    ("locale", "office", "secretary", "desk"),
    [
        ("en", "Office: VERDE", "Consulta secretary: E", "Hub desk: anagrafe-ospizio"),
        ("it", "Ufficio: VERDE", "Segreteria della Consulta: E", "Sportello: anagrafe-ospizio"),
    ],
)
async def test_roles_without_chat_tools_are_named_plainly_with_their_codes(
    harness: BotHarness, programme: Programme, locale: str, office: str, secretary: str, desk: str
) -> None:
    await _appoint(harness, OFFICE, Role.OFFICE, "VERDE")
    await _appoint(harness, MIXED, Role.SECRETARY, "E")
    await _appoint(harness, MIXED, Role.DESK, "anagrafe-ospizio")
    only_office = (await say(harness, OFFICE, "/staff", locale))["text"]
    assert only_office.splitlines()[1:] == ["", office]  # no command, nothing promised
    mixed = (await say(harness, MIXED, "/staff", locale))["text"]
    assert mixed.splitlines()[1:] == ["", secretary, "", desk]
    # Holding an office does not make anyone a tutor.
    refused = (await say(harness, OFFICE, "/approve", locale))["text"]
    assert "/approve" in refused or "/approva" in refused


@pytest.mark.parametrize(
    ("locale", "refusal", "door"),
    [
        ("en", "/staff is for the programme's staff", "📍 Nearest hub"),
        ("it", "/staff è per chi lavora nel programma", "📍 Casa più vicina"),
    ],
)
async def test_a_citizen_is_told_staff_is_not_for_them_with_the_front_door(
    harness: BotHarness, programme: Programme, locale: str, refusal: str, door: str
) -> None:
    reply = await say(harness, MARIA, "/staff", locale)
    assert reply["text"].startswith(refusal)
    labels = button_labels(reply)
    assert door in labels and not any("Approve" in label for label in labels)


async def test_staff_is_in_every_staff_menu_and_approve_only_in_tutors_and_admins(
    harness: BotHarness, programme: Programme
) -> None:
    for user in (TUTOR, ADMIN_ID, OFFICE, MARIA):
        harness.emulator.register_user(user, language_code="en")
    await register_commands(
        harness.bot, harness.dispatcher["i18n"], {TUTOR}, {ADMIN_ID}, other_ids={OFFICE}
    )
    for user, sees_staff, sees_approve in (
        (TUTOR, True, True),
        (ADMIN_ID, True, True),
        (OFFICE, True, False),
        (MARIA, False, False),
    ):
        names = [c["command"] for c in harness.emulator.visible_commands(user)]
        assert ("staff" in names, "approve" in names) == (sees_staff, sees_approve), user


async def test_mydata_names_the_roles_held_and_forget_waits_for_the_operator(
    harness: BotHarness, programme: Programme
) -> None:
    await _appoint(harness, TUTOR, Role.OFFICE, "VERDE")
    for locale, tutor, office in (
        (
            "en",
            "You are a tutor of the projects: orti.",
            "You are on the staff of the office: VERDE.",
        ),
        (
            "it",
            "Segui come tutor i progetti: orti.",
            "Fai parte del personale dell'ufficio: VERDE.",
        ),
    ):
        [reply] = await harness.say(TUTOR, "/mydata", language_code=locale)
        assert tutor in reply["caption"] and office in reply["caption"]
    content = json.loads(harness.emulator.file(reply["document"]["file_id"]).data)
    assert [(held["role"], held["scopes"]) for held in content["staff_roles"]] == [
        ("office", ["VERDE"]),
        ("tutor", ["orti"]),
    ]
    # Someone holding only an office role is staff too: the operator removes them first.
    await _appoint(harness, OFFICE, Role.OFFICE, "VERDE")
    async with harness.sessions() as session:
        with pytest.raises(privacy.StaffCannotForget):
            await privacy.forget(session, OFFICE, TEST_NOW, "Europe/Rome")


@pytest.mark.parametrize(
    ("locale", "told"),
    [
        ("en", "You have been added to the staff of the office: VERDE."),
        ("it", "Ora fai parte del personale dell'ufficio: VERDE."),
    ],
)
async def test_a_person_given_an_office_is_told_which_one(
    harness: BotHarness, programme: Programme, locale: str, told: str
) -> None:
    await _appoint(harness, OFFICE, Role.OFFICE, "VERDE")
    async with harness.sessions() as session:
        [params] = await session.scalars(
            select(Delivery.params).where(
                Delivery.recipient_id == OFFICE, Delivery.message_key == "staff.appointed"
            )
        )
    with use_locale(locale, "it"):
        assert STAFF_APPOINTED.render(params).text == told


async def test_with_public_base_url_staff_carries_the_mini_app_button_and_without_it_none(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, TUTOR, "/staff")
    assert "reply_markup" not in reply  # no Mini App without PUBLIC_BASE_URL

    await harness.dispatcher.emit_shutdown()
    settings = fixtures.test_settings(public_base_url="https://bot.example.org/app")
    harness.dispatcher = create_dispatcher(settings, harness.sessions, harness.clock)
    reply = await say(harness, TUTOR, "/staff", "it")
    [[button]] = reply["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Apri l'area staff"
    assert button["web_app"]["url"] == "https://bot.example.org/app/"
