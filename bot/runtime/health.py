"""The /healthz endpoint: is the database reachable and is the bot receiving updates?"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.monitor import PollingMonitor

log = logging.getLogger(__name__)


def create_health_app(engine: AsyncEngine, monitor: PollingMonitor) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        database = await _database_ok(engine)
        updates = monitor.alive()
        body = {
            "database": "ok" if database else "unreachable",
            "updates": "ok" if updates else "stalled",
        }
        return web.json_response(body, status=200 if database and updates else 503)

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    return app


async def _database_ok(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        log.warning("health check: database unreachable: %s", type(error).__name__)
        return False
    return True


async def start_health_server(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
