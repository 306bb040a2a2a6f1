"""Who an announcement reaches: each audience, unions, languages, muting and blocked users."""

from __future__ import annotations

import pytest

from tests.announcements.town import AUDIENCES, announce, received, settled
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import LiveBot


@pytest.mark.parametrize("audience", list(AUDIENCES))
async def test_each_audience_reaches_exactly_its_people(town: LiveBot, audience: str) -> None:
    announcement = await announce(town, f"<b>News</b> for {audience}", audience)
    progress = await settled(town, announcement)
    assert received(town, f"News for {audience}") == dict.fromkeys(AUDIENCES[audience], 1)
    assert progress.recipients == progress.sent == len(AUDIENCES[audience])


async def test_a_union_reaches_everyone_in_any_part_once(town: LiveBot) -> None:
    audience = "quartiere:ospizio,project:orti,greenway:crostolo"
    progress = await settled(town, await announce(town, "Union news", audience))
    # 101 is in all three groups and still gets one message.
    assert received(town, "Union news") == {101: 1, 102: 1, 104: 1, 106: 1}
    assert progress.recipients == 4


async def test_each_recipient_gets_the_version_in_their_language(town: LiveBot) -> None:
    versions = {"en": "Hello in English"}
    await settled(town, await announce(town, "Ciao in italiano", "all", versions=versions))
    english = received(town, "Hello in English")
    italian = received(town, "Ciao in italiano")
    assert sorted(english) == [102, 104, 106, ADMIN_ID]  # 106 chose English over Telegram's Italian
    assert sorted(italian) == [101, 103, 105, 107]  # 105 speaks German: the default text


async def test_muted_users_miss_ordinary_announcements_but_get_urgent_ones(
    town: LiveBot,
) -> None:
    await settled(town, await announce(town, "Ordinary news", "quartiere:ospizio"))
    await settled(town, await announce(town, "Urgent news", "quartiere:ospizio", urgent=True))
    assert 108 not in received(town, "Ordinary news")
    assert received(town, "Urgent news") == {101: 1, 102: 1, 108: 1}


async def test_a_user_who_blocked_the_bot_is_left_out_of_later_audiences(
    town: LiveBot,
) -> None:
    town.emulator.user_blocks_bot(102)
    first = await settled(town, await announce(town, "First news", "quartiere:ospizio"))
    assert (first.recipients, first.sent, first.blocked) == (2, 1, 1)
    attempts = len(town.emulator.calls_to("sendMessage"))
    second = await settled(town, await announce(town, "Second news", "quartiere:ospizio"))
    assert second.recipients == 1
    assert len(town.emulator.calls_to("sendMessage")) == attempts + 1  # no try at 102
    assert received(town, "Second news") == {101: 1}
