"""What a feature's Mini App endpoint is: a path, the role it needs, and a function.

A handler receives an `ApiCall` (the signed-in actor, their language, a database session)
and returns a JSON-ready dict; texts inside it are rendered in the caller's language (the
server runs it inside `use_locale`). The service it calls checks the role again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram.utils.web_app import WebAppUser
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services.people.roles import Actor, Role
from bot.settings import Settings


@dataclass(frozen=True)
class ApiCall:
    actor: Actor
    user: WebAppUser  # as Telegram signed it: the current name and Telegram language
    locale: str
    session: AsyncSession
    settings: Settings
    clock: Clock
    query: Mapping[str, str]
    body: Mapping[str, Any] = field(default_factory=dict)  # a POST's JSON object


class FormRefused(Exception):
    """A form's values break the rules: the message for each field, already translated.

    Answered 422 `{"error": "form", "fields": {...}}`; nothing of the form was saved.
    """

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = dict(fields)


class ChangedMeanwhile(Exception):
    """The record's version is not the one the form was opened on: answered 409, and the
    page asks to reload (someone else saved it meanwhile)."""


ApiHandler = Callable[[ApiCall], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class ApiRoute:
    """`METHOD /api/<path>` under the Mini App's base path, for actors holding `role`."""

    path: str
    role: Role
    handler: ApiHandler
    method: str = "GET"
