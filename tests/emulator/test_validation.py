"""Calls Telegram rejects for their shape are rejected with 400, and recorded as invalid."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator import ApiError, BotApiEmulator, InvalidRequest

CHAT = 42


@pytest.fixture
async def emu(emulator: BotApiEmulator) -> BotApiEmulator:
    emulator.register_user(CHAT)
    return emulator


async def rejected(emu: BotApiEmulator, method: str, params: dict[str, Any]) -> str:
    with pytest.raises(ApiError) as caught:
        await emu.handle(emu.token, method, params)
    assert caught.value.error_code == 400
    assert emu.invalid_calls and emu.invalid_calls[-1].method == method
    return caught.value.description


def keyboard(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


async def test_form_encoded_strings_are_coerced_to_the_declared_types(emu: BotApiEmulator) -> None:
    params = {
        "chat_id": str(CHAT),
        "text": "hi",
        "disable_notification": "true",
        "reply_markup": json.dumps(keyboard({"text": "A", "callback_data": "a"})),
    }
    message = await emu.handle(emu.token, "sendMessage", params)

    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    recorded = emu.calls[-1].params
    assert recorded["chat_id"] == CHAT
    assert recorded["disable_notification"] is True
    assert emu.invalid_calls == []


async def test_unknown_parameter_is_rejected(emu: BotApiEmulator) -> None:
    description = await rejected(emu, "sendMessage", {"chat_id": CHAT, "text": "a", "colour": 1})
    assert description == 'Bad Request: unknown parameter "colour"'


async def test_missing_required_parameter_is_rejected(emu: BotApiEmulator) -> None:
    description = await rejected(emu, "sendLocation", {"chat_id": CHAT, "latitude": 44.7})
    assert description == 'Bad Request: parameter "longitude" is required'


async def test_missing_text_reads_like_telegram(emu: BotApiEmulator) -> None:
    assert await rejected(emu, "sendMessage", {"chat_id": CHAT}) == (
        "Bad Request: message text is empty"
    )


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        ({"chat_id": CHAT, "text": "a", "disable_notification": "maybe"}, "Boolean"),
        ({"chat_id": CHAT, "latitude": "north", "longitude": 1}, "Float"),
        ({"chat_id": True, "text": "a"}, "Integer or String"),
    ],
)
async def test_values_of_the_wrong_type_are_rejected(
    emu: BotApiEmulator, params: dict[str, Any], wanted: str
) -> None:
    method = "sendLocation" if "latitude" in params else "sendMessage"
    assert (await rejected(emu, method, params)).endswith(f"must be of type {wanted}")


async def test_unknown_nested_field_is_rejected_with_its_path(emu: BotApiEmulator) -> None:
    markup = keyboard({"text": "A", "callback_data": "a", "colour": "red"})
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert description == 'Bad Request: unknown field "reply_markup.inline_keyboard[0][0].colour"'


async def test_nested_values_must_have_their_json_type(emu: BotApiEmulator) -> None:
    markup = {"inline_keyboard": [[{"text": 5, "callback_data": "a"}]]}
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert "inline_keyboard[0][0].text" in description


async def test_reply_keyboard_accepts_plain_strings_as_buttons(emu: BotApiEmulator) -> None:
    markup = {"keyboard": [["Yes", {"text": "Share", "request_location": True}]]}
    await emu.handle(
        emu.token, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert emu.reply_keyboard(CHAT) == markup


async def test_reply_keyboard_button_with_two_requests_is_rejected(emu: BotApiEmulator) -> None:
    button = {"text": "x", "request_location": True, "request_contact": True}
    markup = {"keyboard": [[button]]}
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert "at most one" in description


async def test_inline_button_without_action_is_rejected(emu: BotApiEmulator) -> None:
    markup = keyboard({"text": "Nothing"})
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert "Text buttons are unallowed in the inline keyboard" in description


async def test_inline_button_with_two_actions_is_rejected(emu: BotApiEmulator) -> None:
    markup = keyboard({"text": "Two", "callback_data": "a", "url": "https://example.org"})
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert "exactly one" in description


async def test_inline_button_style_is_not_an_action(emu: BotApiEmulator) -> None:
    markup = keyboard({"text": "Go", "callback_data": "go", "style": "success"})
    await emu.handle(
        emu.token, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
    )
    assert emu.invalid_calls == []


@pytest.mark.parametrize(("data", "ok"), [("x" * 64, True), ("x" * 65, False), ("è" * 33, False)])
async def test_callback_data_is_limited_to_64_utf8_bytes(
    emu: BotApiEmulator, data: str, ok: bool
) -> None:
    params = {
        "chat_id": CHAT,
        "text": "a",
        "reply_markup": keyboard({"text": "A", "callback_data": data}),
    }
    if ok:
        await emu.handle(emu.token, "sendMessage", params)
    else:
        assert await rejected(emu, "sendMessage", params) == "Bad Request: BUTTON_DATA_INVALID"


async def test_empty_callback_data_is_rejected(emu: BotApiEmulator) -> None:
    params = {
        "chat_id": CHAT,
        "text": "a",
        "reply_markup": keyboard({"text": "A", "callback_data": ""}),
    }
    assert await rejected(emu, "sendMessage", params) == "Bad Request: BUTTON_DATA_INVALID"


async def test_button_url_must_be_a_web_or_tg_link(emu: BotApiEmulator) -> None:
    params = {
        "chat_id": CHAT,
        "text": "a",
        "reply_markup": keyboard({"text": "A", "url": "ftp://x"}),
    }
    assert await rejected(emu, "sendMessage", params) == "Bad Request: BUTTON_URL_INVALID"


async def test_text_is_measured_after_entity_parsing(emu: BotApiEmulator) -> None:
    fits = "<b>" + "a" * 4096 + "</b>"
    message = await emu.handle(
        emu.token, "sendMessage", {"chat_id": CHAT, "text": fits, "parse_mode": "HTML"}
    )
    assert len(message["text"]) == 4096
    too_long = "a" * 4097
    description = await rejected(emu, "sendMessage", {"chat_id": CHAT, "text": too_long})
    assert description == "Bad Request: message is too long"


async def test_text_of_only_markup_or_spaces_is_empty(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "text": "<b> </b>\n", "parse_mode": "HTML"}
    assert await rejected(emu, "sendMessage", params) == "Bad Request: message text is empty"


async def test_caption_is_limited_to_1024_characters(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "document": "attach://f", "caption": "c" * 1025}
    with pytest.raises(ApiError) as caught:
        await emu.handle(emu.token, "sendDocument", params, {"f": b"data"})
    assert caught.value.description == "Bad Request: message caption is too long"


async def test_malformed_html_is_rejected(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "text": "<b>bold<i>both</b></i>", "parse_mode": "HTML"}
    description = await rejected(emu, "sendMessage", params)
    assert description.startswith("Bad Request: can't parse entities: Unmatched end tag")


async def test_unknown_parse_mode_is_rejected(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "text": "a", "parse_mode": "RTF"}
    assert await rejected(emu, "sendMessage", params) == "Bad Request: unsupported parse_mode"


async def test_markdown_is_refused_explicitly(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "text": "*a*", "parse_mode": "MarkdownV2"}
    assert "use HTML" in await rejected(emu, "sendMessage", params)


async def test_answer_text_is_limited_to_200_characters(emu: BotApiEmulator) -> None:
    params = {"callback_query_id": "1", "text": "t" * 201}
    description = await rejected(emu, "answerCallbackQuery", params)
    assert description == 'Bad Request: parameter "text" must be 0-200 characters long'


async def test_edit_needs_chat_and_message_or_inline_message(emu: BotApiEmulator) -> None:
    description = await rejected(emu, "editMessageText", {"message_id": 1, "text": "a"})
    assert description == 'Bad Request: parameter "chat_id" is required'


@pytest.mark.parametrize(
    ("command", "description", "error"),
    [
        ("Start", "Begin", "BOT_COMMAND_INVALID"),
        ("with-dash", "Begin", "BOT_COMMAND_INVALID"),
        ("c" * 33, "Begin", 'field "commands[0].command" must be 1-32 characters long'),
        ("start", "", 'field "commands[0].description" must be 1-256 characters long'),
        ("start", "d" * 257, 'field "commands[0].description" must be 1-256 characters long'),
    ],
)
async def test_bot_commands_follow_telegram_rules(
    emu: BotApiEmulator, command: str, description: str, error: str
) -> None:
    params = {"commands": [{"command": command, "description": description}]}
    assert await rejected(emu, "setMyCommands", params) == f"Bad Request: {error}"


async def test_at_most_100_commands(emu: BotApiEmulator) -> None:
    commands = [{"command": f"c{index}", "description": "d"} for index in range(101)]
    description = await rejected(emu, "setMyCommands", {"commands": commands})
    assert description == "Bad Request: BOT_COMMANDS_TOO_MUCH"


async def test_command_scope_is_checked_by_its_type(emu: BotApiEmulator) -> None:
    commands = [{"command": "start", "description": "Start"}]
    unknown = await rejected(
        emu, "setMyCommands", {"commands": commands, "scope": {"type": "everyone"}}
    )
    assert unknown == 'Bad Request: field "scope.type" has unsupported value "everyone"'
    missing = await rejected(
        emu, "setMyCommands", {"commands": commands, "scope": {"type": "chat"}}
    )
    assert missing == 'Bad Request: field "scope.chat_id" is required'


async def test_language_code_must_be_two_letters(emu: BotApiEmulator) -> None:
    params = {"commands": [{"command": "start", "description": "Start"}], "language_code": "ita"}
    assert "language_code" in await rejected(emu, "setMyCommands", params)


async def test_chat_action_must_be_a_known_action(emu: BotApiEmulator) -> None:
    description = await rejected(emu, "sendChatAction", {"chat_id": CHAT, "action": "dancing"})
    assert description == 'Bad Request: parameter "action" has unsupported value "dancing"'


async def test_numbers_outside_documented_ranges_are_rejected(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "latitude": 1, "longitude": 1, "heading": 361}
    description = await rejected(emu, "sendLocation", params)
    assert description == 'Bad Request: parameter "heading" must be between 1 and 360'


async def test_webhook_must_be_https_on_an_allowed_port(emu: BotApiEmulator) -> None:
    plain = await rejected(emu, "setWebhook", {"url": "http://bot.example.org/hook"})
    assert plain == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    port = await rejected(emu, "setWebhook", {"url": "https://bot.example.org:8080/hook"})
    assert "ports 80, 88, 443 or 8443" in port


async def test_webhook_secret_token_characters(emu: BotApiEmulator) -> None:
    params = {"url": "https://bot.example.org/hook", "secret_token": "not secret!"}
    assert "secret token" in await rejected(emu, "setWebhook", params)


async def test_file_reference_must_be_in_the_request(emu: BotApiEmulator) -> None:
    params = {"chat_id": CHAT, "document": "attach://missing"}
    description = await rejected(emu, "sendDocument", params)
    assert 'file "missing" is not in the request' in description


async def test_non_strict_emulator_does_not_list_invalid_calls() -> None:
    emu = BotApiEmulator(strict=False)
    with pytest.raises(ApiError):
        await emu.handle(emu.token, "sendMessage", {"chat_id": 1, "text": "a", "bogus": 1})
    assert emu.invalid_calls == []
    assert emu.stats()["errors"] == 1


async def test_union_members_are_chosen_by_their_type_field(emu: BotApiEmulator) -> None:
    media = {"type": "photo", "media": "https://example.org/a.jpg", "caption": "ok"}
    params = {"chat_id": CHAT, "message_id": 1, "media": media}
    assert await emu.handle(emu.token, "editMessageMedia", params) is True

    wrong = {**params, "media": {"type": "sticker", "media": "x"}}
    description = await rejected(emu, "editMessageMedia", wrong)
    assert description == 'Bad Request: field "media.type" has unsupported value "sticker"'
    extra = {**params, "media": {**media, "duration": 3}}
    assert await rejected(emu, "editMessageMedia", extra) == (
        'Bad Request: unknown field "media.duration"'
    )


async def test_reply_markup_may_be_any_of_its_four_types(emu: BotApiEmulator) -> None:
    for markup in ({"force_reply": True}, {"remove_keyboard": True}, {"keyboard": [["A"]]}):
        await emu.handle(
            emu.token, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": markup}
        )
    description = await rejected(
        emu, "sendMessage", {"chat_id": CHAT, "text": "a", "reply_markup": {"force_reply": "yes"}}
    )
    assert description == 'Bad Request: field "reply_markup.force_reply" must be of type Boolean'


def test_results_are_checked_against_the_spec(emu: BotApiEmulator) -> None:
    message = {"message_id": 1, "date": 0, "text": "no chat"}
    with pytest.raises(InvalidRequest, match=r'field "result\.chat" is required'):
        emu.validator.validate_result(message, ("Message",))
    with pytest.raises(InvalidRequest, match=r'unknown field "result\.colour"'):
        emu.validator.validate_result(
            {"id": 1, "is_bot": False, "first_name": "A", "colour": 1}, ("User",)
        )
