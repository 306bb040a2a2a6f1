"""Who is calling: Telegram's signed initData, as the Mini App sends it on every API call.

Telegram signs initData with a key derived from the bot token, so only Telegram (or the
demo's emulator, which holds the token) can make one. A valid one older than `MAX_AGE` is
refused too: a copied header stops working within the hour. No cookie, no password.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram.utils.web_app import WebAppInitData, WebAppUser, safe_parse_webapp_init_data

# How long one opening of the Mini App may call the API before it must be opened again.
MAX_AGE = timedelta(hours=1)
# Telegram's clock and ours may differ a little; a date further ahead is not Telegram's.
_CLOCK_SKEW = timedelta(minutes=5)
_SCHEME = "tma "


class SignInRefused(Exception):
    """No initData, a forged or re-signed one, one without a user, or an expired one."""


def signed_in_user(authorization: str | None, token: str, now: datetime) -> WebAppUser:
    """The Telegram user the `Authorization: tma <initData>` header proves, checked at `now`."""
    if not authorization or not authorization.startswith(_SCHEME):
        raise SignInRefused("no initData")
    try:
        data: WebAppInitData = safe_parse_webapp_init_data(token, authorization[len(_SCHEME) :])
    except ValueError:
        raise SignInRefused("initData not signed with this bot's token") from None
    if data.user is None:
        raise SignInRefused("initData names no user")
    age = now - data.auth_date
    if age > MAX_AGE or age < -_CLOCK_SKEW:
        raise SignInRefused("initData expired")
    return data.user
