"""``EmulatorServer``: the emulator behind real HTTP, for a bot using aiogram's AiohttpSession.

Routes:
    GET|POST /bot{token}/{method}      the Bot API; method names are case-insensitive; answers
                                       ``{"ok": true, "result": ...}`` or ``{"ok": false,
                                       "error_code": N, "description": ..., "parameters":
                                       {"retry_after": N}}`` with HTTP status N
    GET      /file/bot{token}/{path}   downloads of files returned by getFile
    /_emulator/...                     control endpoints for other processes (control.py)

Usage::

    async with EmulatorServer() as server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        bot = Bot(server.emulator.token, session=session)
        ...

or ``python -m emulator --port 8090``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from aiohttp import web

from emulator.control import add_control_routes
from emulator.core import BotApiEmulator
from emulator.errors import ApiError, InvalidRequest
from emulator.wire import read_request

_MAX_REQUEST_BYTES = 60 * 1024 * 1024  # above Telegram's 50 MB upload limit


class EmulatorServer:
    """An aiohttp server around a BotApiEmulator, bound to one host and port."""

    def __init__(self, emulator: BotApiEmulator | None = None, **emulator_options: Any) -> None:
        self.emulator = emulator or BotApiEmulator(**emulator_options)
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=_MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        add_control_routes(app, self.emulator)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on ``host:port`` (0 picks a free port) and return the bound port."""
        if self._runner is not None:
            raise RuntimeError("the server is already running")
        self.emulator.closing = False
        # Pending long polls are ended by stop(), so a short grace period is enough.
        runner = web.AppRunner(self.make_app(), shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._host = host
        self._port = int(runner.addresses[0][1])
        return self._port

    async def stop(self) -> None:
        """End long polls and webhook delivery, then close the listening socket."""
        await self.emulator.aclose()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """Base URL for ``TelegramAPIServer.from_base`` (or ``TELEGRAM_API_URL``)."""
        if self._runner is None:
            raise RuntimeError("the server is not running")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        try:
            try:
                params, files = await read_request(request)
            except InvalidRequest as error:
                self.emulator.reject(method, error)
                raise
            result = await self.emulator.handle(token, method, params, files)
        except ApiError as error:
            return web.json_response(error.to_response(), status=error.error_code)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.emulator.token:
            return web.json_response(ApiError(401, "Unauthorized").to_response(), status=401)
        stored = self.emulator.files.by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").to_response(), status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )
