"""Webhook mode: Telegram POSTs each update to WEBHOOK_BASE_URL + WEBHOOK_PATH.

A delivery is answered only once its update was handled, so an update in hand when the
process dies is delivered again. A request without the right secret header gets 401 and
is not read; an update_id seen recently is answered without being handled twice. One
user's updates are handled one at a time in the order they arrive, different users' at
once, as in long polling. On stop, new deliveries get 503 (Telegram keeps them for the
next start) and the ones in hand are finished first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.runtime.monitor import PollingMonitor
from bot.runtime.ordering import InOrder  # the same ordering as long polling
from bot.settings import Settings
from bot.webapp.server import MiniApp

log = logging.getLogger(__name__)

# A header's name, not a secret (bandit B105).
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # nosec B105
# Telegram redelivers an update only while it is unanswered, oldest first, with at most
# `max_connections` deliveries open at once: a repeat comes within minutes and always
# among the last few hundred ids. Ten thousand covers hours of this programme's traffic.
REMEMBERED_UPDATES = 10_000
# Each update holds a database connection or two: fewer at once than the pool has.
CONCURRENCY = 8
# Bounds what Telegram may have open towards us; well above CONCURRENCY, so a slow user
# does not hold up the others.
MAX_CONNECTIONS = 40


class WebhookListenError(Exception):
    """WEBHOOK_LISTEN cannot be served (address in use, not ours, ...)."""


class WebhookReceiver:
    """The aiohttp endpoint: checks, de-duplicates, orders and handles deliveries."""

    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        secret: str,
        monitor: PollingMonitor | None = None,
        *,
        concurrency: int = CONCURRENCY,
        remembered: int = REMEMBERED_UPDATES,
    ) -> None:
        self._bot = bot
        self._dp = dispatcher
        self._secret = secret.encode()
        self._monitor = monitor
        self._order = InOrder(self._handle, concurrency)
        self._remembered = remembered
        self._recent: OrderedDict[int, asyncio.Future[None]] = OrderedDict()
        self._in_hand: set[asyncio.Future[None]] = set()
        self._closing = False
        self.handled = 0

    def application(self, path: str, mini_app: MiniApp | None = None) -> web.Application:
        app = web.Application()
        app.router.add_post(path, self.receive)
        if mini_app is not None:
            mini_app.mount(app)
        return app

    async def receive(self, request: web.Request) -> web.Response:
        if self._closing:
            return web.Response(status=503, text="stopping")
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook: a request without the right secret was refused")
            return web.Response(status=401, text="unauthorized")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self._bot})
        except (ValueError, ValidationError):
            return web.Response(status=400, text="not an update")
        if self._monitor is not None:
            self._monitor.touch()
        earlier = self._recent.get(update.update_id)
        if earlier is not None:
            # Telegram's answer was lost: this one is done (or about to be) already.
            await asyncio.shield(earlier)
            return web.Response()
        done = self._remember(update.update_id)
        try:
            await self._order.submit(update)
        finally:
            done.set_result(None)
            self._in_hand.discard(done)
        return web.Response()

    def _remember(self, update_id: int) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._recent[update_id] = done
        self._in_hand.add(done)
        while len(self._recent) > self._remembered:
            self._recent.popitem(last=False)
        return done

    async def _handle(self, update: Update) -> None:
        try:
            await self._dp.feed_update(self._bot, update)
        except Exception:
            # As in long polling: the error handlers had their chance; a delivery that
            # failed again and again would only hold up the ones behind it.
            log.exception("update %s was not handled", update.update_id)
        self.handled += 1

    async def drain(self) -> None:
        """Refuses new deliveries and waits for the ones in hand."""
        self._closing = True
        if self._in_hand:
            await asyncio.wait(set(self._in_hand))


async def serve_webhook(
    bot: Bot,
    dispatcher: Dispatcher,
    settings: Settings,
    monitor: PollingMonitor,
    stop: asyncio.Event,
    mini_app: MiniApp | None = None,
) -> None:
    """Listens on WEBHOOK_LISTEN, registers the webhook, and serves until `stop` (with the
    Mini App beside the webhook when there is one)."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    receiver = WebhookReceiver(bot, dispatcher, secret, monitor)
    runner = await start_listening(receiver.application(settings.webhook_path, mini_app), settings)
    host, port = settings.webhook_address
    try:
        await bot.set_webhook(
            settings.webhook_url,
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
            max_connections=MAX_CONNECTIONS,
            drop_pending_updates=False,
        )
        log.info("webhook registered at %s, listening on %s:%s", settings.webhook_url, host, port)
        watch = asyncio.create_task(watch_deliveries(bot, settings.webhook_url, monitor, stop))
        try:
            await stop.wait()
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        # The webhook stays registered: Telegram keeps what arrives meanwhile for the next start.
        await receiver.drain()
    finally:
        await runner.cleanup()


async def start_listening(app: web.Application, settings: Settings) -> web.AppRunner:
    """Serves `app` on WEBHOOK_LISTEN; WebhookListenError when the address cannot be had."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, port = settings.webhook_address
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise WebhookListenError(f"WEBHOOK_LISTEN {host}:{port}: {error.strerror}") from None
    return runner


@contextlib.asynccontextmanager
async def serving_mini_app(mini_app: MiniApp, settings: Settings) -> AsyncIterator[None]:
    """Long polling with PUBLIC_BASE_URL set: the Mini App alone on WEBHOOK_LISTEN, listening
    before the first poll, so an address already taken stops the start."""
    runner = await start_listening(mini_app.application(), settings)
    host, port = settings.webhook_address
    log.info("Mini App at %s, listening on %s:%s", settings.public_base_url, host, port)
    try:
        yield
    finally:
        await runner.cleanup()


async def watch_deliveries(
    bot: Bot, url: str, monitor: PollingMonitor, stop: asyncio.Event
) -> None:
    """Asks Telegram now and then whether deliveries reach us, for /healthz."""
    interval = max(1.0, monitor.allowed_silence / 3)
    while not stop.is_set():
        try:
            info = await bot.get_webhook_info()
        except Exception as error:
            log.warning("getWebhookInfo failed: %s", error)
        else:
            failing = (
                info.last_error_date is not None
                and info.pending_update_count > 0
                and (time.time() - info.last_error_date.timestamp()) < monitor.allowed_silence
            )
            if info.url != url:
                log.error("the webhook registered with Telegram is %r, not ours", info.url)
            elif failing:
                log.error("Telegram cannot deliver updates: %s", info.last_error_message)
            else:
                monitor.touch()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
