"""The Mini App on an aiohttp application: the page, its script and style, the API.

Every `/api/...` call carries `Authorization: tma <initData>` (signin.py): 401
`{"error": "signin"}` without a valid one, 403 `{"error": "forbidden"}` when the route's
role is not the actor's. The page is plain files (static/), its texts come from the API in
the caller's language, and its Content-Security-Policy allows no inline script and only
Telegram's clients to frame it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.i18n import gettext as _
from bot.i18n import resolve_locale, use_locale
from bot.services.people import users
from bot.services.people.roles import actor_of
from bot.settings import Settings
from bot.webapp.routing import ApiCall, ApiRoute, ChangedMeanwhile, FormRefused
from bot.webapp.signin import SignInRefused, signed_in_user
from bot.webapp.texts import page_texts

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("bot.webapp") / "static"))
TELEGRAM_ORIGIN = "https://telegram.org"
TELEGRAM_SCRIPT = "/js/telegram-web-app.js"  # where Telegram serves it, and the demo too
# Telegram's web clients frame the Mini App; its apps open it in their own web view.
TELEGRAM_CLIENTS = "https://web.telegram.org https://*.telegram.org"
# The page's own files and what they are.
_FILES = MappingProxyType(
    {
        "app.js": "text/javascript",
        "common.js": "text/javascript",
        "hubs.js": "text/javascript",
        "events.js": "text/javascript",
        "projects.js": "text/javascript",
        "staff.js": "text/javascript",
        "app.css": "text/css",
    },
)
_SCRIPT_SLOT = "{{telegram_script}}"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _security_headers(settings: Settings) -> dict[str, str]:
    local = settings.telegram_web_origin
    script_from = f"{TELEGRAM_ORIGIN} {local}" if local else TELEGRAM_ORIGIN
    framed_by = f"{TELEGRAM_CLIENTS} {local}" if local else TELEGRAM_CLIENTS
    policy = (
        f"default-src 'none'; script-src 'self' {script_from}; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {framed_by}"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


class MiniApp:
    """The Mini App's routes, ready to be added to the application on WEBHOOK_LISTEN."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        routes: Sequence[ApiRoute],
    ) -> None:
        assert settings.mini_app_path is not None and settings.bot_token is not None
        self._settings = settings
        self._sessions = sessions
        self._clock = clock
        self._routes = tuple(routes)
        self._token = settings.bot_token.get_secret_value()
        self._headers = _security_headers(settings)
        origin = settings.telegram_web_origin or TELEGRAM_ORIGIN
        page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
        self._page = page.replace(_SCRIPT_SLOT, origin + TELEGRAM_SCRIPT)
        self.base = settings.mini_app_path

    def mount(self, app: web.Application) -> None:
        base = self.base
        if base != "/":
            app.router.add_get(base.rstrip("/"), self._to_base)
        app.router.add_get(base, self.page)
        app.router.add_get(base + "static/{name}", self.static)
        app.router.add_get(base + "api/texts", self.texts)
        for route in self._routes:
            app.router.add_route(route.method, f"{base}api/{route.path}", self._endpoint(route))

    def application(self) -> web.Application:
        app = web.Application()
        self.mount(app)
        return app

    def _respond(self, response: web.StreamResponse) -> web.StreamResponse:
        response.headers.update(self._headers)
        return response

    def _json(self, body: dict[str, Any], status: int = 200) -> web.StreamResponse:
        return self._respond(web.json_response(body, status=status))

    async def _to_base(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(self.base)

    async def page(self, request: web.Request) -> web.StreamResponse:
        return self._respond(web.Response(text=self._page, content_type="text/html"))

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        kind = _FILES.get(name)
        if kind is None:
            return self._respond(web.Response(status=404, text="not found"))
        response = web.FileResponse(STATIC_DIR / name, headers={"Content-Type": kind})
        return self._respond(response)

    async def texts(self, request: web.Request) -> web.StreamResponse:
        """The page's texts before (or without) a sign-in: by the language the page asks."""
        default = self._settings.default_locale
        locale = resolve_locale(None, request.query.get("lang"), default)
        with use_locale(locale, default):
            return self._json({"locale": locale, "texts": page_texts()})

    def _endpoint(self, route: ApiRoute) -> Handler:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            return await self._call(route, request)

        return endpoint

    async def _call(self, route: ApiRoute, request: web.Request) -> web.StreamResponse:
        now = self._clock.now()
        try:
            user = signed_in_user(request.headers.get("Authorization"), self._token, now)
        except SignInRefused as refusal:
            log.info("Mini App: %s refused: %s", request.path, refusal)
            return self._json({"error": "signin"}, status=401)
        settings = self._settings
        async with self._sessions() as session:
            actor = await actor_of(session, user.id, settings.admin_ids)
            profile = await users.get_profile(session, user.id)
            chosen = profile.chosen_locale if profile else None
            locale = resolve_locale(chosen, user.language_code, settings.default_locale)
            with use_locale(locale, settings.default_locale, now):
                if not actor.holds(route.role):
                    return self._json({"error": "forbidden"}, status=403)
                form = await _json_object(request) if request.method == "POST" else {}
                if form is None:
                    return self._json({"error": "body"}, status=400)
                call = ApiCall(
                    actor, user, locale, session, settings, self._clock, request.query, form
                )
                try:
                    body = await route.handler(call)
                except PermissionError:
                    # The service's own check: the role changed since the actor was read.
                    return self._json({"error": "forbidden"}, status=403)
                except FormRefused as refused:
                    return self._json({"error": "form", "fields": refused.fields}, status=422)
                except ChangedMeanwhile:
                    message = _("Someone changed this meanwhile: reload it and try again.")
                    return self._json({"error": "changed", "message": message}, status=409)
        return self._json(body)


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when the body is not one."""
    try:
        value = await request.json()
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
