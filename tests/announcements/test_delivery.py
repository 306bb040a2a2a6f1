"""Delivering an announcement: cancelling it half-way, Telegram's 429, the recent list."""

from __future__ import annotations

import asyncio

from bot.services.announcements import telegram_html
from emulator.html import parse_html
from tests.announcements.admin import choose_audience, compose, send_now
from tests.announcements.town import CITIZENS, add_crowd, announce, received, settled
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import LiveBot

CROWD = range(20_000, 20_200)


async def test_cancel_stops_everything_not_yet_sent(town: LiveBot) -> None:
    bot = town
    await add_crowd(bot.sessions, bot.emulator, CROWD)
    crowd = list(CROWD)
    versions = await compose(bot, "Avviso lungo")
    menu = await choose_audience(bot, versions, ("A language", "🇮🇹 Italiano"))
    [*_, summary] = await send_now(bot, menu, "Not urgent")
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await bot.emulator.wait_until(lambda: len(received(bot, "Avviso lungo", crowd)) >= 20, 15)
    progress = bot.emulator.message(ADMIN_ID, summary["message_id"])
    assert progress is not None
    answer, _ = await bot.press(ADMIN_ID, progress, "✖️ Cancel the sending")
    assert answer is not None and answer["text"].startswith("Cancelled: ")
    await settled(bot, 1)
    await asyncio.sleep(1.5)  # sends already on their way when Cancel was pressed arrive
    final = await settled(bot, 1)
    reached = received(bot, "Avviso lungo", [*CITIZENS, *crowd])
    assert final.cancelled > 0 and final.sent < final.recipients
    assert final.sent + final.cancelled == final.recipients
    assert len(reached) == final.sent and set(reached.values()) == {1}  # nothing more sent
    [listing, _prompt] = await bot.say(ADMIN_ID, "/broadcast")
    assert listing["text"].startswith("Recent announcements\n#1 · Wednesday 2 December, 10:30")
    assert f"sent: {final.sent} of {final.recipients}" in listing["text"]
    assert listing["text"].endswith("(cancelled)")


async def test_a_429_pauses_the_sending_and_everyone_is_still_served_once(
    town: LiveBot,
) -> None:
    bot = town
    bot.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    progress = await settled(bot, await announce(bot, "Dopo la pausa", "all"), within=30)
    refused, *others = bot.emulator.calls_to("sendMessage")
    [retried] = [call for call in others if call.params["chat_id"] == refused.params["chat_id"]]
    assert refused.error_code == 429 and retried.ok
    assert retried.time - refused.time >= 1.95
    assert received(bot, "Dopo la pausa") == dict.fromkeys([*CITIZENS[:7], ADMIN_ID], 1)
    assert progress.sent == progress.recipients == 8


def test_html_is_checked_as_telegram_does() -> None:
    for source in (
        "<b>bold</b> &amp; <i>it</i>",
        '<a href="https://example.org">link</a> <tg-spoiler>x</tg-spoiler>',
        '<pre><code class="language-python">x = 1</code></pre>',
        "<blockquote expandable>quote</blockquote> 5 &gt; 3",
    ):
        text, _ = parse_html(source)
        assert telegram_html.visible_length(source) == len(text.encode("utf-16-le")) // 2
    for source in ("<b>never closed", "a < b", "<i>x</b>", "<br>", "<span>x</span>", "</b>"):
        try:
            telegram_html.visible_length(source)
        except telegram_html.HtmlError:
            continue
        raise AssertionError(f"{source!r} was accepted")
