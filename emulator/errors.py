"""Errors of the Bot API emulator.

``ApiError`` is what Telegram answers with ``"ok": false``; ``InvalidRequest`` is the subset
caused by the shape of the call itself (unknown method, unknown or missing parameters, wrong
types, broken limits or formatting), which tests usually want to forbid outright.
``EmulatorUsageError`` is raised to the test code driving the emulator, never to the bot.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error response: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_response(self) -> dict[str, Any]:
        """The JSON envelope Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class InvalidRequest(ApiError):
    """A call Telegram rejects because of its shape, whatever the state of the chats."""


def bad_request(reason: str) -> InvalidRequest:
    """A 400 for a malformed call, worded like Telegram's ``Bad Request: ...``."""
    return InvalidRequest(400, f"Bad Request: {reason}")


def state_error(reason: str) -> ApiError:
    """A 400 for a well-formed call that the current state refuses (e.g. message not found)."""
    return ApiError(400, f"Bad Request: {reason}")


class EmulatorUsageError(LookupError):
    """The test asked the emulator for something impossible (e.g. a button that is not there)."""
