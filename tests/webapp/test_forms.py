"""How the Mini App answers a form: its JSON body, a refused field, a record changed meanwhile.

A refused or stale form saves nothing: the handler's transaction is never committed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.people.roles import Role
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused
from storage.models import User
from tests.support.fixtures import ADMIN_ID
from tests.webapp.signed import init_data, mini_app_client, signed_in

SAVE = "/app/api/test-save"


async def save(call: ApiCall) -> dict[str, Any]:
    """Writes a user row first, then refuses as the form asks: the write must not stay."""
    now = call.clock.now()
    name = str(call.body.get("name", ""))
    call.session.add(User(telegram_id=4242, display_name=name, created_at=now, last_seen_at=now))
    await call.session.flush()
    if call.body.get("name") == "":
        raise FormRefused({"name": "Write a name."})
    if call.body.get("version") != 1:
        raise ChangedMeanwhile
    await call.session.commit()
    return {"saved": call.body["name"]}


ROUTES = [ApiRoute("test-save", Role.ADMIN, save, method="POST")]


async def _users(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    async with sessions() as session:
        return list(await session.scalars(select(User.telegram_id).where(User.telegram_id == 4242)))


async def test_a_refused_field_is_named_with_its_message_and_nothing_is_saved(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory, ROUTES) as client:
        response = await client.post(SAVE, json={"name": "", "version": 1}, headers=headers)
        assert response.status == 422
        assert await response.json() == {"error": "form", "fields": {"name": "Write a name."}}
    assert await _users(session_factory) == []


async def test_a_record_changed_meanwhile_is_refused_in_the_callers_language(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="it"))
    async with mini_app_client(session_factory, ROUTES) as client:
        response = await client.post(SAVE, json={"name": "Orti", "version": 0}, headers=headers)
        assert response.status == 409
        answer = await response.json()
    assert answer["error"] == "changed"
    assert answer["message"] == "Nel frattempo qualcuno l'ha modificato: ricaricalo e riprova."
    assert await _users(session_factory) == []


async def test_a_body_that_is_not_a_json_object_gets_400_and_a_good_one_is_saved(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory, ROUTES) as client:
        refused = await client.post(SAVE, data="[1, 2", headers=headers)
        assert refused.status == 400
        saved = await client.post(SAVE, json={"name": "Orti", "version": 1}, headers=headers)
        assert saved.status == 200 and await saved.json() == {"saved": "Orti"}
    assert await _users(session_factory) == [4242]
