"""The web chat: a page where a person talks to the bot as one of the emulator's users.

``WebChatServer`` is the emulator's server (server.py) with these routes added:
    GET  /                                   the page (static/index.html)
    GET  /static/{file}                      its script and style sheet
    GET  /_webchat/config                    what the page offers: personas, languages,
                                             neighbourhoods to send a location from
    GET  /_webchat/chats/{id}?revision=R&wait=SECONDS
         the user's private chat as they see it: every live message (theirs and the bot's),
         the reply keyboard on show and the command menu; waits up to SECONDS for the chat to
         change after revision R -> {"revision", "messages": [{"from_bot", "message"}],
         "reply_keyboard", "commands"}
    POST /_webchat/users/{id}/language       {"language_code": ...}: the user's Telegram language
    GET  /_webchat/callbacks/{id}?wait=SECONDS  the bot's answer to a pressed button, once given
    GET  /_webchat/files/{file_id}           a photo (inline) or a document (a download)
    POST /_webchat/users/{id}/webapp         {"url": ...}: a Mini App's address as Telegram
                                             opens it for the user, initData signed with the
                                             bot's token (webapps.py) -> {"url"}
    GET  /js/telegram-web-app.js             a stand-in for Telegram's script (the demo is
                                             offline): window.Telegram.WebApp for the Mini App
The page sends through the control endpoints (control.py). It renders the bot's messages from
their text and entities, never from markup, so nothing the bot sends can inject HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from emulator.core import BotApiEmulator
from emulator.errors import EmulatorUsageError
from emulator.server import EmulatorServer
from emulator.state import ChatRecord
from emulator.webapps import launch_url, sign_init_data

STATIC_DIR = Path(str(files("emulator") / "static"))
_MAX_WAIT = 30.0
# Only what the page itself serves: no inline script, nothing from elsewhere; the one frame
# is the bot's Mini App, opened over HTTPS or on this machine.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src https: http://127.0.0.1:* http://localhost:*; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class WebChatServer(EmulatorServer):
    """The emulator behind HTTP, with the web chat; ``config`` is what the page offers."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        config: dict[str, Any],
        bot_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(emulator)
        self.config = config
        # The Unix time as the bot sees it (the demo's clock may be moved): a Mini App's
        # sign-in is dated by it, so that the bot does not find it expired.
        self.bot_clock = bot_clock or emulator.wall_clock

    def make_app(self) -> web.Application:
        app = super().make_app()
        add_webchat_routes(app, self.emulator, self.config, self.bot_clock)
        return app


def add_webchat_routes(
    app: web.Application,
    emulator: BotApiEmulator,
    config: dict[str, Any],
    bot_clock: Callable[[], float] | None = None,
) -> None:
    chat = _WebChat(emulator, config, bot_clock or emulator.wall_clock)
    app.router.add_get("/", chat.page)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    app.router.add_get("/_webchat/config", chat.config_view)
    app.router.add_get("/_webchat/chats/{chat_id}", chat.chat_view)
    app.router.add_post("/_webchat/users/{user_id}/language", chat.language)
    app.router.add_get("/_webchat/callbacks/{callback_query_id}", chat.callback)
    app.router.add_get("/_webchat/files/{file_id}", chat.file)
    app.router.add_post("/_webchat/users/{user_id}/webapp", chat.web_app)
    app.router.add_get("/js/telegram-web-app.js", chat.telegram_script)


def _number(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer") from None


def _wait(request: web.Request) -> float:
    try:
        return max(0.0, min(float(request.query.get("wait", "0")), _MAX_WAIT))
    except ValueError:
        raise web.HTTPBadRequest(text="wait must be a number of seconds") from None


class _WebChat:
    def __init__(
        self, emulator: BotApiEmulator, config: dict[str, Any], bot_clock: Callable[[], float]
    ) -> None:
        self.emulator = emulator
        self.config = config
        self.bot_clock = bot_clock

    async def page(self, request: web.Request) -> web.StreamResponse:
        response = web.FileResponse(STATIC_DIR / "index.html")
        response.headers["Content-Security-Policy"] = _PAGE_POLICY
        response.headers["Cache-Control"] = "no-store"
        return response

    async def config_view(self, request: web.Request) -> web.Response:
        return web.json_response(self.config)

    async def chat_view(self, request: web.Request) -> web.Response:
        chat_id = _number(request.match_info["chat_id"], "chat id")
        known = _number(request.query.get("revision", "-1"), "revision")

        def changed() -> bool:
            chat = self.emulator.chats.get(chat_id)
            return self.emulator.closing or (chat.revision if chat else 0) > known

        await self.emulator.changes.wait_for(changed, _wait(request))
        chat = self.emulator.chats.get(chat_id)
        if chat is None:
            return web.json_response(
                {"revision": 0, "messages": [], "reply_keyboard": None, "commands": []}
            )
        messages = [
            {"from_bot": stored.from_bot, "message": stored.message}
            for _, stored in sorted(chat.messages.items())
            if not stored.deleted
        ]
        return web.json_response(
            {
                "revision": chat.revision,
                "messages": messages,
                "reply_keyboard": self._reply_keyboard(chat),
                "commands": self._commands(chat),
            }
        )

    async def language(self, request: web.Request) -> web.Response:
        user_id = _number(request.match_info["user_id"], "user id")
        body = await request.json()
        code = body.get("language_code") if isinstance(body, dict) else None
        if not isinstance(code, str):
            raise web.HTTPBadRequest(text="language_code must be a string")
        self.emulator.register_user(user_id, language_code=code)
        return web.json_response({"ok": True})

    async def callback(self, request: web.Request) -> web.Response:
        query_id = request.match_info["callback_query_id"]
        if query_id not in self.emulator.callback_queries:
            raise web.HTTPNotFound(text="no such callback query")

        def answered() -> bool:
            return self.emulator.closing or self.emulator.callback_answer(query_id) is not None

        await self.emulator.changes.wait_for(answered, _wait(request))
        return web.json_response({"answer": self.emulator.callback_answer(query_id)})

    async def file(self, request: web.Request) -> web.Response:
        stored = self.emulator.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text="no such file")
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        disposition = "inline" if stored.kind == "photo" else "attachment"
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def web_app(self, request: web.Request) -> web.Response:
        user = self.emulator.users.get(_number(request.match_info["user_id"], "user id"))
        body = await request.json()
        url = body.get("url") if isinstance(body, dict) else None
        if user is None:
            raise web.HTTPNotFound(text="no such user")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise web.HTTPBadRequest(text="url must be a Mini App's http(s) address")
        person = {key: value for key, value in user.to_api().items() if key != "is_bot"}
        person["allows_write_to_pm"] = True
        signed = sign_init_data(self.emulator.token, person, int(self.bot_clock()))
        return web.json_response({"url": launch_url(url, signed)})

    async def telegram_script(self, request: web.Request) -> web.StreamResponse:
        response = web.FileResponse(STATIC_DIR / "telegram-web-app.js")
        response.headers["Content-Type"] = "text/javascript"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Loaded by the Mini App, which is served from another port.
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    def _commands(self, chat: ChatRecord) -> list[dict[str, Any]]:
        try:
            return self.emulator.visible_commands(chat.id)
        except EmulatorUsageError:
            return []

    def _reply_keyboard(self, chat: ChatRecord) -> dict[str, Any] | None:
        """The keyboard the user's client shows: a one-time keyboard hides once they answered."""
        keyboard = chat.reply_keyboard
        if keyboard is None or not keyboard.get("one_time_keyboard"):
            return keyboard
        shown_with = self._keyboard_message_id(chat.id)
        answered = any(
            not stored.from_bot and message_id > shown_with
            for message_id, stored in chat.messages.items()
        )
        return None if answered else keyboard

    def _keyboard_message_id(self, chat_id: int) -> int:
        """The message that brought the chat's current reply keyboard."""
        for call in reversed(self.emulator.calls):
            markup = call.params.get("reply_markup")
            if (
                call.ok
                and call.params.get("chat_id") == chat_id
                and isinstance(markup, dict)
                and "keyboard" in markup
                and isinstance(call.result, dict)
            ):
                return int(call.result["message_id"])
        return 0
