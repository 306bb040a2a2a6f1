"""The Mini App's page: plain files, no inline script, framed only by Telegram's clients."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.webapp.signed import mini_app_client


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str | None] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.sources.append(dict(attrs).get("src"))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


async def test_the_page_has_no_inline_script_and_a_strict_policy(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with mini_app_client(session_factory) as client:
        response = await client.get("/app/")
        assert response.status == 200
        page = await response.text()
        headers = response.headers
        assert (await client.get("/app")).url.path == "/app/"  # redirected to the page
    scripts = _Scripts()
    scripts.feed(page)
    assert scripts.sources == [
        "https://telegram.org/js/telegram-web-app.js",
        "static/common.js",
        "static/hubs.js",
        "static/events.js",
        "static/projects.js",
        "static/staff.js",
        "static/app.js",
    ]
    assert scripts.inline == [] and scripts.handlers == []
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self' https://telegram.org;" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors https://web.telegram.org https://*.telegram.org" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_the_demo_client_may_frame_the_page_and_serve_telegrams_script(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with mini_app_client(session_factory, telegram_web_origin="http://127.0.0.1:8080") as c:
        response = await c.get("/app/")
        page = await response.text()
    assert '<script src="http://127.0.0.1:8080/js/telegram-web-app.js">' in page
    assert response.headers["Content-Security-Policy"].endswith(
        "frame-ancestors https://web.telegram.org https://*.telegram.org http://127.0.0.1:8080"
    )


async def test_the_script_and_style_are_served_and_nothing_else_of_the_package(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with mini_app_client(session_factory) as client:
        script = await client.get("/app/static/app.js")
        style = await client.get("/app/static/app.css")
        assert script.status == 200 and script.content_type == "text/javascript"
        assert style.status == 200 and style.content_type == "text/css"
        assert "Content-Security-Policy" in script.headers
        for path in ("/app/static/index.html", "/app/static/../server.py", "/app/static/x.js"):
            assert (await client.get(path)).status == 404


async def test_the_pages_texts_come_in_the_asked_language_else_the_default(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with mini_app_client(session_factory) as client:
        english = await (await client.get("/app/api/texts?lang=en-GB")).json()
        unknown = await (await client.get("/app/api/texts?lang=fr")).json()
    assert english["locale"] == "en"
    assert english["texts"]["outside"].startswith("This page works inside Telegram")
    assert unknown["locale"] == "it"
    assert unknown["texts"]["signin"] == (
        "L'accesso è scaduto. Chiudi questa pagina e riaprila dalla chat."
    )


def test_the_script_holds_no_sentence_only_keys() -> None:
    """Every text the page shows comes from the server, translated."""
    from bot.webapp.server import STATIC_DIR

    script = (STATIC_DIR / "app.js").read_text()
    for sentence in ("Telegram:", "expired", "Close", "Signed in"):
        assert sentence not in script
