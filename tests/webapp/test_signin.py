"""Sign-in to the staff Mini App: Telegram's signed initData on every call, roles per route."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.people import users
from bot.services.people.roles import Role
from bot.webapp.routing import ApiCall, ApiRoute
from tests.support.fixtures import ADMIN_ID, TEST_NOW
from tests.webapp.signed import init_data, mini_app_client, signed_in

CITIZEN_ID = 4242
ME = "/app/api/me"


async def _admin_only(call: ApiCall) -> dict[str, Any]:
    return {"ok": True}


ADMIN_ROUTE = ApiRoute("admin-only", Role.ADMIN, _admin_only)


def _forged(data: str) -> str:
    head, _, digest = data.rpartition("hash=")
    return f"{head}hash={'0' if digest[0] != '0' else '1'}{digest[1:]}"


def _renamed(data: str) -> str:
    """The same signature over a user who claims to be the admin."""
    return data.replace(f"%22id%22%3A{CITIZEN_ID}", f"%22id%22%3A{ADMIN_ID}")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no header"),
        pytest.param({"Authorization": "Bearer x"}, id="another scheme"),
        pytest.param(signed_in(_forged(init_data(ADMIN_ID))), id="forged hash"),
        pytest.param(signed_in(_renamed(init_data(CITIZEN_ID))), id="user swapped"),
        pytest.param(
            signed_in(init_data(ADMIN_ID, token="987654321:another-bots-token")),
            id="signed with another token",
        ),
        pytest.param(
            signed_in(init_data(ADMIN_ID, at=TEST_NOW - timedelta(hours=1, minutes=1))),
            id="older than an hour",
        ),
    ],
)
async def test_a_call_without_a_valid_fresh_initdata_is_refused_with_401(
    session_factory: async_sessionmaker[AsyncSession], headers: dict[str, str]
) -> None:
    async with mini_app_client(session_factory) as client:
        response = await client.get(ME, headers=headers)
        assert response.status == 401
        assert await response.json() == {"error": "signin"}


async def test_an_admin_is_signed_in_with_the_admin_role_in_their_language(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with mini_app_client(session_factory) as client:
        response = await client.get(ME, headers=signed_in(init_data(ADMIN_ID, language="it")))
        assert response.status == 200
        me = await response.json()
    assert me["roles"] == ["admin"]
    assert me["language"] == "it"
    assert me["signed_in_as"] == "Accesso effettuato come Paolo Conti (amministrazione)"
    assert me["texts"]["close"] == "Chiudi"


async def test_an_initdata_of_59_minutes_ago_still_signs_in(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    data = init_data(ADMIN_ID, language="en", at=TEST_NOW - timedelta(minutes=59))
    async with mini_app_client(session_factory) as client:
        response = await client.get(ME, headers=signed_in(data))
        assert response.status == 200
        assert (await response.json())["signed_in_as"] == "Signed in as Paolo Conti (admin)"


async def test_a_citizen_on_an_admin_route_gets_403_and_on_their_own_200(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    headers = signed_in(init_data(CITIZEN_ID, first_name="Anna", last_name="", language="en"))
    async with mini_app_client(session_factory, [ADMIN_ROUTE]) as client:
        refused = await client.get("/app/api/admin-only", headers=headers)
        assert refused.status == 403
        assert await refused.json() == {"error": "forbidden"}
        me = await (await client.get(ME, headers=headers)).json()
    assert me["roles"] == ["citizen"]
    assert me["signed_in_as"] == "Signed in as Anna (no staff role)"


async def test_the_language_chosen_with_language_wins_over_telegrams(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await users.record_visit(session, ADMIN_ID, "it", TEST_NOW)
        await users.choose_language(session, ADMIN_ID, "en")
    async with mini_app_client(session_factory) as client:
        response = await client.get(ME, headers=signed_in(init_data(ADMIN_ID, language="it")))
        me = await response.json()
    assert me["language"] == "en"
    assert me["signed_in_as"] == "Signed in as Paolo Conti (admin)"
