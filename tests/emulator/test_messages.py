"""Sending, editing and deleting messages behaves as a bot sees it on Telegram."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import ApiError, BotApiEmulator

USER = 42
KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}


@pytest.fixture
async def emu(emulator: BotApiEmulator) -> BotApiEmulator:
    emulator.register_user(USER, first_name="Ada")
    return emulator


async def call(emu: BotApiEmulator, method: str, **params: Any) -> Any:
    return await emu.handle(emu.token, method, params)


async def test_sent_message_is_a_full_bot_api_message(emu: BotApiEmulator) -> None:
    message = await call(
        emu,
        "sendMessage",
        chat_id=USER,
        text="<b>Ciao</b>",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )

    assert message["from"]["username"] == "quartiere_test_bot"
    assert message["chat"] == {"id": USER, "type": "private", "first_name": "Ada"}
    assert message["text"] == "Ciao"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert message["reply_markup"] == KEYBOARD
    assert emu.bot_messages(USER) == [message]


async def test_message_ids_are_shared_by_bot_and_user_in_a_chat(emu: BotApiEmulator) -> None:
    first = await call(emu, "sendMessage", chat_id=USER, text="one")
    reply = emu.user_sends_text(USER, "two")
    second = await call(emu, "sendMessage", chat_id=USER, text="three")
    assert [first["message_id"], reply["message_id"], second["message_id"]] == [1, 2, 3]


async def test_unknown_chat_is_not_found(emu: BotApiEmulator) -> None:
    with pytest.raises(ApiError) as caught:
        await call(emu, "sendMessage", chat_id=999, text="hello")
    assert (caught.value.error_code, caught.value.description) == (
        400,
        "Bad Request: chat not found",
    )
    assert emu.invalid_calls == []


async def test_blocked_user_gets_403_until_unblocked(emu: BotApiEmulator) -> None:
    emu.user_blocks_bot(USER)
    with pytest.raises(ApiError) as caught:
        await call(emu, "sendMessage", chat_id=USER, text="hello")
    assert caught.value.error_code == 403
    assert caught.value.description == "Forbidden: bot was blocked by the user"

    emu.user_unblocks_bot(USER)
    await call(emu, "sendMessage", chat_id=USER, text="hello again")
    assert [message["text"] for message in emu.bot_messages(USER)] == ["hello again"]


async def test_editing_text_without_markup_removes_the_keyboard(emu: BotApiEmulator) -> None:
    sent = await call(emu, "sendMessage", chat_id=USER, text="Sure?", reply_markup=KEYBOARD)
    edited = await call(
        emu, "editMessageText", chat_id=USER, message_id=sent["message_id"], text="Done"
    )

    assert edited["text"] == "Done"
    assert "reply_markup" not in edited
    assert "edit_date" in edited
    assert emu.bot_messages(USER) == [edited]


async def test_edit_that_changes_nothing_is_not_modified(emu: BotApiEmulator) -> None:
    sent = await call(emu, "sendMessage", chat_id=USER, text="Same", reply_markup=KEYBOARD)
    with pytest.raises(ApiError) as caught:
        await call(
            emu,
            "editMessageText",
            chat_id=USER,
            message_id=sent["message_id"],
            text="Same",
            reply_markup=KEYBOARD,
        )
    assert caught.value.description.startswith("Bad Request: message is not modified")


async def test_edit_reply_markup_replaces_only_the_keyboard(emu: BotApiEmulator) -> None:
    sent = await call(emu, "sendMessage", chat_id=USER, text="Pick", reply_markup=KEYBOARD)
    other = {"inline_keyboard": [[{"text": "No", "callback_data": "no"}]]}
    edited = await call(
        emu,
        "editMessageReplyMarkup",
        chat_id=USER,
        message_id=sent["message_id"],
        reply_markup=other,
    )
    assert (edited["text"], edited["reply_markup"]) == ("Pick", other)


async def test_users_messages_and_missing_messages_cannot_be_edited(emu: BotApiEmulator) -> None:
    user_message = emu.user_sends_text(USER, "mine")
    for message_id, error in (
        (user_message["message_id"], "message can't be edited"),
        (99, "message to edit not found"),
    ):
        with pytest.raises(ApiError) as caught:
            await call(emu, "editMessageText", chat_id=USER, message_id=message_id, text="x")
        assert caught.value.description == f"Bad Request: {error}"


async def test_deleted_messages_leave_the_chat_but_keep_their_place(emu: BotApiEmulator) -> None:
    first = await call(emu, "sendMessage", chat_id=USER, text="one")
    await call(emu, "sendMessage", chat_id=USER, text="two")
    assert await call(emu, "deleteMessage", chat_id=USER, message_id=first["message_id"]) is True

    assert [message["text"] for message in emu.bot_messages(USER)] == ["two"]
    assert emu.bot_message_count(USER) == 2
    with pytest.raises(ApiError) as caught:
        await call(emu, "deleteMessage", chat_id=USER, message_id=first["message_id"])
    assert caught.value.description == "Bad Request: message to delete not found"


async def test_reply_keyboard_is_kept_per_chat_until_removed(emu: BotApiEmulator) -> None:
    reply_keyboard = {"keyboard": [[{"text": "Share", "request_location": True}]]}
    message = await call(
        emu, "sendMessage", chat_id=USER, text="Where?", reply_markup=reply_keyboard
    )
    assert "reply_markup" not in message
    assert emu.reply_keyboard(USER) == reply_keyboard

    await call(
        emu, "sendMessage", chat_id=USER, text="Thanks", reply_markup={"remove_keyboard": True}
    )
    assert emu.reply_keyboard(USER) is None


async def test_reply_to_a_message_includes_it(emu: BotApiEmulator) -> None:
    asked = emu.user_sends_text(USER, "question")
    answer = await call(
        emu,
        "sendMessage",
        chat_id=USER,
        text="answer",
        reply_parameters={"message_id": asked["message_id"]},
    )
    assert answer["reply_to_message"]["text"] == "question"
    with pytest.raises(ApiError):
        await call(emu, "sendMessage", chat_id=USER, text="x", reply_parameters={"message_id": 77})


async def test_document_bytes_and_name_can_be_read_back(emu: BotApiEmulator) -> None:
    message = await emu.handle(
        emu.token,
        "sendDocument",
        {
            "chat_id": USER,
            "document": "attach://report",
            "caption": "<i>Hours</i>",
            "parse_mode": "HTML",
        },
        {"report": b"date,minutes\n2026-01-01,90\n"},
    )
    document = message["document"]

    assert message["caption"] == "Hours"
    assert message["caption_entities"] == [{"type": "italic", "offset": 0, "length": 5}]
    stored = emu.file(document["file_id"])
    assert stored.data == b"date,minutes\n2026-01-01,90\n"
    file = await call(emu, "getFile", file_id=document["file_id"])
    assert file["file_size"] == len(stored.data)


async def test_document_can_be_resent_by_file_id(emu: BotApiEmulator) -> None:
    first = await emu.handle(
        emu.token, "sendDocument", {"chat_id": USER, "document": "attach://f"}, {"f": b"x"}
    )
    again = await call(emu, "sendDocument", chat_id=USER, document=first["document"]["file_id"])
    assert again["document"]["file_id"] == first["document"]["file_id"]
    with pytest.raises(ApiError) as caught:
        await call(emu, "sendDocument", chat_id=USER, document="no-such-file")
    assert "wrong file identifier" in caught.value.description


async def test_photo_sizes_come_from_the_image(emu: BotApiEmulator) -> None:
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000280000001e008060000")
    message = await emu.handle(
        emu.token, "sendPhoto", {"chat_id": USER, "photo": "attach://p"}, {"p": png}
    )
    assert (message["photo"][-1]["width"], message["photo"][-1]["height"]) == (640, 480)


async def test_location_venue_and_chat_action(emu: BotApiEmulator) -> None:
    location = await call(emu, "sendLocation", chat_id=USER, latitude=44.69, longitude=10.63)
    venue = await call(
        emu,
        "sendVenue",
        chat_id=USER,
        latitude=44.7,
        longitude=10.65,
        title="Casa",
        address="Via 1",
    )
    assert location["location"] == {"latitude": 44.69, "longitude": 10.63}
    assert venue["venue"]["title"] == "Casa"
    assert venue["location"] == {"latitude": 44.7, "longitude": 10.65}
    assert await call(emu, "sendChatAction", chat_id=USER, action="find_location") is True
    assert emu.chat_action(USER) == "find_location"


async def test_get_chat_describes_the_private_chat(emu: BotApiEmulator) -> None:
    chat = await call(emu, "getChat", chat_id=USER)
    assert (chat["id"], chat["type"], chat["first_name"]) == (USER, "private", "Ada")


async def test_methods_without_behaviour_succeed_when_valid(emu: BotApiEmulator) -> None:
    assert await call(emu, "setMyDescription", description="Quartiere") is True
    assert emu.calls[-1].method == "setMyDescription"


async def test_chat_member_status(emu: BotApiEmulator) -> None:
    group = -100200
    emu.user_sends_text(USER, "/start", chat_id=group, chat_type="supergroup")
    emu.register_user(USER + 1)
    member = await call(emu, "getChatMember", chat_id=group, user_id=USER)
    stranger = await call(emu, "getChatMember", chat_id=group, user_id=USER + 1)
    assert (member["status"], stranger["status"]) == ("member", "left")
