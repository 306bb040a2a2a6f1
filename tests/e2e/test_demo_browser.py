"""The demo's web chat in a real browser: Debian's Chromium, headless, driven by Playwright.

The demo runs as a `quartiere-bot demo` subprocess, as a person starts it; every step goes
through the page as a person would use it, with the keyboard where it matters. Screenshots
are saved under pytest's temporary directory.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from bot.services.demo.cast import ADMIN
from emulator.base import DEFAULT_TOKEN
from emulator.webapps import sign_init_data
from handlers.basics.menu import COMMANDS
from tests.e2e.browser_chat import Chat, expect, launched_browser
from tests.e2e.demo_process import DemoProcess, demo_environment


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def demo(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoProcess]:
    # Notices to the volunteer must not wait for the end of the night's quiet hours.
    environment = demo_environment(QUIET_HOURS="")
    process = DemoProcess.cli(environment, tmp_path_factory.mktemp("demo"))
    try:
        process.wait_address(within=90)
        yield process
    finally:
        code = process.stop()
    assert code == 0, process.log


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def open_chat(browser: Any, demo: DemoProcess) -> Iterator[Any]:
    chats: list[Chat] = []

    def open_one(persona: str, language: str = "en") -> Chat:
        chats.append(Chat(browser, demo, persona, language))
        return chats[-1]

    yield open_one
    for chat in chats:
        chat.close()


def test_a_citizen_finds_the_nearest_hub_by_sending_a_location(
    open_chat: Any, screenshots: Path
) -> None:
    citizen = open_chat("citizen")
    page = citizen.page
    citizen._act()
    page.get_by_role("button", name="Start").press("Enter")  # the keyboard alone, throughout
    citizen.reply("Hello Giulia")
    citizen.say("/hubs")
    citizen.reply("Send your location")  # one bubble, its keyboard below
    keyboard = page.get_by_role("group", name="Keyboard from the bot")
    keyboard.get_by_role("button", name="📍 Send my location").press("Enter")
    dialog = page.get_by_role("dialog", name="Send a location")
    dialog.get_by_label("From a neighbourhood of the sample").select_option(label="Centro storico")
    citizen._act()
    dialog.get_by_role("button", name="Send location").press("Enter")

    answer = citizen.reply("The nearest Case di quartiere")
    expect(answer).to_contain_text("Casa di quartiere Catomes Tot")
    expect(answer.locator("strong").first).to_be_visible()  # the hub names are bold
    expect(page.locator("article.from-user .card").last).to_contain_text("Centro storico")
    expect(keyboard).to_be_hidden()  # a one-time keyboard goes once used
    # The picture starts at the location the citizen sent.
    page.get_by_role("log").evaluate(
        "log => { const sent = [...log.querySelectorAll('article.from-user')].pop();"
        " log.scrollTop = sent.offsetTop - log.offsetTop - 8; }"
    )
    citizen.screenshot(screenshots, "citizen-nearest-hub")
    citizen.press(answer, re.compile("^ℹ️ Casa di quartiere Catomes"))
    expect(answer).to_contain_text("Opening hours")  # the list became the hub's card
    citizen.press(answer, "📍 Map")
    expect(citizen.reply("Reggio Emilia").locator(".card.venue")).to_be_visible()

    page.get_by_role("button", name="Send a location").press("Enter")
    dialog.get_by_label("Latitude").fill("44,6975")
    dialog.get_by_label("Longitude").fill("10.6090")
    citizen._act()
    dialog.get_by_label("Longitude").press("Enter")
    expect(citizen.reply("The nearest Case di quartiere")).to_contain_text("Orologio")


def sign_up(volunteer: Chat, project: str) -> None:
    volunteer.from_menu("volunteer")
    listing = volunteer.reply("Volunteering projects")
    volunteer.press(listing, project)
    expect(listing).to_contain_text("Next shifts")  # the list became the project's card
    volunteer.press(listing, re.compile("^Join: "))
    expect(volunteer.reply("Your place is confirmed.")).to_contain_text(project)


def test_a_volunteer_signs_up_for_a_shift_and_downloads_it(
    open_chat: Any, screenshots: Path
) -> None:
    volunteer = open_chat("volunteer")
    sign_up(volunteer, "Spallanzani shared gardens")
    volunteer.screenshot(screenshots, "volunteer-signed-up")

    volunteer.say("/shifts")
    places = volunteer.reply("Spallanzani shared gardens")
    volunteer.press(places, re.compile(r"\.ics|calendar", re.IGNORECASE))
    document = volunteer.reply(".ics").locator(".card.document a.download")
    with volunteer.page.expect_download() as started:
        document.click()
    download = started.value
    assert download.suggested_filename.endswith(".ics")
    assert Path(download.path()).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


HOURS_COMMANDS = {"hours", "approve"}


def test_a_volunteer_logs_hours_and_a_tutor_approves_them(
    open_chat: Any, screenshots: Path
) -> None:
    missing = HOURS_COMMANDS - {command.name for command in COMMANDS}
    if missing:
        pytest.skip(f"the bot has no {', '.join(sorted(missing))} yet")
    volunteer = open_chat("volunteer")
    sign_up(volunteer, "Montenero shared gardens")
    volunteer.say("/hours 2h30 today orti-montenero")
    expect(volunteer.reply("Logged")).to_contain_text("2 h 30 min")

    tutor = open_chat("tutor")
    tutor.from_menu("approve")
    pending = tutor.reply("Hours to approve")
    expect(pending).to_contain_text("Marco Bianchi")
    volunteer._act()
    tutor.press(pending, re.compile("^✅ Approve"))
    expect(pending).to_contain_text("Hours to approve: none left waiting.")
    tutor.screenshot(screenshots, "tutor-approved")
    # The volunteer's page, still open, shows the bot's notice without a reload.
    expect(volunteer.reply("approved")).to_contain_text("2 h 30 min")
    volunteer.screenshot(screenshots, "volunteer-hours-approved")


# A citizen's front door: what anyone can do first, two a row, and no staff row.
FRONT_DOOR = {
    "it": ["📍 Casa più vicina", "🧰 Trova un servizio", "📅 Eventi", "🙋 Volontariato"],
    "en": ["📍 Nearest hub", "🧰 Find a service", "📅 Events", "🙋 Volunteering"],
}
SETTINGS_DOOR = {"it": "⚙️ Impostazioni", "en": "⚙️ Settings"}
STAFF_DOOR = {"it": "✅ Approva ore", "en": "✅ Approve hours"}


@pytest.mark.parametrize(
    ("language", "hello", "spid_question", "events_button", "events_heading"),
    [
        ("it", "Ciao Giulia", "dove posso farmi aiutare con lo SPID?", "📅 Eventi", "Eventi"),
        ("en", "Hello Giulia", "Where can I get help with SPID?", "📅 Events", "events"),
    ],
)
def test_the_front_door_and_a_question_in_words(
    open_chat: Any,
    screenshots: Path,
    language: str,
    hello: str,
    spid_question: str,
    events_button: str,
    events_heading: str,
) -> None:
    citizen = open_chat("citizen", language)
    citizen.say("/start")
    door = citizen.reply(hello)
    for label in [*FRONT_DOOR[language], SETTINGS_DOOR[language]]:
        expect(door.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(door.get_by_role("button", name=STAFF_DOOR[language])).to_have_count(0)
    citizen.screenshot(screenshots, f"front-door-{language}")
    citizen.press(door, events_button)
    expect(citizen.reply(events_heading)).to_be_visible()

    citizen.say(spid_question)
    hubs = citizen.reply("Punto Comune")
    expect(hubs).to_contain_text("SPID")
    expect(hubs).to_contain_text("Casa di quartiere Orologio")
    expect(hubs).not_to_contain_text("Catomes Tot")


@pytest.mark.parametrize(
    ("language", "command", "heading", "come", "going", "undo"),
    [
        ("it", "/eventi", "Eventi delle greenway", "🙋 Ci vengo", "✅ Ci sei.", "↩️ Annulla"),
        ("en", "/events", "Greenway events", "🙋 I'll come", "✅ You're going.", "↩️ Cancel"),
    ],
)  # fmt: skip
def test_the_rsvp_button_is_an_action_until_pressed_then_the_state_with_a_way_back(
    open_chat: Any,
    language: str,
    command: str,
    heading: str,
    come: str,
    going: str,
    undo: str,
) -> None:
    citizen = open_chat("citizen", language)
    citizen.say(command)
    events = citizen.reply(heading)
    citizen.press(events, re.compile("^ℹ️ "))  # one named button per event: its card, in place
    card = events
    expect(card.get_by_role("button", name=come)).to_be_visible()
    expect(card).not_to_contain_text(going)

    citizen.press(card, come)
    expect(card).to_contain_text(going)
    expect(card.get_by_role("button", name=undo)).to_be_visible()
    expect(card.get_by_role("button", name=come)).to_have_count(0)

    citizen.press(card, undo)  # back to the action
    expect(card.get_by_role("button", name=come)).to_be_visible()
    expect(card).not_to_contain_text(going)


def test_an_admin_opens_the_staff_mini_app_and_is_signed_in_in_italian(
    open_chat: Any, demo: DemoProcess, screenshots: Path
) -> None:
    chat = open_chat("admin", "it")
    # Until /staff shows it, the bot's message with the Mini App button is sent here through
    # the demo's Bot API, as mini_app_button builds it.
    address = demo.get_json("/_webchat/config")["mini_app_url"]
    button = {"text": "Apri l'area staff", "web_app": {"url": address}}
    demo.post_json(
        f"/bot{DEFAULT_TOKEN}/sendMessage",
        {
            "chat_id": ADMIN.telegram_id,
            "text": "Area staff",
            "reply_markup": {"inline_keyboard": [[button]]},
        },
    )
    message = chat.reply("Area staff")
    message.get_by_role("button", name="Apri l'area staff").focus()
    chat.page.keyboard.press("Enter")
    panel = chat.page.get_by_role("region", name="Mini App")
    expect(panel).to_be_visible()
    app = chat.page.frame_locator("#web-app-frame")
    signed_in = app.get_by_text("Accesso effettuato come Paolo Conti (amministrazione)")
    expect(signed_in).to_be_visible()
    expect(app.get_by_role("heading", name="Quartiere: area staff")).to_be_visible()
    expect(app.locator("html")).to_have_attribute("lang", "it")
    chat.screenshot(screenshots, "mini-app-signed-in")
    panel.get_by_role("button", name="Chiudi la Mini App").click()
    expect(panel).to_be_hidden()


def test_the_mini_app_outside_telegram_or_with_a_refused_sign_in_says_what_to_do(
    browser: Any, demo: DemoProcess
) -> None:
    address = demo.get_json("/_webchat/config")["mini_app_url"]
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        page.goto(address)
        expect(page.get_by_text("This page works inside Telegram")).to_be_visible()
        # A sign-in Telegram did not sign (or signed over an hour ago): open it again.
        unsigned = "user=%7B%22id%22%3A7004%2C%22language_code%22%3A%22it%22%7D&auth_date=1&hash=00"
        page.goto(f"{address}#tgWebAppData={quote(unsigned, safe='')}")
        page.reload()
        expect(page.get_by_text("L'accesso è scaduto. Chiudi questa pagina")).to_be_visible()
        expect(page.get_by_role("button", name="Chiudi")).to_be_visible()
    finally:
        context.close()


def _as_the_admin(demo: DemoProcess, path: str, body: dict[str, Any] | None = None) -> Any:
    """The Mini App's API called as the admin from elsewhere (another device, say)."""
    address = demo.get_json("/_webchat/config")["mini_app_url"]
    user = {"id": ADMIN.telegram_id, "first_name": ADMIN.first_name, "language_code": "en"}
    signed = sign_init_data(DEFAULT_TOKEN, user, int(time.time()))
    request = urllib.request.Request(
        f"{address}api/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"tma {signed}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_an_admin_closes_a_hub_for_a_week_in_the_mini_app_and_the_hub_finder_says_so(
    open_chat: Any, demo: DemoProcess, screenshots: Path
) -> None:
    chat = open_chat("admin")
    chat.say("/staff")
    chat.reply("Open the staff app").get_by_role("button", name="Open the staff app").press("Enter")
    app = chat.page.frame_locator("#web-app-frame")
    hubs = app.get_by_role("region", name="Hubs")
    hubs.get_by_role("button", name=re.compile("^Casa di quartiere Catomes Tot")).press("Enter")
    expect(hubs.get_by_role("heading", name="Casa di quartiere Catomes Tot")).to_be_visible()
    expect(hubs.get_by_label("Address")).to_have_value(re.compile("^Via Panciroli"))

    # A refused value is named on its field, with the catalog import's message.
    hubs.get_by_label("Phone (optional)").fill("call us")
    hubs.get_by_label("Phone (optional)").press("Enter")
    expect(hubs.get_by_label("Phone (optional)")).to_have_attribute("aria-invalid", "true")
    expect(hubs.get_by_text("phone 'call us' is not a phone number")).to_be_visible()
    hubs.get_by_role("button", name="All hubs").press("Enter")
    hubs.get_by_role("button", name=re.compile("^Casa di quartiere Catomes Tot")).press("Enter")

    # Closed for a week from today, both days included (the demo runs on the real clock).
    today = datetime.now(ZoneInfo("Europe/Rome")).date()
    last = today + timedelta(days=6)
    hubs.get_by_label("Closed from").fill(today.isoformat())
    hubs.get_by_label("to (included)").fill(last.isoformat())
    hubs.get_by_label("Note in English (optional)").fill("Painting works")
    hubs.get_by_role("button", name="Add closure").press("Enter")
    expect(app.get_by_text("Closure added.")).to_be_visible()
    expect(hubs.get_by_role("listitem").filter(has_text="Painting works")).to_be_visible()
    chat.screenshot(screenshots, "mini-app-hub-closed-for-a-week")

    # Saved meanwhile from elsewhere: this form is stale, says so, and reloads.
    (line,) = [h for h in _as_the_admin(demo, "hubs")["hubs"] if h["name"].endswith("Catomes Tot")]
    hub = _as_the_admin(demo, f"hub?id={line['id']}")
    fields = ("id", "version", "address", "phone", "email", "opening_hours", "services")
    _as_the_admin(demo, "hub/save", {**{n: hub[n] for n in fields}, "phone": "+39 0522 999999"})
    hubs.get_by_label("Address").press("Enter")
    expect(hubs.get_by_role("alert")).to_contain_text("Someone changed this meanwhile")
    hubs.get_by_role("button", name="Reload").press("Enter")
    expect(hubs.get_by_label("Phone (optional)")).to_have_value("+39 0522 999999")
    chat.page.get_by_role("button", name="Close the Mini App").click()

    chat.say("/hubs")
    chat.reply("Send your location")
    keyboard = chat.page.get_by_role("group", name="Keyboard from the bot")
    keyboard.get_by_role("button", name="📍 Send my location").press("Enter")
    dialog = chat.page.get_by_role("dialog", name="Send a location")
    dialog.get_by_label("From a neighbourhood of the sample").select_option(label="Centro storico")
    chat._act()
    dialog.get_by_role("button", name="Send location").press("Enter")
    answer = chat.reply("The nearest Case di quartiere")
    until = format_date(last, "EEEE d MMMM", locale="en_GB")
    expect(answer).to_contain_text(f"Closed until {until} · reopens")
    expect(answer).to_contain_text("Painting works")


def test_an_admin_adds_a_greenway_event_in_the_mini_app_and_a_follower_is_told(
    open_chat: Any, screenshots: Path
) -> None:
    citizen = open_chat("citizen")
    citizen.say("/events")
    events = citizen.reply("Greenway events")
    citizen.press(events, "🔔 Follow")
    citizen.press(events, "🔕 Crostolo greenway")
    expect(events).to_contain_text("You follow: Crostolo greenway.")

    admin = open_chat("admin")
    admin.say("/staff")
    admin.press(admin.reply("admin"), "Open the staff app")
    app = admin.page.frame_locator("#web-app-frame")
    expect(app.get_by_role("heading", name="Events")).to_be_visible()
    events = app.get_by_role("region", name="Events")  # other sections have forms too
    events.get_by_role("button", name="Add an event to Crostolo greenway").click()
    events.get_by_label("Title in Italian").fill("Merenda al Crostolo")
    events.get_by_label("Title in English").fill("Snack by the Crostolo")
    events.get_by_label("Description in Italian").fill("Portate qualcosa da condividere.")
    events.get_by_label("Description in English").fill("Bring something to share.")
    events.get_by_label("Start").fill("2030-06-01T16:00")
    events.get_by_label("End").fill("2030-06-01T15:00")  # before the start: refused
    events.get_by_label("End").press("Enter")
    expect(events.get_by_text("end must be after start")).to_be_visible()
    events.get_by_label("End").fill("2030-06-01T18:00")
    citizen._act()
    events.get_by_label("End").press("Enter")
    expect(
        events.get_by_text("Event added: the greenway's followers will be told.")
    ).to_be_visible()
    expect(events.get_by_text("Snack by the Crostolo")).to_be_visible()
    admin.screenshot(screenshots, "mini-app-event-added")

    told = citizen.reply("A new event on the Crostolo greenway")
    expect(told).to_contain_text("Snack by the Crostolo")


def test_the_admin_finds_projects_and_staff_in_the_mini_app_filled_from_the_catalog(
    open_chat: Any,
) -> None:
    admin = open_chat("admin", "it")
    admin.say("/staff")
    admin.press(admin.reply("amministrazione"), "Apri l'area staff")
    app = admin.page.frame_locator("#web-app-frame")
    projects = app.get_by_role("region", name="Progetti")
    projects.get_by_role("button", name="Orti condivisi Montenero").click()
    expect(projects.get_by_label("Titolo in italiano")).to_have_value("Orti condivisi Montenero")
    staff = app.get_by_role("region", name="Staff")
    expect(staff).to_contain_text("Anna")  # the tutor persona, with her projects
