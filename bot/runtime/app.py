"""Building and running the bot: factories for the Bot and the Dispatcher, and the main loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.types import LinkPreviewOptions
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, clock_from
from bot.i18n import locales_dir
from bot.outbox.sender import OutboxSender
from bot.runtime.health import create_health_app, start_health_server
from bot.runtime.lifecycle import Process, running_process
from bot.runtime.metrics import BotMetrics, MetricsMiddleware, add_metrics_route
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.runtime.scheduler import create_scheduler
from bot.runtime.send import running_sender
from bot.runtime.webhook import WebhookListenError, serve_webhook, serving_mini_app
from bot.services.people import retention, staff, users
from bot.services.people.users import ProfileCache
from bot.settings import Settings
from bot.telegram.context import CallbackAnswers, ContextMiddleware
from bot.telegram.conversations import conversation_store
from bot.telegram.faults import AnsweringMiddleware, TelegramFaults
from bot.telegram.fsm_storage import DatabaseStorage
from bot.telegram.held_replies import OutboxHolder
from bot.telegram.isolation import DatabaseEventIsolation
from bot.telegram.middlewares import LocaleMiddleware, ProfileMiddleware, SessionMiddleware
from bot.telegram.throttle import ThrottleMiddleware
from bot.telegram.time_limit import TimeLimitMiddleware
from bot.telegram.tuning.http_session import LeanSession
from bot.telegram.tuning.inline_filters import check_magic_filters_inline
from bot.telegram.tuning.responses import KeepResponseTypes
from bot.webapp.server import MiniApp
from handlers import create_root_router, webapp_routes
from handlers.basics.menu import register_commands
from handlers.broadcast.progress import PROGRESS_EVERY, AnnouncementProgress

log = logging.getLogger(__name__)


def create_bot(
    settings: Settings, session: BaseSession | None = None, faults: TelegramFaults | None = None
) -> Bot:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    tuned = settings.framework_tuning == "on"
    if session is None:
        api = TelegramAPIServer.from_base(settings.telegram_api_url)
        session = LeanSession(api=api) if tuned else AiohttpSession(api=api)
    session.middleware(faults or TelegramFaults())
    if tuned:
        session.middleware(KeepResponseTypes())
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )


def create_storage(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession], clock: Clock
) -> BaseStorage:
    """Conversation state survives a restart: in Redis when configured, else in the database.

    In Redis it expires after the retention period the nightly job applies to the database.
    """
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(
            settings.redis_url,
            key_builder=DefaultKeyBuilder(with_destiny=True),
            state_ttl=retention.CONVERSATIONS,
            data_ttl=retention.CONVERSATIONS,
        )
    return DatabaseStorage(session_factory, clock)


def create_isolation(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> BaseEventIsolation:
    """One conversation's updates one at a time, across processes (bot/telegram/isolation.py)."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation

        return RedisEventIsolation.from_url(settings.redis_url)
    # Long polling is one process per bot (Telegram answers a second poller with 409), so
    # the lock within the process is enough; webhook deliveries may reach several replicas.
    polling = settings.webhook_url is None
    return DatabaseEventIsolation(None if polling else session_factory.kw.get("bind"))


def create_i18n(settings: Settings) -> I18n:
    return I18n(path=locales_dir(), default_locale=settings.default_locale, domain="messages")


def create_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,
    storage: BaseStorage | None = None,
) -> Dispatcher:
    storage = storage or DatabaseStorage(session_factory, clock)
    dispatcher = Dispatcher(
        storage=storage, events_isolation=create_isolation(settings, session_factory)
    )
    i18n = create_i18n(settings)
    metrics = BotMetrics()
    # A handler's Bot API calls, and the apology's, are answers (bot/telegram/faults.py).
    holder = OutboxHolder(session_factory, clock)
    _outermost(dispatcher, AnsweringMiddleware(holder))
    dispatcher.shutdown.register(holder.close)
    dispatcher.update.outer_middleware(MetricsMiddleware(metrics))
    # Outside the session's middleware, so a cut-off update's transaction is rolled back.
    dispatcher.update.outer_middleware(TimeLimitMiddleware(settings.update_time_limit))
    dispatcher.update.outer_middleware(SessionMiddleware(session_factory))
    profiles = ProfileCache()
    dispatcher.update.outer_middleware(ProfileMiddleware(clock, profiles))
    throttle = ThrottleMiddleware(i18n, settings.default_locale)
    dispatcher.update.outer_middleware(throttle)
    LocaleMiddleware(i18n, settings.default_locale).setup(dispatcher)
    ContextMiddleware(settings, clock).setup(dispatcher)
    dispatcher.callback_query.middleware(CallbackAnswers())
    dispatcher.include_router(create_root_router())
    dispatcher.workflow_data.update(
        settings=settings,
        clock=clock,
        session_factory=session_factory,
        i18n=i18n,
        profiles=profiles,
        metrics=metrics,
        throttle=throttle,
        conversations=conversation_store(storage, clock),
    )
    if settings.framework_tuning == "on":
        check_magic_filters_inline(dispatcher)
    return dispatcher


def _outermost(dispatcher: Dispatcher, middleware: BaseMiddleware) -> None:
    """Puts `middleware` around aiogram's own, its error handling included."""
    registered = list(dispatcher.update.outer_middleware)
    for each in registered:
        dispatcher.update.outer_middleware.unregister(each)
    dispatcher.update.outer_middleware(middleware)
    for each in registered:
        dispatcher.update.outer_middleware(each)


async def run_bot(settings: Settings) -> int:
    """Migrates, then polls (or serves the webhook) until SIGTERM/SIGINT; returns the exit code."""
    async with running_process(settings.database_url) as process:
        return await bot_until_stopped(settings, process)


async def bot_until_stopped(settings: Settings, process: Process) -> int:
    """Polls (or serves the webhook) until the process stops; returns its exit code."""
    clock = clock_from(settings.clock_file)
    faults = TelegramFaults()
    bot = create_bot(settings, faults=faults)
    sessions = process.sessions
    dispatcher = create_dispatcher(
        settings, sessions, clock, create_storage(settings, sessions, clock)
    )
    monitor = PollingMonitor(allowed_silence=settings.polling_timeout + 15)
    host, port = settings.health_address
    try:
        app = add_metrics_route(
            create_health_app(process.engine, monitor), dispatcher["metrics"], sessions
        )
        health = await start_health_server(app, host, port)
    except OSError as error:
        log.critical("HEALTH_LISTEN %s:%s cannot be served: %s", host, port, error.strerror)
        await bot.session.close()
        return 1
    # In webhook mode a revoked token shows only in the answers: any 401 stops the bot.
    faults.on_unauthorized = process.refuse_token
    try:
        await _serve(
            bot, dispatcher, sessions, settings, clock, monitor, process.stop, faults.unauthorized
        )
    except TelegramUnauthorizedError:
        process.refuse_token()
    except WebhookListenError as error:
        log.critical("%s cannot be served", error)
        return 1
    finally:
        await health.cleanup()
        await dispatcher.storage.close()
        await dispatcher.fsm.events_isolation.close()
        await bot.session.close()
    return process.exit_code()


async def _serve(
    bot: Bot,
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    monitor: PollingMonitor,
    stop: asyncio.Event,
    on_unauthorized: Callable[[], None],
) -> None:
    me = await bot.get_me()
    log.info("running as @%s", me.username)
    if settings.webhook_url is None:
        await bot.delete_webhook(drop_pending_updates=False)
    async with sessions() as session:
        tutor_ids, admin_ids, other_ids = await staff.staff_by_audience(session, settings.admin_ids)
        chosen = await users.chosen_languages(session, tutor_ids | admin_ids | other_ids)
    await register_commands(bot, dispatcher["i18n"], tutor_ids, admin_ids, chosen, other_ids)
    await dispatcher.emit_startup(bot=bot, **dispatcher.workflow_data)
    # What start-up loaded lives as long as the process: the collector need not scan it.
    gc.freeze()
    poller = Poller(bot, dispatcher, monitor, timeout=settings.polling_timeout)
    mini_app = create_mini_app(settings, sessions, clock)
    try:
        outbox = running_outbox(
            bot, sessions, clock, settings, dispatcher["i18n"], on_unauthorized=on_unauthorized
        )
        async with outbox:
            if settings.webhook_url is not None:
                await serve_webhook(bot, dispatcher, settings, monitor, stop, mini_app)
            elif mini_app is not None:
                async with serving_mini_app(mini_app, settings):
                    await poller.run(stop)
            else:
                await poller.run(stop)
    finally:
        await dispatcher.emit_shutdown(bot=bot, **dispatcher.workflow_data)


def create_mini_app(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> MiniApp | None:
    """The staff Mini App, when PUBLIC_BASE_URL says where it is served."""
    if settings.public_base_url is None:
        return None
    return MiniApp(settings, sessions, clock, webapp_routes())


@contextlib.asynccontextmanager
async def running_outbox(
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    settings: Settings,
    i18n: I18n,
    on_unauthorized: Callable[[], None] | None = None,
) -> AsyncIterator[OutboxSender | None]:
    """The bot's scheduled work and, unless OUTBOX_SENDER=separate, the outbox sender.

    On exit, in-flight sends finish. With a separate sender (`quartiere-bot send`) there is
    no sender here (None) and no outbox tick; progress, digest and retention stay.
    """
    progress = AnnouncementProgress(bot, sessions, clock, settings, i18n)
    scheduler = create_scheduler(
        settings, sessions, clock, progress.tick, progress_every=PROGRESS_EVERY
    )
    async with contextlib.AsyncExitStack() as stack:
        sender = None
        if settings.outbox_sender == "inline":
            sender = await stack.enter_async_context(
                running_sender(sessions, clock, settings, scheduler, on_unauthorized)
            )
        scheduler.start()
        try:
            yield sender
        finally:
            scheduler.shutdown(wait=False)
