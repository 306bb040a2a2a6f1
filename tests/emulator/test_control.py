"""Tokens, unknown methods, injected faults, flood limits, counters and waiting helpers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from emulator import ApiError, BotApiEmulator

USER = 5


async def send(emu: BotApiEmulator, chat_id: int = USER, text: str = "hi") -> Any:
    return await emu.handle(emu.token, "sendMessage", {"chat_id": chat_id, "text": text})


async def test_wrong_token_is_unauthorized(emulator: BotApiEmulator) -> None:
    with pytest.raises(ApiError) as caught:
        await emulator.handle("1:wrong", "getMe", {})
    assert (caught.value.error_code, caught.value.description) == (401, "Unauthorized")


async def test_unknown_method_is_not_found_and_invalid(emulator: BotApiEmulator) -> None:
    with pytest.raises(ApiError) as caught:
        await emulator.handle(emulator.token, "sendTelegram", {})
    assert (caught.value.error_code, caught.value.description) == (404, "Not Found")
    assert [call.method for call in emulator.invalid_calls] == ["sendTelegram"]


async def test_method_names_are_case_insensitive(emulator: BotApiEmulator) -> None:
    me = await emulator.handle(emulator.token, "GETME", {})
    assert me["is_bot"] is True
    assert emulator.calls[-1].method == "getMe"


async def test_injected_faults_hit_the_next_valid_calls(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    emulator.fail_next("sendMessage", 500, "Internal Server Error", times=2)
    for _ in range(2):
        with pytest.raises(ApiError) as caught:
            await send(emulator)
        assert caught.value.error_code == 500
    assert (await send(emulator))["text"] == "hi"
    assert [call.ok for call in emulator.calls_to("sendMessage")] == [False, False, True]


async def test_injected_retry_after(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    emulator.fail_next("sendmessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(ApiError) as caught:
        await send(emulator)
    assert caught.value.retry_after == 7
    assert caught.value.to_response()["parameters"] == {"retry_after": 7}
    assert emulator.stats()["too_many_requests"] == 1


async def test_per_chat_rate_limit(clock: Any) -> None:
    emu = BotApiEmulator(per_chat_rate=1.0, per_chat_burst=1, clock=clock)
    emu.register_user(USER)
    emu.register_user(USER + 1)
    await send(emu)
    with pytest.raises(ApiError) as caught:
        await send(emu)
    assert caught.value.error_code == 429
    assert caught.value.description == "Too Many Requests: retry after 1"
    assert caught.value.retry_after == 1

    await send(emu, chat_id=USER + 1)
    clock.advance(1.0)
    await send(emu)
    assert emu.too_many_requests == 1


async def test_a_chat_takes_a_burst_of_three_then_one_message_a_second(clock: Any) -> None:
    emu = BotApiEmulator(per_chat_rate=1.0, clock=clock)
    emu.register_user(USER)
    sent = [await send(emu, text=f"burst {n}") for n in range(3)]
    with pytest.raises(ApiError) as caught:
        await send(emu)
    assert (caught.value.error_code, caught.value.retry_after) == (429, 1)
    for edit in range(5):  # edits are not counted
        await emu.handle(
            emu.token,
            "editMessageText",
            {"chat_id": USER, "message_id": sent[0]["message_id"], "text": f"edit {edit}"},
        )
    clock.advance(1.0)
    await send(emu, text="after a second")
    with pytest.raises(ApiError):
        await send(emu)
    clock.advance(0.5)
    with pytest.raises(ApiError) as caught:
        await send(emu)
    assert caught.value.retry_after == 1
    clock.advance(0.5)
    await send(emu, text="one more second")
    assert emu.too_many_requests == 3


async def test_global_rate_limit_counts_every_chat(clock: Any) -> None:
    emu = BotApiEmulator(global_rate=3, clock=clock)
    for user in range(1, 5):
        emu.register_user(user)
    for user in range(1, 4):
        await send(emu, chat_id=user)
        clock.advance(0.1)
    with pytest.raises(ApiError) as caught:
        await send(emu, chat_id=4)
    assert caught.value.retry_after == 1
    clock.advance(0.8)
    await send(emu, chat_id=4)


async def test_slow_rates_give_longer_retry_after(clock: Any) -> None:
    emu = BotApiEmulator(per_chat_rate=0.2, per_chat_burst=1, clock=clock)
    emu.register_user(USER)
    await send(emu)
    clock.advance(1.5)
    with pytest.raises(ApiError) as caught:
        await send(emu)
    assert caught.value.retry_after == 4


async def test_rate_limits_count_sends_only(clock: Any) -> None:
    emu = BotApiEmulator(per_chat_rate=1.0, clock=clock)
    emu.register_user(USER)
    sent = await send(emu)
    await emu.handle(emu.token, "sendChatAction", {"chat_id": USER, "action": "typing"})
    await emu.handle(
        emu.token,
        "editMessageText",
        {"chat_id": USER, "message_id": sent["message_id"], "text": "edited"},
    )
    assert emu.too_many_requests == 0


async def test_rate_limits_are_off_by_default(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    for _ in range(50):
        await send(emulator)
    assert emulator.stats()["too_many_requests"] == 0


async def test_stats_count_calls_errors_and_invalid_calls(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    await send(emulator)
    with pytest.raises(ApiError):
        await send(emulator, chat_id=404)
    with pytest.raises(ApiError):
        await emulator.handle(emulator.token, "sendMessage", {"chat_id": USER})
    stats = emulator.stats()
    assert stats["calls"] == 3
    assert stats["calls_by_method"] == {"sendMessage": 3}
    assert (stats["errors"], stats["invalid_calls"]) == (2, 1)


async def test_wait_for_bot_message_wakes_on_the_send(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    await send(emulator, text="first")
    waiting = asyncio.create_task(emulator.wait_for_bot_message(USER, after=1, timeout=2))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    await send(emulator, text="second")
    assert (await waiting)["text"] == "second"


async def test_wait_times_out_with_the_recent_calls(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    with pytest.raises(ApiError):
        await send(emulator, chat_id=404)
    with pytest.raises(TimeoutError) as caught:
        await emulator.wait_for_bot_message(USER, timeout=0.05)
    assert "sendMessage(400 Bad Request: chat not found)" in str(caught.value)


async def test_wait_for_call_and_answer(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    sent = await send(emulator)
    query_id = emulator.user_sends_callback(USER, "x", message_id=sent["message_id"])

    async def answer_later() -> None:
        await asyncio.sleep(0.01)
        await emulator.handle(
            emulator.token,
            "answerCallbackQuery",
            {"callback_query_id": query_id, "show_alert": True, "text": "No"},
        )

    task = asyncio.create_task(answer_later())
    assert await emulator.wait_for_answer(query_id, timeout=2) == {"show_alert": True, "text": "No"}
    call = await emulator.wait_for_call("answerCallbackQuery", timeout=2)
    assert call.ok
    await task


async def test_commands_per_scope_and_language(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER, language_code="en")
    everyone = [{"command": "start", "description": "Start"}]
    staff = [*everyone, {"command": "approve", "description": "Approve hours"}]
    token = emulator.token
    await emulator.handle(token, "setMyCommands", {"commands": everyone, "language_code": "en"})
    scope = {"type": "chat", "chat_id": USER}
    await emulator.handle(
        token, "setMyCommands", {"commands": staff, "scope": scope, "language_code": "en"}
    )

    assert emulator.commands(language_code="en") == everyone
    assert emulator.commands("chat", "en", chat_id=USER) == staff
    assert emulator.visible_commands(USER) == staff
    got = await emulator.handle(token, "getMyCommands", {"scope": scope, "language_code": "en"})
    assert got == staff

    await emulator.handle(token, "deleteMyCommands", {"scope": scope, "language_code": "en"})
    assert emulator.visible_commands(USER) == everyone


async def test_commands_for_an_unknown_chat_fail(emulator: BotApiEmulator) -> None:
    params = {
        "commands": [{"command": "start", "description": "Start"}],
        "scope": {"type": "chat", "chat_id": 31337},
    }
    with pytest.raises(ApiError) as caught:
        await emulator.handle(emulator.token, "setMyCommands", params)
    assert caught.value.description == "Bad Request: chat not found"


async def test_menu_button_per_chat(emulator: BotApiEmulator) -> None:
    emulator.register_user(USER)
    await emulator.handle(
        emulator.token,
        "setChatMenuButton",
        {"chat_id": USER, "menu_button": {"type": "commands"}},
    )
    assert emulator.menu_button(USER) == {"type": "commands"}
    assert emulator.menu_button() == {"type": "default"}
