"""Updates reach the bot as with Telegram: long polling, offsets, filters, callback queries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from emulator import ApiError, BotApiEmulator, EmulatorUsageError

USER = 7


async def updates(emu: BotApiEmulator, **params: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = await emu.handle(emu.token, "getUpdates", params)
    return result


async def test_updates_stay_until_an_offset_confirms_them(emulator: BotApiEmulator) -> None:
    emulator.user_sends_text(USER, "one")
    emulator.user_sends_text(USER, "two")

    first = await updates(emulator)
    again = await updates(emulator)
    assert [update["message"]["text"] for update in first] == ["one", "two"]
    assert again == first

    later = await updates(emulator, offset=first[0]["update_id"] + 1)
    assert [update["message"]["text"] for update in later] == ["two"]
    assert await updates(emulator, offset=first[1]["update_id"] + 1) == []


async def test_limit_and_negative_offset(emulator: BotApiEmulator) -> None:
    for text in ("a", "b", "c"):
        emulator.user_sends_text(USER, text)
    assert [item["message"]["text"] for item in await updates(emulator, limit=2)] == ["a", "b"]
    assert [item["message"]["text"] for item in await updates(emulator, offset=-1)] == ["c"]


async def test_long_poll_waits_for_the_next_update(emulator: BotApiEmulator) -> None:
    poll = asyncio.create_task(updates(emulator, timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()

    emulator.user_sends_text(USER, "/start")
    received = await asyncio.wait_for(poll, 1)
    assert received[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_long_poll_returns_empty_after_its_timeout(emulator: BotApiEmulator) -> None:
    assert await asyncio.wait_for(updates(emulator, timeout=1), 3) == []


async def test_a_second_poller_terminates_the_first(emulator: BotApiEmulator) -> None:
    first = asyncio.create_task(updates(emulator, timeout=5))
    await asyncio.sleep(0.01)
    second = asyncio.create_task(updates(emulator, timeout=5))
    with pytest.raises(ApiError) as caught:
        await asyncio.wait_for(first, 1)
    assert caught.value.error_code == 409
    assert "terminated by other getUpdates request" in caught.value.description
    await emulator.aclose()
    assert await asyncio.wait_for(second, 1) == []


async def test_allowed_updates_filters_new_updates(emulator: BotApiEmulator) -> None:
    await updates(emulator, allowed_updates=["callback_query"])
    emulator.user_sends_text(USER, "ignored")
    assert await updates(emulator) == []

    await updates(emulator, allowed_updates=[])
    emulator.user_sends_text(USER, "seen")
    assert [item["message"]["text"] for item in await updates(emulator)] == ["seen"]


async def test_pressing_a_button_sends_a_callback_query(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    markup = {"inline_keyboard": [[{"text": "Join", "callback_data": "join:5"}]]}
    sent = await emulator.handle(
        emulator.token, "sendMessage", {"chat_id": USER, "text": "Shift", "reply_markup": markup}
    )

    query_id = emulator.user_presses_label(USER, sent["message_id"], "Join")
    query = (await updates(emulator))[-1]["callback_query"]
    assert (query["id"], query["data"], query["from"]["id"]) == (query_id, "join:5", USER)
    assert query["message"]["message_id"] == sent["message_id"]
    assert emulator.unanswered_callback_queries() == [query_id]

    await emulator.handle(
        emulator.token, "answerCallbackQuery", {"callback_query_id": query_id, "text": "Done"}
    )
    assert emulator.callback_answer(query_id) == {"text": "Done"}
    assert emulator.unanswered_callback_queries() == []


async def test_pressing_a_missing_button_is_a_test_error(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    sent = await emulator.handle(emulator.token, "sendMessage", {"chat_id": USER, "text": "x"})
    with pytest.raises(EmulatorUsageError):
        emulator.user_presses(USER, sent["message_id"], "join:5")
    forged = emulator.user_sends_callback(USER, "admin:delete-all", message_id=sent["message_id"])
    assert (await updates(emulator))[-1]["callback_query"]["data"] == "admin:delete-all"
    assert emulator.callback_answer(forged) is None


async def test_callback_query_can_be_answered_once_and_not_too_late(clock: Any) -> None:
    emu = BotApiEmulator(clock=clock)
    emu.register_user(USER)
    sent = await emu.handle(emu.token, "sendMessage", {"chat_id": USER, "text": "x"})
    late = emu.user_sends_callback(USER, "a", message_id=sent["message_id"])
    clock.advance(16)
    on_time = emu.user_sends_callback(USER, "b", message_id=sent["message_id"])
    await emu.handle(emu.token, "answerCallbackQuery", {"callback_query_id": on_time})

    for query_id in (late, on_time):
        with pytest.raises(ApiError) as caught:
            await emu.handle(emu.token, "answerCallbackQuery", {"callback_query_id": query_id})
        assert "query is too old" in caught.value.description


async def test_blocking_sends_a_my_chat_member_update(emulator: BotApiEmulator) -> None:
    emulator.user_sends_text(USER, "hi")
    emulator.user_blocks_bot(USER)
    change = (await updates(emulator))[-1]["my_chat_member"]
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "member",
        "kicked",
    )


async def test_privacy_mode_hides_plain_group_messages(emulator: BotApiEmulator) -> None:
    group = -1001
    emulator.user_sends_text(USER, "chatting", chat_id=group, chat_type="supergroup")
    emulator.user_sends_text(USER, "/start@quartiere_test_bot", chat_id=group)
    received = await updates(emulator)
    assert [item["message"]["text"] for item in received] == ["/start@quartiere_test_bot"]
    assert received[0]["message"]["chat"]["type"] == "supergroup"


async def test_user_profile_options_are_kept(emulator: BotApiEmulator) -> None:
    emulator.user_sends_text(USER, "a", first_name="Ada", language_code="en", username="ada")
    second = emulator.user_sends_text(USER, "b")
    assert second["from"] == {
        "id": USER,
        "is_bot": False,
        "first_name": "Ada",
        "username": "ada",
        "language_code": "en",
    }


async def test_location_contact_photo_and_sticker_from_users(emulator: BotApiEmulator) -> None:
    emulator.user_sends_location(USER, 44.7, 10.6)
    emulator.user_sends_contact(USER, "+39 333 0000000", first_name="Ada")
    emulator.user_sends_photo(USER, caption="the bench")
    emulator.user_sends_sticker(USER)
    received = [item["message"] for item in await updates(emulator)]

    assert received[0]["location"] == {"latitude": 44.7, "longitude": 10.6}
    assert received[1]["contact"]["user_id"] == USER
    assert received[2]["photo"][0]["width"] == 1
    assert received[3]["sticker"]["emoji"] == "👍"


async def test_webhook_blocks_get_updates(emulator: BotApiEmulator) -> None:
    await emulator.handle(emulator.token, "setWebhook", {"url": "http://127.0.0.1:9/hook"})
    with pytest.raises(ApiError) as caught:
        await updates(emulator)
    assert caught.value.error_code == 409
    info = await emulator.handle(emulator.token, "getWebhookInfo", {})
    assert info["url"] == "http://127.0.0.1:9/hook"
    await emulator.handle(emulator.token, "deleteWebhook", {})
    assert await updates(emulator) == []
