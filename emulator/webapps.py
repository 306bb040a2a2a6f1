"""Mini Apps as Telegram opens them: initData signed with the bot's token.

Telegram signs initData with HMAC-SHA256, the key being HMAC-SHA256("WebAppData", token),
over the sorted `key=value` lines of every field but `hash`; the bot checks it the same way
(aiogram's `safe_parse_webapp_init_data`). The web chat hands the signed data to the Mini
App in the URL's fragment (`#tgWebAppData=...`), as Telegram's web client does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

WEB_APP_VERSION = "8.0"
# The web chat's light theme, as Telegram passes a client's colours.
THEME = MappingProxyType(
    {
        "bg_color": "#ffffff",
        "text_color": "#1b1b1b",
        "hint_color": "#5f6368",
        "link_color": "#1a5fb4",
        "button_color": "#1a5fb4",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#f1f3f4",
    }
)


def sign_init_data(
    token: str, user: Mapping[str, Any], auth_date: int, query_id: str | None = None
) -> str:
    """initData for `user`, opened at `auth_date` (Unix time), as Telegram signs it."""
    fields = {
        "auth_date": str(auth_date),
        "user": json.dumps(dict(user), separators=(",", ":"), ensure_ascii=False),
    }
    if query_id is not None:
        fields["query_id"] = query_id
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def launch_url(url: str, init_data: str) -> str:
    """The address the client opens: the Mini App's URL with Telegram's launch parameters."""
    launch = {
        "tgWebAppData": init_data,
        "tgWebAppVersion": WEB_APP_VERSION,
        "tgWebAppPlatform": "weba",
        "tgWebAppThemeParams": json.dumps(dict(THEME), separators=(",", ":")),
    }
    fragment = "&".join(f"{key}={quote(value, safe='')}" for key, value in launch.items())
    return f"{url.split('#', 1)[0]}#{fragment}"
