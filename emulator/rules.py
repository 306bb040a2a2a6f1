"""Rules Telegram enforces that the typed specification alone does not express.

Each rule receives values already coerced and type-checked by ``validation.py`` and raises
``InvalidRequest`` with Telegram's wording where it is known.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from emulator.errors import InvalidRequest, bad_request
from emulator.spec import TypeSpec

_COMMAND = re.compile(r"[a-z0-9_]+")
_LANGUAGE_CODE = re.compile(r"(?:[a-z]{2})?")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
WEBHOOK_PORTS = (443, 80, 88, 8443)


def describe(path: str) -> str:
    """``parameter "x"`` for a top-level parameter, ``field "x.y[0].z"`` for a nested field."""
    kind = "field" if ("." in path or "[" in path) else "parameter"
    return f'{kind} "{path}"'


def one_of_error(spec: TypeSpec, path: str, used: list[str]) -> InvalidRequest:
    """The error for a button that sets no action, or more than one, where one is expected."""
    if spec.name == "InlineKeyboardButton":
        if not used:
            return bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        return bad_request(
            f"can't parse inline keyboard button: {describe(path)} sets {', '.join(used)}; "
            "exactly one of them must be used"
        )
    return bad_request(f"{describe(path)} sets {', '.join(used)}; at most one may be used")


def _bot_command(value: dict[str, Any], path: str) -> None:
    if not _COMMAND.fullmatch(value["command"]):
        raise bad_request("BOT_COMMAND_INVALID")


def _inline_button(value: dict[str, Any], path: str) -> None:
    url = value.get("url")
    if url is None:
        return
    parts = urlsplit(url)
    valid = (parts.scheme in ("http", "https") and bool(parts.netloc)) or parts.scheme == "tg"
    if not valid:
        raise bad_request("BUTTON_URL_INVALID")


def _set_webhook(params: dict[str, Any]) -> None:
    url: str = params["url"]
    if url:
        check_webhook_url(url)
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")


def check_webhook_url(url: str) -> None:
    """Telegram's webhook URL rules; loopback URLs are accepted as a local Bot API server does."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: invalid webhook URL")
    if is_loopback(parts.hostname):
        return
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if parts.port is not None and parts.port not in WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_language_code(params: dict[str, Any]) -> None:
    code = params.get("language_code")
    if isinstance(code, str) and not _LANGUAGE_CODE.fullmatch(code):
        raise bad_request("language_code must be a two-letter ISO 639-1 code or empty")


def _web_app(value: dict[str, Any], path: str) -> None:
    """Telegram opens Mini Apps over HTTPS only; plain HTTP on loopback, as for webhooks."""
    url = value.get("url", "")
    parts = urlsplit(url)
    secure = parts.scheme == "https" and bool(parts.hostname)
    local = parts.scheme == "http" and bool(parts.hostname) and is_loopback(parts.hostname or "")
    if not (secure or local):
        raise bad_request(f"Web App URL '{url}' is invalid: Only HTTPS links are allowed")


TYPE_RULES: dict[str, Callable[[dict[str, Any], str], None]] = {
    "BotCommand": _bot_command,
    "InlineKeyboardButton": _inline_button,
    "WebAppInfo": _web_app,
}

METHOD_RULES: dict[str, Callable[[dict[str, Any]], None]] = {
    "setWebhook": _set_webhook,
}


def check_call_rules(method: str, params: dict[str, Any]) -> None:
    """Apply the method's own rule and the rules shared by all methods."""
    rule = METHOD_RULES.get(method)
    if rule is not None:
        rule(params)
    check_language_code(params)
