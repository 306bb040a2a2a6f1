"""Bot API methods that send, edit and delete messages.

They behave like Telegram where bots notice: sends to unknown chats fail with "chat not found"
and to users who blocked the bot with 403; editing a message without ``reply_markup`` removes
its inline keyboard; an edit that changes nothing fails with "message is not modified"; only
inline keyboards appear in the returned Message, while a reply keyboard is remembered per chat
(``BotApiEmulator.reply_keyboard``) until a ReplyKeyboardRemove.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator.base import EmulatorState
from emulator.errors import ApiError, state_error
from emulator.files import FILE_MAX_BYTES, PHOTO_MAX_BYTES, StoredFile, UploadedFile, image_size
from emulator.formatting import format_text
from emulator.state import ChatRecord, StoredMessage

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_MEDIA_KINDS = ("photo", "document", "animation", "audio", "video", "voice")
_LOCATION_OPTIONS = ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius")
_VENUE_OPTIONS = ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type")
_DEFAULT_PHOTO_SIZE = (1280, 960)


class MessageMethods(EmulatorState):
    """sendMessage, sendPhoto, sendDocument, sendLocation, sendVenue, sendContact,
    sendChatAction, editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage
    and deleteMessages."""

    async def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text, entities = format_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        if "link_preview_options" in params:
            content["link_preview_options"] = params["link_preview_options"]
        return self._send(params, content)

    async def send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._input_file(params["photo"], "photo", PHOTO_MAX_BYTES)
        width, height = image_size(stored.data) or _DEFAULT_PHOTO_SIZE
        content: dict[str, Any] = {"photo": [photo_size(stored, width, height)]}
        content.update(self._caption(params))
        if params.get("has_spoiler"):
            content["has_media_spoiler"] = True
        return self._send(params, content)

    async def send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._input_file(params["document"], "document", FILE_MAX_BYTES)
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        content: dict[str, Any] = {"document": document}
        content.update(self._caption(params))
        return self._send(params, content)

    async def send_location(self, params: dict[str, Any]) -> dict[str, Any]:
        location = {"latitude": params["latitude"], "longitude": params["longitude"]}
        location.update({key: params[key] for key in _LOCATION_OPTIONS if key in params})
        return self._send(params, {"location": location})

    async def send_venue(self, params: dict[str, Any]) -> dict[str, Any]:
        location = {"latitude": params["latitude"], "longitude": params["longitude"]}
        venue: dict[str, Any] = {
            "location": location,
            "title": params["title"],
            "address": params["address"],
        }
        venue.update({key: params[key] for key in _VENUE_OPTIONS if key in params})
        # Telegram also fills ``location`` on venue messages, for older clients.
        return self._send(params, {"venue": venue, "location": dict(location)})

    async def send_contact(self, params: dict[str, Any]) -> dict[str, Any]:
        contact = {"phone_number": params["phone_number"], "first_name": params["first_name"]}
        contact.update({key: params[key] for key in ("last_name", "vcard") if key in params})
        return self._send(params, {"contact": contact})

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        chat = self.writable_chat(params["chat_id"])
        chat.last_action = params["action"]
        self.notify()
        return True

    async def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, stored = self._editable(params)
        if "text" not in params:
            raise state_error("rich messages are not supported by the emulator")
        if "text" not in stored.message:
            raise state_error("there is no text in the message to edit")
        text, entities = format_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        return self._edit(chat, stored, {"text": text, "entities": entities or None}, params)

    async def edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, stored = self._editable(params)
        if not any(kind in stored.message for kind in _MEDIA_KINDS):
            raise state_error("there is no caption in the message to edit")
        caption = self._caption(params)
        changes = {
            "caption": caption.get("caption"),
            "caption_entities": caption.get("caption_entities"),
        }
        return self._edit(chat, stored, changes, params)

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, stored = self._editable(params)
        return self._edit(chat, stored, {}, params)

    async def delete_message(self, params: dict[str, Any]) -> bool:
        chat = self.find_chat(params["chat_id"])
        self._delete(chat, params["message_id"])
        return True

    async def delete_messages(self, params: dict[str, Any]) -> bool:
        chat = self.find_chat(params["chat_id"])
        for message_id in params["message_ids"]:
            # Telegram skips the messages it cannot delete.
            if chat.live_message(message_id) is not None:
                self._delete(chat, message_id)
        return True

    def _send(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat = self.writable_chat(params["chat_id"])
        reply = self._replied_message(chat, params.get("reply_parameters"))
        if reply is not None:
            content["reply_to_message"] = reply
        markup = params.get("reply_markup")
        inline = inline_markup(markup)
        if inline is not None:
            content["reply_markup"] = inline
        elif markup is not None and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        if params.get("protect_content"):
            content["has_protected_content"] = True
        stored = self.add_message(chat, self.bot, content)
        return copy.deepcopy(stored.message)

    def _replied_message(
        self, chat: ChatRecord, reply: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        if reply is None:
            return None
        source = self.find_chat(reply["chat_id"]) if "chat_id" in reply else chat
        stored = source.live_message(reply["message_id"])
        if stored is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise state_error("message to be replied not found")
        replied = copy.deepcopy(stored.message)
        replied.pop("reply_to_message", None)
        return replied

    def _caption(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("caption"):
            return {}
        text, entities = format_text(
            params["caption"], params.get("parse_mode"), params.get("caption_entities")
        )
        found: dict[str, Any] = {"caption": text} if text else {}
        if text and entities:
            found["caption_entities"] = entities
        if text and params.get("show_caption_above_media"):
            found["show_caption_above_media"] = True
        return found

    def _input_file(self, value: UploadedFile | str, kind: str, max_bytes: int) -> StoredFile:
        """A file sent by upload, by file_id, or by HTTP URL (not fetched: stored empty)."""
        if isinstance(value, UploadedFile):
            if not value.data:
                raise state_error("file must be non-empty")
            if len(value.data) > max_bytes:
                raise ApiError(413, "Request Entity Too Large")
            return self.files.add(
                kind, value.data, file_name=value.filename, mime_type=_mime(value, kind)
            )
        known = self.files.get(value)
        if known is not None:
            return known
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return self.files.add(kind, b"", file_name=name, url=value)
        raise state_error("wrong file identifier/HTTP URL specified")

    def _editable(self, params: dict[str, Any]) -> tuple[ChatRecord, StoredMessage]:
        if "chat_id" not in params:
            raise state_error("MESSAGE_ID_INVALID")
        chat = self.writable_chat(params["chat_id"])
        stored = chat.live_message(params["message_id"])
        if stored is None:
            raise state_error("message to edit not found")
        if not stored.from_bot:
            raise state_error("message can't be edited")
        return chat, stored

    def _edit(
        self,
        chat: ChatRecord,
        stored: StoredMessage,
        changes: dict[str, Any],
        params: dict[str, Any],
    ) -> dict[str, Any]:
        edited = copy.deepcopy(stored.message)
        changes = {**changes, "reply_markup": inline_markup(params.get("reply_markup"))}
        for key, value in changes.items():
            if value is None:
                edited.pop(key, None)
            else:
                edited[key] = value
        if all(edited.get(key) == stored.message.get(key) for key in changes):
            raise state_error(_NOT_MODIFIED)
        edited["edit_date"] = self.now()
        stored.message = edited
        self.touch(chat)
        return copy.deepcopy(edited)

    def _delete(self, chat: ChatRecord, message_id: int) -> None:
        stored = chat.live_message(message_id)
        if stored is None:
            raise state_error("message to delete not found")
        if chat.type != "private" and not stored.from_bot:
            raise state_error("message can't be deleted")
        stored.deleted = True
        self.touch(chat)


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The inline keyboard a message shows, or None (an empty keyboard shows nothing)."""
    if markup is None or not markup.get("inline_keyboard"):
        return None
    return markup


def photo_size(stored: StoredFile, width: int, height: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
        "file_size": len(stored.data),
    }


def _mime(upload: UploadedFile, kind: str) -> str | None:
    if kind == "photo":
        return "image/jpeg"
    if upload.content_type and upload.content_type != "application/octet-stream":
        return upload.content_type
    return None
