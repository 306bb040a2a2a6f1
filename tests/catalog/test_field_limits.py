"""Catalog texts have a longest length, so every card and notice fits in one message.

A catalog with every field at its longest is imported, then each card and notice that
shows catalog text is rendered in every language and measured as Telegram measures it:
after the HTML is parsed, in UTF-16 code units, at most 4,096 (1,024 for a caption).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import yaml
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import locales_dir, use_locale
from bot.notices import RENDERERS
from bot.outbox.rendered import Rendered
from bot.services.catalog import limits
from bot.services.catalog.importing import CatalogError, catalog_is_empty, import_catalog_text
from bot.services.events import upcoming
from bot.services.events.info import event_info
from bot.services.events.reminders import notice_params
from bot.services.hubs import finder
from bot.services.volunteering import projects, register, shifts
from bot.settings import SUPPORTED_LOCALES
from emulator.formatting import format_text
from emulator.html import utf16_length
from handlers.events.views import page_text
from handlers.hubs.views import details_text, list_text
from handlers.volunteering.views import card_text, place_text
from storage.models import Event, Greenway, Hub, Project, Shift, User
from tests.catalog import longest
from tests.support.fixtures import ROME, TEST_NOW

Factory = async_sessionmaker[AsyncSession]
MESSAGE, CAPTION = 4096, 1024
# Notices whose text is not catalog text: the admin's announcement (checked when composed)
# and a tutor's own message; and replies held back by flood control, which fitted when first
# sent.
NOT_CATALOG = {"announcement", "reply.deferred", "reply.file_later"}
VOLUNTEER = 501


def shown_length(html_text: str) -> int:
    plain, _entities = format_text(html_text, "HTML")
    return utf16_length(plain)


@contextmanager
def handler_locale(locale: str) -> Iterator[None]:
    i18n = I18n(path=locales_dir(), default_locale="it", domain="messages")
    with i18n.context(), i18n.use_locale(locale):
        yield


async def import_longest(session_factory: Factory) -> None:
    await import_catalog_text(
        session_factory, longest.catalog_text(), longest.FILENAME, timezone=ROME, now=TEST_NOW
    )


async def cards(session_factory: Factory, locale: str) -> dict[str, str]:
    """Every card a user reads that shows catalog text, as the handlers write it."""
    async with session_factory() as session:
        hub_id = await session.scalar(select(Hub.id).where(Hub.code == "hub-0"))
        project = await session.scalar(select(Project).where(Project.code == "orti"))
        greenway_id = await session.scalar(select(Greenway.id))
        assert hub_id and project and greenway_id
        nearest = await finder.nearest_hubs(session, 44.69, 10.65, zone=ROME, now=TEST_NOW)
        details = await finder.hub_details(session, hub_id, zone=ROME, now=TEST_NOW)
        card = await projects.project_card(session, project.id, TEST_NOW, staff=True)
        [place] = await shifts.my_places(session, VOLUNTEER, TEST_NOW)
        events = await upcoming.upcoming_events(session, VOLUNTEER, TEST_NOW)
        of_greenway = await upcoming.upcoming_events(
            session, VOLUNTEER, TEST_NOW, greenway_id=greenway_id
        )
    assert details is not None and card is not None
    # The longest heading a list of hubs has: the quartiere's name.
    heading = f"<b>{html.escape(longest.filler(limits.QUARTIERE_NAME, 'Quartiere'))}</b>"
    with handler_locale(locale):
        return {
            "hubs near you": list_text(heading, list(nearest.hubs), 1, locale, "it"),
            "hub card": details_text(details, locale, "it"),
            "project card": card_text(card, locale, "it", ROME),
            "place": place_text(place, locale, "it", ROME),
            "events": page_text(events, locale, "it", ROME),
            "events of a greenway": page_text(of_greenway, locale, "it", ROME),
        }


async def notice_samples(session_factory: Factory) -> dict[str, dict[str, Any]]:
    """Parameters of every notice showing catalog text, as the services queue them."""
    async with session_factory() as session:
        project = await session.scalar(select(Project).where(Project.code == "orti"))
        shift = await session.scalar(select(Shift).where(Shift.code == "orti-3"))
        rows = (await session.execute(select(Event, Greenway).join(Greenway))).all()
    assert project is not None and shift is not None
    events = [notice_params(event_info(event, greenway, False), ROME) for event, greenway in rows]
    on_shift = {
        "shift_id": shift.id,
        "title": project.title,
        "start": shift.start_at.isoformat(),
        "end": shift.end_at.isoformat(),
        "place": shift.place,
        "zone": str(ROME),
    }
    hours = {
        "title": project.title,
        "work_date": "2026-12-01",
        "minutes": 23 * 60 + 59,
        "volunteer": "V" * 120,
        "note": "<&>" * 100,
        "report_id": 1,
        "check": 1,
        "edited": True,
        "reason": "<&>" * 100,
    }
    return {
        # A tutor appointed to more projects than a notice names.
        "staff.appointed": {"role": "tutor", "projects": [project.title] * 30},
        "shift.promoted": on_shift,
        "shift.cancelled": on_shift,
        "shift.changed": on_shift,
        "shift.reminder": on_shift,
        "hours.nudge": on_shift,
        "shift.volunteer_reply": {**on_shift, "text": "x" * 3500, "volunteer": "V" * 120},
        "shift.staff_change": {**on_shift, "event": "promoted", "volunteer": "V" * 120},
        # The longest message a tutor may send, with a long name.
        "shift.tutor_message": {**on_shift, "text": "x" * 3500, "html": True, "tutor": "T" * 64},
        "event.new": events[0],
        "event.changed": events[0],
        "event.cancelled": events[0],
        "event.reminder": events[0],
        "event.digest": {"events": events[:15], "more": len(events) - 15, "zone": str(ROME)},
        "hours.submitted": hours,
        "hours.approved": hours,
        "hours.rejected": hours,
        "hours.undone": {**hours, "status": "rejected"},
        "hours.notice_closed": {
            **hours,
            "message_id": 5,
            "status": "rejected",
            "reviewer": "R" * 64,
        },
    }


async def test_every_card_and_notice_fits_with_every_catalog_text_at_its_longest(
    session_factory: Factory,
) -> None:
    await import_longest(session_factory)
    form = register.Form("Anna Rossi", date(1990, 5, 17), "+39 333 1234567", True, True)
    async with session_factory() as session:
        # Tutors known by the longest name Telegram profiles give them here.
        for tutor in longest.TUTORS:
            session.add(
                User(
                    telegram_id=tutor,
                    display_name=longest.filler(100, f"Tutor {tutor}"),
                    created_at=TEST_NOW,
                    last_seen_at=TEST_NOW,
                )
            )
        await session.commit()
    async with session_factory() as session:
        await register.join_register(session, VOLUNTEER, form, now=TEST_NOW, today=TEST_NOW.date())
    async with session_factory() as session:
        shift_id = await session.scalar(select(Shift.id).where(Shift.code == "orti-3"))
        assert shift_id is not None
        await shifts.sign_up(session, VOLUNTEER, shift_id, TEST_NOW)
    samples = await notice_samples(session_factory)
    assert set(samples) == set(RENDERERS) - NOT_CATALOG, "a new notice needs a sample here"

    measured: dict[str, int] = {}
    for locale in SUPPORTED_LOCALES:
        for name, text in (await cards(session_factory, locale)).items():
            measured[f"{name} ({locale})"] = shown_length(text)
        with use_locale(locale, "it"):
            rendered: dict[str, Rendered] = {k: RENDERERS[k](p) for k, p in samples.items()}
        for key, notice in rendered.items():
            limit = CAPTION if notice.photo else MESSAGE
            measured[f"{key} ({locale})"] = shown_length(notice.text) - limit + MESSAGE
    too_long = {name: length for name, length in measured.items() if length > MESSAGE}
    assert too_long == {}
    # The limits are not needlessly tight: the longest card uses most of a message.
    assert max(measured.values()) > MESSAGE * 3 // 4


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "name", "limit"),
    [
        (("projects", 0, "title", "en"), "title (en)", limits.PROJECT_TITLE),
        (("projects", 0, "description", "it"), "description (it)", limits.PROJECT_DESCRIPTION),
        (("projects", 0, "shifts", 2, "place", "en"), "place (en)", limits.SHIFT_PLACE),
        (("services", 3, "name", "it"), "name (it)", limits.SERVICE_NAME),
        (("hubs", 1, "name"), "name", limits.HUB_NAME),
        (("hubs", 1, "address"), "address", limits.HUB_ADDRESS),
        (("hubs", 2, "closures", 0, "note", "en"), "note (en)", limits.CLOSURE_NOTE),
        (("greenways", 0, "name", "en"), "name (en)", limits.GREENWAY_NAME),
        (("greenways", 0, "description"), "description", limits.GREENWAY_DESCRIPTION),
        (("events", 5, "title", "it"), "title (it)", limits.EVENT_TITLE),
        (("events", 5, "description", "en"), "description (en)", limits.EVENT_DESCRIPTION),
        (("events", 5, "place"), "place", limits.EVENT_PLACE),
    ],
)
async def test_a_catalog_text_past_its_longest_is_refused_with_its_line(
    session_factory: Factory, path: tuple[str | int, ...], name: str, limit: int
) -> None:
    document = longest.catalog()
    # An emoji counts twice, as Telegram counts it: one too many.
    over = "🌳" + longest.filler(limit - 1, "over")
    _set(document, path, over)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100000)
    with pytest.raises(CatalogError) as refused:
        await import_catalog_text(
            session_factory, text, longest.FILENAME, timezone=ROME, now=TEST_NOW
        )
    [error] = refused.value.errors
    found = re.fullmatch(
        rf"{longest.FILENAME}:(\d+): {re.escape(name)} is too long "
        rf"\({limit + 1} characters, at most {limit}\)",
        error,
    )
    assert found is not None, error
    assert over in text.splitlines()[int(found.group(1)) - 1]
    async with session_factory() as session:
        assert await catalog_is_empty(session)


async def test_a_hub_listing_too_many_services_is_refused(session_factory: Factory) -> None:
    document = longest.catalog()
    document["services"].append({"code": "one-more", "name": "One more"})
    document["hubs"][2]["services"].append("one-more")
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100000)
    with pytest.raises(CatalogError) as refused:
        await import_catalog_text(
            session_factory, text, longest.FILENAME, timezone=ROME, now=TEST_NOW
        )
    assert [re.sub(r":\d+:", ":N:", error) for error in refused.value.errors] == [
        f"{longest.FILENAME}:N: a hub lists at most {limits.HUB_SERVICES} services "
        f"({limits.HUB_SERVICES + 1} given)"
    ]
