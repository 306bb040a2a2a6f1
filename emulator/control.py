"""JSON control endpoints under ``/_emulator/``, so another process can drive the emulator.

Users (body: a JSON object; every endpoint also accepts the sender options first_name,
last_name, username, language_code, chat_id, chat_type, reply_to_message_id):
    POST /_emulator/users/{id}/text      {"text": ...}                        -> Message
    POST /_emulator/users/{id}/location  {"latitude": ..., "longitude": ...}  -> Message
    POST /_emulator/users/{id}/contact   {"phone_number": ...}                -> Message
    POST /_emulator/users/{id}/photo     {"caption": ...} (optional)          -> Message
    POST /_emulator/users/{id}/press     {"message_id": N, "callback_data": ... | "label": ...
                                          | "data": ... (sent as is), "chat_id": N}
                                                                 -> {"callback_query_id": ...}
    POST /_emulator/users/{id}/block, /_emulator/users/{id}/unblock       -> {"ok": true}
Observation:
    GET  /_emulator/chats/{id}/messages?after=N&wait=SECONDS&revision=R
         the bot's messages from number N on (current versions, deleted ones included and
         listed in "deleted_message_ids"); waits up to SECONDS until there is one, or until the
         chat changes after revision R (edits, deletions) -> {"messages", "count", "revision",
         "deleted_message_ids"}
    GET  /_emulator/calls?method=NAME&after=N         -> {"calls": [...]}
    GET  /_emulator/commands?scope=TYPE&lang=CODE&chat_id=N&user_id=N -> {"commands": [...]}
    GET  /_emulator/callbacks/{id}                    -> {"answer": ... | null}
    GET  /_emulator/stats                             -> counters
Control:
    POST /_emulator/fail {"method", "error_code", "description", "retry_after", "times"}
Errors answer 400 with ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.errors import EmulatorUsageError
from emulator.users import SenderOptions

if TYPE_CHECKING:
    from emulator.core import BotApiEmulator

_OPTION_TYPES: dict[str, type] = {
    "first_name": str,
    "last_name": str,
    "username": str,
    "language_code": str,
    "chat_id": int,
    "chat_type": str,
    "reply_to_message_id": int,
}
_MAX_WAIT = 60.0


class _BadControlRequest(ValueError):
    pass


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    control = _Control(emulator)
    routes = [
        web.post("/_emulator/users/{user_id}/text", control.text),
        web.post("/_emulator/users/{user_id}/location", control.location),
        web.post("/_emulator/users/{user_id}/contact", control.contact),
        web.post("/_emulator/users/{user_id}/photo", control.photo),
        web.post("/_emulator/users/{user_id}/press", control.press),
        web.post("/_emulator/users/{user_id}/block", control.block),
        web.post("/_emulator/users/{user_id}/unblock", control.unblock),
        web.get("/_emulator/chats/{chat_id}/messages", control.messages),
        web.get("/_emulator/calls", control.calls),
        web.get("/_emulator/commands", control.commands),
        web.get("/_emulator/callbacks/{callback_query_id}", control.callback),
        web.get("/_emulator/stats", control.stats),
        web.post("/_emulator/fail", control.fail),
    ]
    app.router.add_routes([_guarded(route) for route in routes])


def _guarded(route: web.RouteDef) -> web.RouteDef:
    handler = route.handler

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ValueError, EmulatorUsageError, KeyError, TypeError) as error:
            reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
            return web.json_response({"ok": False, "error": reason}, status=400)

    return web.RouteDef(route.method, route.path, guarded, route.kwargs)


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise _BadControlRequest("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _BadControlRequest("the body must be a JSON object")
    return body


def _options(body: dict[str, Any], *own: str) -> SenderOptions:
    options: dict[str, Any] = {}
    for key, value in body.items():
        if key in own:
            continue
        expected = _OPTION_TYPES.get(key)
        if expected is None or not isinstance(value, expected) or isinstance(value, bool):
            raise _BadControlRequest(f"unexpected or mistyped field {key!r}")
        options[key] = value
    sender: SenderOptions = options  # type: ignore[assignment]
    return sender


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise _BadControlRequest(f"{name} must be an integer") from None


class _Control:
    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def _user_id(self, request: web.Request) -> int:
        return _int(request.match_info["user_id"], "user id")

    async def text(self, request: web.Request) -> web.Response:
        body = await _body(request)
        message = self.emulator.user_sends_text(
            self._user_id(request), str(body["text"]), **_options(body, "text")
        )
        return web.json_response(message)

    async def location(self, request: web.Request) -> web.Response:
        body = await _body(request)
        message = self.emulator.user_sends_location(
            self._user_id(request),
            float(body["latitude"]),
            float(body["longitude"]),
            **_options(body, "latitude", "longitude"),
        )
        return web.json_response(message)

    async def contact(self, request: web.Request) -> web.Response:
        body = await _body(request)
        message = self.emulator.user_sends_contact(
            self._user_id(request), str(body["phone_number"]), **_options(body, "phone_number")
        )
        return web.json_response(message)

    async def photo(self, request: web.Request) -> web.Response:
        body = await _body(request)
        caption = body.get("caption")
        message = self.emulator.user_sends_photo(
            self._user_id(request),
            caption=str(caption) if caption is not None else None,
            **_options(body, "caption"),
        )
        return web.json_response(message)

    async def press(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user_id, message_id = self._user_id(request), int(body["message_id"])
        chat_id = int(body["chat_id"]) if "chat_id" in body else None
        if "callback_data" in body:
            query_id = self.emulator.user_presses(
                user_id, message_id, str(body["callback_data"]), chat_id=chat_id
            )
        elif "label" in body:
            query_id = self.emulator.user_presses_label(
                user_id, message_id, str(body["label"]), chat_id=chat_id
            )
        else:
            query_id = self.emulator.user_sends_callback(
                user_id, str(body["data"]), message_id=message_id, chat_id=chat_id
            )
        return web.json_response({"callback_query_id": query_id})

    async def block(self, request: web.Request) -> web.Response:
        self.emulator.user_blocks_bot(self._user_id(request))
        return web.json_response({"ok": True})

    async def unblock(self, request: web.Request) -> web.Response:
        self.emulator.user_unblocks_bot(self._user_id(request))
        return web.json_response({"ok": True})

    async def messages(self, request: web.Request) -> web.Response:
        chat_id = _int(request.match_info["chat_id"], "chat id")
        after = _int(request.query.get("after", "0"), "after")
        revision = request.query.get("revision")
        wait = min(float(request.query.get("wait", "0")), _MAX_WAIT)
        known = _int(revision, "revision") if revision is not None else None

        def changed() -> bool:
            chat = self.emulator.chats.get(chat_id)
            if chat is None:
                return False
            return len(chat.bot_message_ids) > after or (
                known is not None and chat.revision > known
            )

        await self.emulator.changes.wait_for(changed, wait)
        chat = self.emulator.chats.get(chat_id)
        messages = self.emulator.bot_messages(chat_id, include_deleted=True)[after:]
        deleted = [
            message_id
            for message_id in (chat.bot_message_ids if chat else [])
            if chat is not None and chat.messages[message_id].deleted
        ]
        return web.json_response(
            {
                "messages": messages,
                "count": self.emulator.bot_message_count(chat_id),
                "revision": chat.revision if chat else 0,
                "deleted_message_ids": deleted,
            }
        )

    async def calls(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        calls = self.emulator.calls_to(method) if method else self.emulator.calls
        after = _int(request.query.get("after", "0"), "after")
        return web.json_response({"calls": [call.to_json() for call in calls[after:]]})

    async def commands(self, request: web.Request) -> web.Response:
        query = request.query
        chat_id = _int(query["chat_id"], "chat_id") if "chat_id" in query else None
        user_id = _int(query["user_id"], "user_id") if "user_id" in query else None
        found = self.emulator.commands(
            query.get("scope") or "default", query.get("lang", ""), chat_id=chat_id, user_id=user_id
        )
        return web.json_response({"commands": found})

    async def callback(self, request: web.Request) -> web.Response:
        answer = self.emulator.callback_answer(request.match_info["callback_query_id"])
        return web.json_response({"answer": answer})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.stats())

    async def fail(self, request: web.Request) -> web.Response:
        body = await _body(request)
        retry_after = body.get("retry_after")
        self.emulator.fail_next(
            str(body["method"]),
            int(body["error_code"]),
            str(body["description"]),
            retry_after=int(retry_after) if retry_after is not None else None,
            times=int(body.get("times", 1)),
        )
        return web.json_response({"ok": True})
