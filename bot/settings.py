"""Configuration from the environment (and `.env`), validated once at start."""

from __future__ import annotations

import ipaddress
import re
from datetime import time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.durations import parse_duration

SUPPORTED_LOCALES = ("it", "en")
OFFICIAL_API = "https://api.telegram.org"
# What Telegram accepts in setWebhook (the secret's alphabet, the public URL's ports); a
# secret shorter than 16 characters could be guessed by whoever finds the webhook's URL.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
WEBHOOK_PORTS = (443, 80, 88, 8443)
# Seconds an update may spend on Telegram for its replies, retries included
# (bot/telegram/faults.py): an update's time limit must leave it room.
REPLY_BUDGET = 30.0


class SettingsError(Exception):
    """A bad configuration value; the message names the variable."""


def _listen(value: str, name: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{name} must be HOST:PORT, got {value!r}")
    return host.strip("[]"), int(port)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/quartiere.db"
    redis_url: str | None = None
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    bot_timezone: str = "Europe/Rome"
    default_locale: str = "it"
    reminder_offsets: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(hours=24),
        timedelta(hours=2),
    )
    hours_nudge_after: Annotated[timedelta, NoDecode] = timedelta(hours=1)
    hours_max_age_days: int = Field(default=60, gt=0)
    quiet_hours: Annotated[tuple[time, time] | None, NoDecode] = (time(21), time(8))
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    # What Telegram itself allows across all chats: the sender's hard cap within any second,
    # so pacing at BROADCAST_RATE just under it is never pushed over by a late burst.
    telegram_rate_limit: float = Field(default=30.0, gt=0, le=1000)
    webhook_base_url: str | None = None
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_path: str = "/telegram/webhook"
    webhook_listen: str = "0.0.0.0:8080"
    health_listen: str = "127.0.0.1:8081"
    # Where the staff Mini App is served (bot/webapp/), on WEBHOOK_LISTEN; None: no Mini App.
    public_base_url: str | None = None
    # The origin of a local Telegram client (the demo's web chat) that may frame the Mini App
    # and serves its stand-in telegram-web-app.js; None: Telegram's own clients only.
    telegram_web_origin: str | None = None
    demo_listen: str = "127.0.0.1:8080"
    log_level: str = "INFO"
    # Named in /privacy: who is responsible for the data, and where to exercise the rights.
    privacy_controller: str = "Comune di Reggio Emilia"
    privacy_contact: str = ""
    # Named on hours certificates as the body that issues them; empty: the privacy controller.
    certificate_issuer: str = ""
    # Seconds after which an update still being handled is cut off, rolled back and
    # apologised for.
    update_time_limit: float = Field(default=60.0, allow_inf_nan=False)
    # Long-polling wait; tests shorten it so a stop is quick.
    polling_timeout: int = Field(default=30, ge=0, le=60)
    # The outbox: how often due deliveries are claimed, how long a claim lasts unrenewed
    # before a dead process's deliveries are taken over (the live one renews its claims every
    # quarter of it), retries of Telegram failures, and the minimum gap between two messages
    # to one chat.
    outbox_tick: float = Field(default=1.0, gt=0, le=60)
    outbox_lease: Annotated[timedelta, NoDecode] = timedelta(seconds=4)
    outbox_max_attempts: int = Field(default=5, ge=1, le=50)
    outbox_retry_base: Annotated[timedelta, NoDecode] = timedelta(seconds=2)
    per_chat_interval: float = Field(default=1.0, ge=0, le=60)
    # "inline": `run` sends the outbox itself; "separate": a `quartiere-bot send` process does.
    outbox_sender: Literal["inline", "separate"] = "inline"
    # "HOST:PID" standing in for the host name and process id in the sender's worker id:
    # lets tests restart a sender as a container would, with the same host name and PID.
    outbox_host_pid: str | None = None
    # A file holding the current time (ISO 8601): lets tests move a running bot's clock.
    clock_file: str | None = None
    # "off": aiogram as it ships, none of bot/telegram/tuning's patches (also read at `import bot`).
    framework_tuning: Literal["on", "off"] = "on"

    @field_validator("telegram_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 111,222")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part for part in value.split(",") if part.strip()]
            return tuple(sorted({parse_duration(part) for part in parts}, reverse=True))
        return value

    @field_validator("hours_nudge_after", "outbox_lease", "outbox_retry_base", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("outbox_lease")
    @classmethod
    def _lease(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be a positive duration such as 5s")
        return value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        start, _, end = value.partition("-")
        try:
            return (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
        except ValueError:
            raise ValueError("must be HH:MM-HH:MM, e.g. 21:00-08:00, or empty") from None

    @field_validator("webhook_base_url")
    @classmethod
    def _webhook_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a public https:// URL, e.g. https://bot.example.org")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment")
        # A self-hosted Bot API server (--local) accepts plain HTTP and any port; Telegram's
        # own servers do not.
        if info.data.get("telegram_api_url", OFFICIAL_API) == OFFICIAL_API:
            if parts.scheme != "https":
                raise ValueError("must start with https:// (Telegram delivers only over TLS)")
            port = parts.port or 443
            if port not in WEBHOOK_PORTS:
                raise ValueError(
                    f"port {port} is not accepted by Telegram: use 443, 80, 88 or 8443"
                )
        return value.strip().rstrip("/")

    @field_validator("public_base_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a public https:// URL, e.g. https://bot.example.org/app")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment")
        # Telegram opens Mini Apps only over TLS; plain HTTP is for this machine (the demo).
        if parts.scheme != "https" and not _loopback(parts.hostname):
            raise ValueError("must start with https:// (http:// only on 127.0.0.1 or localhost)")
        return value.strip().rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            if info.data.get("webhook_base_url"):
                raise ValueError("is required when WEBHOOK_BASE_URL is set (webhook mode)")
            return None
        if not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 16 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("update_time_limit")
    @classmethod
    def _time_limit(cls, value: float) -> float:
        if not value > REPLY_BUDGET:
            raise ValueError(
                f"must be more than {REPLY_BUDGET:g} seconds, the time an update may spend "
                "on its replies to Telegram"
            )
        return value

    @field_validator("webhook_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    @field_validator("webhook_listen", "health_listen", "demo_listen")
    @classmethod
    def _listen_value(cls, value: str) -> str:
        _listen(value, "the address")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def issuer(self) -> str:
        """Who issues the hours certificates: their own setting, else the controller."""
        return self.certificate_issuer.strip() or self.privacy_controller

    @property
    def health_address(self) -> tuple[str, int]:
        return _listen(self.health_listen, "HEALTH_LISTEN")

    @property
    def webhook_address(self) -> tuple[str, int]:
        return _listen(self.webhook_listen, "WEBHOOK_LISTEN")

    @property
    def webhook_url(self) -> str | None:
        """The URL given to setWebhook; None in long-polling mode."""
        if self.webhook_base_url is None:
            return None
        return self.webhook_base_url + self.webhook_path

    @property
    def mini_app_path(self) -> str | None:
        """The path under which the Mini App is served ("/app/"); None without PUBLIC_BASE_URL."""
        if self.public_base_url is None:
            return None
        return urlsplit(self.public_base_url).path.rstrip("/") + "/"

    @property
    def demo_address(self) -> tuple[str, int]:
        return _listen(self.demo_listen, "DEMO_LISTEN")


def load_settings(**overrides: Any) -> Settings:
    """Reads the settings, turning a validation failure into one message per bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            name = str(problem["loc"][0]).upper() if problem["loc"] else "configuration"
            message = problem["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("; ".join(lines)) from None
