"""Webhook settings: what Telegram would refuse stops the program at start, naming the variable."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

WEBHOOK_VARIABLES = ("WEBHOOK_BASE_URL", "WEBHOOK_SECRET", "WEBHOOK_PATH", "WEBHOOK_LISTEN")
SECRET = "s3cret_Token-1234"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in (*WEBHOOK_VARIABLES, "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)


def test_without_a_base_url_the_bot_polls() -> None:
    settings = load_settings()
    assert settings.webhook_url is None
    assert settings.webhook_path == "/telegram/webhook"
    assert settings.webhook_address == ("0.0.0.0", 8080)  # the contract's default


def test_the_webhook_url_is_the_base_url_and_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_BASE_URL", "https://bot.example.org:8443/")
    monkeypatch.setenv("WEBHOOK_SECRET", "Abc_123-xyz_456-UVW")
    monkeypatch.setenv("WEBHOOK_PATH", "/tg/hook")
    settings = load_settings()
    assert settings.webhook_url == "https://bot.example.org:8443/tg/hook"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "Abc_123-xyz_456-UVW"


@pytest.mark.parametrize(
    ("variables", "named", "reason"),
    [
        ({"WEBHOOK_BASE_URL": "https://bot.example.org"}, "WEBHOOK_SECRET", "required"),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": ""},
            "WEBHOOK_SECRET",
            "required",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": "no spaces"},
            "WEBHOOK_SECRET",
            "A-Z",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": "x" * 15},
            "WEBHOOK_SECRET",
            "16 to 256",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": "x" * 257},
            "WEBHOOK_SECRET",
            "256",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": "è-accentata"},
            "WEBHOOK_SECRET",
            "A-Z",
        ),
        (
            {"WEBHOOK_BASE_URL": "http://bot.example.org", "WEBHOOK_SECRET": SECRET},
            "WEBHOOK_BASE_URL",
            "https://",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org:8080", "WEBHOOK_SECRET": SECRET},
            "WEBHOOK_BASE_URL",
            "443, 80, 88 or 8443",
        ),
        (
            {"WEBHOOK_BASE_URL": "bot.example.org", "WEBHOOK_SECRET": SECRET},
            "WEBHOOK_BASE_URL",
            "https://",
        ),
        (
            {"WEBHOOK_BASE_URL": "https://bot.example.org/?a=1", "WEBHOOK_SECRET": SECRET},
            "WEBHOOK_BASE_URL",
            "query",
        ),
        ({"WEBHOOK_LISTEN": "8080"}, "WEBHOOK_LISTEN", "HOST:PORT"),
        ({"WEBHOOK_PATH": "telegram"}, "WEBHOOK_PATH", "/"),
    ],
)
def test_what_telegram_would_refuse_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], named: str, reason: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=named) as refused:
        load_settings()
    assert reason in str(refused.value)


@pytest.mark.parametrize("port", ["", ":443", ":80", ":88", ":8443"])
def test_every_port_telegram_accepts_is_accepted(
    monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    monkeypatch.setenv("WEBHOOK_BASE_URL", f"https://bot.example.org{port}")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    assert load_settings().webhook_url == f"https://bot.example.org{port}/telegram/webhook"


def test_a_self_hosted_bot_api_server_may_deliver_over_http_to_any_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("WEBHOOK_BASE_URL", "http://10.0.0.5:9000")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    assert load_settings().webhook_url == "http://10.0.0.5:9000/telegram/webhook"
