"""Admins and hours: every project's reports in /approve, page by page, and the reports of
projects without tutors."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from bot.services.hours.reports import fingerprint
from handlers.basics.menu import register_commands
from handlers.shared.callbacks import HoursDecide
from storage.models import Delivery, Project, ProjectTutor
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import LUCA, MARIA, TUTOR, Programme, say


async def test_an_admin_pages_through_every_projects_pending_reports(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    for days in range(6):
        await say(bot, LUCA, f"/hours 1 {(bot.clock.now() - timedelta(days=days)):%Y-%m-%d} orti")
    await say(bot, LUCA, "/hours 2 ieri spid-help")
    first = await say(bot, ADMIN_ID, "/approve")
    assert first["text"].startswith("Hours to approve (7 in all)")
    assert "5. Luca Bianchi" in first["text"] and "6. " not in first["text"]
    assert "▶️" in button_labels(first) and "◀️" not in button_labels(first)
    await bot.press(ADMIN_ID, first, "▶️")
    second = bot.emulator.message(ADMIN_ID, first["message_id"])
    assert second is not None
    assert "6. Luca Bianchi" in second["text"] and "7. Luca Bianchi" in second["text"]
    assert "Ago, Filo e Spid (digital help)" in second["text"]  # admins see every project
    assert "◀️" in button_labels(second) and "▶️" not in button_labels(second)
    await bot.press(ADMIN_ID, second, "✅ Approve 7")
    statuses = [report.status for report in await programme.reports()]
    assert statuses.count("approved") == 1
    reviewed = [r.reviewed_by for r in await programme.reports() if r.status == "approved"]
    assert reviewed == [ADMIN_ID]


async def test_a_tutor_lists_only_their_projects_and_a_citizen_is_refused(
    harness: BotHarness, programme: Programme
) -> None:
    await say(harness, LUCA, "/hours 2 ieri spid-help")
    assert (await say(harness, TUTOR, "/approve"))["text"] == (
        "No hours are waiting for your approval."
    )
    assert "is for the tutors" in (await say(harness, MARIA, "/approve"))["text"]


async def test_reports_of_a_project_without_tutors_go_to_the_admins(
    harness: BotHarness, programme: Programme
) -> None:
    async with harness.sessions() as session:
        spid = await session.scalar(select(Project.id).where(Project.code == "spid-help"))
        await session.execute(delete(ProjectTutor).where(ProjectTutor.project_id == spid))
        await session.commit()
    await say(harness, LUCA, "/hours 2 ieri spid-help")
    [report] = await programme.reports(LUCA)
    async with harness.sessions() as session:
        rows = await session.execute(
            select(Delivery.recipient_id, Delivery.dedup_key).where(
                Delivery.message_key == "hours.submitted"
            )
        )
        assert list(rows) == [(ADMIN_ID, f"hours-submitted:{report.id}:{ADMIN_ID}")]
    # An admin decides on any project, on the figures as they are.
    [anchor] = await harness.say(ADMIN_ID, "/help", language_code="en")
    for check in (0, fingerprint(report.project_id, report.work_date, report.minutes)):
        data = HoursDecide(action="approve", report_id=report.id, check=check).pack()
        query = harness.emulator.user_sends_callback(
            ADMIN_ID, data, message_id=anchor["message_id"]
        )
        await harness.process()
        answer = harness.emulator.callback_answer(query)
        assert answer is not None
        if check == 0:
            assert "corrected this report" in answer["text"]
            assert (await programme.reports(LUCA))[0].status == "pending"
    assert answer["text"] == "Approved: Luca Bianchi will be told."
    [report] = await programme.reports(LUCA)
    assert (report.status, report.reviewed_by) == ("approved", ADMIN_ID)


async def test_help_lists_the_hours_commands_and_only_staff_menus_have_approve(
    harness: BotHarness, programme: Programme
) -> None:
    help_text = (await say(harness, MARIA, "/help"))["text"]
    assert "/hours – Log your volunteering hours" in help_text
    assert "/myhours – Your hours, approved and pending" in help_text
    assert "/approve" not in help_text
    for user in (TUTOR, ADMIN_ID):
        harness.emulator.register_user(user, language_code="en")
    await register_commands(harness.bot, harness.dispatcher["i18n"], {TUTOR}, {ADMIN_ID})
    for user, sees in ((TUTOR, True), (ADMIN_ID, True), (MARIA, False)):
        names = [c["command"] for c in harness.emulator.visible_commands(user)]
        assert {"hours", "myhours"} <= set(names)
        assert ("approve" in names) is sees
