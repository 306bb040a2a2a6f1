"""The audit log: every staff action is recorded with who, what and on what, in order.

Staff act through the chat (real button presses) and through the command line; the
operator reads the log back with `quartiere-bot audit --since DATE`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bot.services.hours.reports import fingerprint
from handlers.shared.callbacks import (
    AnnouncementCancel,
    FiguresPick,
    HoursDecide,
    RosterIdentity,
    RosterOpen,
)
from storage.models import Delivery
from tests.support.cli import cli
from tests.support.fixtures import ADMIN_ID
from tests.support.programme import MARIA, SECOND_TUTOR, TUTOR
from tests.trust.trust import Trust

NEW_ADMIN = 9100


async def _press(trust: Trust, user: int, data: str) -> dict[str, object]:
    bot = trust.bot
    [anchor] = await bot.say(user, "/help", language_code="en")
    query = bot.emulator.user_sends_callback(user, data, message_id=anchor["message_id"])
    await bot.process()
    answer = bot.emulator.callback_answer(query)
    assert answer is not None
    return answer


async def test_staff_actions_in_the_chat_are_logged_with_actor_action_and_object(
    trust: Trust,
) -> None:
    report = await trust.report()
    shift = trust.programme.shifts["orti-sat"]
    check = fingerprint(report.project_id, report.work_date, report.minutes)
    await trust.bot.say(TUTOR, "/approve", language_code="en")
    await _press(
        trust, TUTOR, HoursDecide(action="approve", report_id=report.id, check=check).pack()
    )
    await _press(trust, TUTOR, RosterOpen(shift_id=shift).pack())
    identity = RosterIdentity(answer="yes", shift_id=shift, user_id=MARIA)
    await _press(trust, TUTOR, identity.pack())
    await _press(trust, TUTOR, FiguresPick(scope="report", period="year").pack())
    await _press(trust, ADMIN_ID, FiguresPick(scope="stats", period="year").pack())
    cancel = AnnouncementCancel(announcement_id=trust.announcement_id)
    await _press(trust, ADMIN_ID, cancel.pack())
    entries = [(e.actor, e.action, e.target) for e in await trust.audit()]
    # The catalog loaded first appointed the tutors it lists, each audited.
    assert (None, "catalog.tutor_appointed", f"project:orti user:{TUTOR}") in entries
    logged = [entry for entry in entries if entry[1] != "catalog.tutor_appointed"]
    announcement = f"announcement:{trust.announcement_id}"
    assert logged[0] == (ADMIN_ID, "broadcast.queued", announcement)
    assert (TUTOR, "hours.pending_viewed", "page:0") in logged
    assert (TUTOR, "hours.approved", f"hour_report:{report.id}") in logged
    assert (TUTOR, "roster.viewed", f"shift:{shift}") in logged
    assert (TUTOR, "roster.identity_confirmed", f"shift:{shift} user:{MARIA}") in logged
    assert (TUTOR, "figures.report", "period:2026-01-01..2026-12-08") in logged
    assert (ADMIN_ID, "figures.stats", "period:2026-01-01..2026-12-08") in logged
    assert logged[-1] == (ADMIN_ID, "broadcast.cancelled", announcement)
    # Names and phones stay in the register, never in the log.
    for entry in await trust.audit():
        assert "Maria" not in repr(entry.details) and "333" not in repr(entry.details)


async def test_the_operator_reads_the_log_oldest_first_in_local_time(
    trust: Trust, tmp_path: Path
) -> None:
    url = _url(trust)
    added = cli("staff", "add", str(NEW_ADMIN), "--role", "admin", database_url=url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    result = cli("audit", "--since", "2026-12-01", database_url=url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [
        line.split(" ")
        for line in result.stdout.decode().splitlines()
        if " catalog.tutor_appointed " not in line  # the catalog's appointments, before
    ]
    assert len(lines) == 2 and all(len(line) == 4 for line in lines)
    times = [datetime.fromisoformat(line[0]) for line in lines]
    assert times == sorted(times)  # oldest first, whatever today's date is
    # Queued at 10:00 in Rome on 8 December (the fixture's clock), shown in BOT_TIMEZONE.
    assert [
        "2026-12-08T10:00:00+01:00",
        str(ADMIN_ID),
        "broadcast.queued",
        f"announcement:{trust.announcement_id}",
    ] in lines
    assert ["cli", "staff.added", f"user:{NEW_ADMIN}"] in [line[1:] for line in lines]
    later = cli("audit", "--since", "2026-12-09", database_url=url, cwd=tmp_path)
    assert later.returncode == 0
    shown = [line.split(" ") for line in later.stdout.decode().splitlines()]
    assert all(line[0] >= "2026-12-09" for line in shown)
    assert all(line[2] != "broadcast.queued" for line in shown)


async def test_a_bad_date_exits_1_with_one_line(trust: Trust, tmp_path: Path) -> None:
    for bad in ("2026-13-01", "yesterday", "01/12/2026"):
        result = cli("audit", "--since", bad, database_url=_url(trust), cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout == b""
        assert len(result.stderr.strip().splitlines()) == 1 and bad in result.stderr
    missing = cli("audit", database_url=_url(trust), cwd=tmp_path)
    assert missing.returncode == 1 and "--since" in missing.stderr


async def test_removing_a_tutor_passes_their_pending_approvals_to_the_others(
    trust: Trust, tmp_path: Path
) -> None:
    url = _url(trust)
    assert (
        cli(
            "staff", "add", str(NEW_ADMIN), "--role", "admin", database_url=url, cwd=tmp_path
        ).returncode
        == 0
    )
    removed = cli("staff", "remove", str(TUTOR), database_url=url, cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert "1 pending reports passed on" in removed.stderr
    async with trust.bot.sessions() as session:
        rows = await session.execute(
            select(Delivery.dedup_key, Delivery.status).where(
                Delivery.dedup_key.startswith(f"hours-submitted:{trust.report_id}:")
            )
        )
        notices = {key: status for key, status in rows}
    prefix = f"hours-submitted:{trust.report_id}"
    assert notices[f"{prefix}:{NEW_ADMIN}"] == "pending"  # the admin is told now
    assert notices[f"{prefix}:{SECOND_TUTOR}"] == "pending"  # told once, not twice
    assert notices[f"{prefix}:{TUTOR}"] == "cancelled"  # not sent to the removed tutor
    # The removed tutor can no longer decide: the button is refused.
    report = await trust.report()
    check = fingerprint(report.project_id, report.work_date, report.minutes)
    answer = await _press(
        trust, TUTOR, HoursDecide(action="approve", report_id=report.id, check=check).pack()
    )
    assert "Only the tutors" in str(answer["text"])
    assert (await trust.report()).status == "pending"
    actions = [(e.actor, e.action, e.target) for e in await trust.audit()]
    assert (None, "staff.removed", f"user:{TUTOR}") in actions


def _url(trust: Trust) -> str:
    bind = trust.bot.sessions.kw["bind"]
    return bind.url.render_as_string(hide_password=False)
