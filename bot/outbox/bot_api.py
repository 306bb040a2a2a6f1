"""A small Bot API client for the outbox sender: three methods, JSON over one aiohttp session.

The sending process never loads aiogram (its Telegram types alone outweigh everything else
the sender needs), so what aiogram's Bot does for the sender is done here: the bot's
defaults (HTML, no link previews) and the same sorting of failures. 429 pauses, 403 marks
the user unreachable, 401 means the token is gone, 5xx and network trouble are worth
another try, any other refusal is final. Messages read like aiogram's, so a delivery's
recorded reason does not change with the client.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from types import TracebackType
from typing import Any

import aiohttp

# Telegram answers a send in well under a second; a minute means it will not answer.
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)


class TelegramError(Exception):
    """Telegram (or the way to it) did not accept a call."""

    label = "Telegram server says"

    def __init__(self, method: str, description: str) -> None:
        super().__init__(description)
        self.method = method
        self.description = description

    def __str__(self) -> str:
        return f"{self.label} - {self.description}"


class RetryAfter(TelegramError):
    """Flood control: nothing may be sent for `retry_after` seconds."""

    def __init__(self, method: str, description: str, retry_after: float) -> None:
        super().__init__(method, description)
        self.retry_after = retry_after


class Forbidden(TelegramError):
    """403: the user blocked the bot (or never could be written to)."""


class Unauthorized(TelegramError):
    """401: the token is wrong or revoked."""


class ServerError(TelegramError):
    """5xx: Telegram's trouble; the same call may succeed later."""


class NetworkError(TelegramError):
    """No answer: a timeout or a broken connection; the message may or may not have arrived."""

    label = "HTTP Client says"


class Refused(TelegramError):
    """Any other 4xx: this message will never be accepted as it is."""


class TelegramHttp:
    """`sendMessage`, `sendPhoto` and `editMessageText` with the bot's defaults; each
    returns the message's id."""

    def __init__(self, api_url: str, token: str) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}/"
        self._session: aiohttp.ClientSession | None = None

    async def send_message(
        self, chat_id: int, text: str, reply_markup: dict[str, Any] | None = None
    ) -> int:
        payload: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        return await self._send("sendMessage", payload)

    async def send_photo(
        self,
        chat_id: int,
        photo: str,
        caption: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> int:
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": photo, "parse_mode": "HTML"}
        if caption:
            payload["caption"] = caption
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        return await self._send("sendPhoto", payload)

    async def edit_message_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        reply_markup: dict[str, Any] | None = None,
    ) -> int:
        """Edits a message the bot sent (without buttons unless given); returns its id."""
        payload: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        await self.call("editMessageText", payload)
        return message_id

    async def _send(self, method: str, payload: dict[str, Any]) -> int:
        result = await self.call(method, payload)
        return int(result["message_id"])

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """One Bot API call; its `result`, or one of this module's errors."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=REQUEST_TIMEOUT)
        try:
            async with self._session.post(self._base + method, json=payload) as response:
                status, body = response.status, await response.text()
        except TimeoutError:
            raise NetworkError(method, "Request timeout error") from None
        except aiohttp.ClientError as error:
            raise NetworkError(method, f"{type(error).__name__}: {error}") from None
        return _result(method, status, body)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
            # Lets the connector's transports close before the loop does (as aiohttp advises).
            await asyncio.sleep(0)

    async def __aenter__(self) -> TelegramHttp:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


def _result(method: str, status: int, body: str) -> Any:
    """Sorts an answer the way aiogram's session does (aiogram.client.session.base)."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # A proxy's page instead of Telegram's JSON: only a 5xx is worth another try.
        description = f"{status} {_reason(status)}: not a Bot API answer"
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise ServerError(method, description)
        raise Refused(method, description)
    if HTTPStatus.OK <= status <= HTTPStatus.IM_USED and answer.get("ok"):
        return answer.get("result")
    description = str(answer.get("description") or _reason(status))
    retry_after = (answer.get("parameters") or {}).get("retry_after")
    if retry_after:
        raise RetryAfter(method, description, float(retry_after))
    if status == HTTPStatus.UNAUTHORIZED:
        raise Unauthorized(method, description)
    if status == HTTPStatus.FORBIDDEN:
        raise Forbidden(method, description)
    # aiogram counts 413 among network errors (TelegramEntityTooLarge), so it was retried.
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        raise NetworkError(method, description)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise ServerError(method, description)
    raise Refused(method, description)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown status"
