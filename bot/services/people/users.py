"""Use cases about a user's own profile: first contact, language, home quartiere."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import SUPPORTED_LOCALES
from storage.repositories import catalog as catalog_repo
from storage.repositories import users as repo

# last_seen_at is refreshed at most this often, to spare a write on every update.
_SEEN_GRANULARITY = timedelta(hours=1)


@dataclass(frozen=True)
class Profile:
    telegram_id: int
    chosen_locale: str | None
    telegram_locale: str | None
    home_quartiere: str | None


@dataclass(frozen=True)
class QuartiereChoice:
    id: int
    name: str


class UnknownQuartiere(LookupError):
    """The chosen quartiere is not in the catalog (any more)."""


class ProfileCache:
    """Recently seen profiles, so that most updates need no database round trip.

    Every change of a profile goes through this module, which refreshes the entry; an
    entry also expires after `ttl`, so a change made by another process shows within it.
    """

    def __init__(self, ttl: timedelta = timedelta(seconds=60), size: int = 50_000) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: OrderedDict[int, tuple[Profile, datetime, str | None]] = OrderedDict()

    def get(
        self, telegram_id: int, now: datetime, telegram_locale: str | None, name: str | None
    ) -> Profile | None:
        entry = self._entries.get(telegram_id)
        if entry is None:
            return None
        profile, cached_at, cached_name = entry
        fresh = now - cached_at < self._ttl
        if not fresh or profile.telegram_locale != telegram_locale or cached_name != name:
            self._entries.pop(telegram_id, None)
            return None
        return profile

    def put(self, profile: Profile, now: datetime, name: str | None) -> None:
        self._entries[profile.telegram_id] = (profile, now, name)
        self._entries.move_to_end(profile.telegram_id)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def forget(self, telegram_id: int) -> None:
        self._entries.pop(telegram_id, None)


_NO_CACHE = ProfileCache(ttl=timedelta(0), size=0)


async def record_visit(
    session: AsyncSession,
    telegram_id: int,
    telegram_locale: str | None,
    now: datetime,
    display_name: str | None = None,
    cache: ProfileCache = _NO_CACHE,
) -> Profile:
    """Creates the user on first contact and keeps their Telegram language up to date."""
    cached = cache.get(telegram_id, now, telegram_locale, display_name)
    if cached is not None:
        return cached
    user = await repo.get_user(session, telegram_id)
    if display_name is not None:
        display_name = display_name[:100]
    if user is None:
        user = repo.add_user(session, telegram_id, telegram_locale, now)
        user.display_name = display_name
        await session.commit()
    elif (
        user.telegram_locale != telegram_locale
        or (display_name is not None and user.display_name != display_name)
        or user.unreachable_at is not None
        or now - user.last_seen_at > _SEEN_GRANULARITY
    ):
        user.telegram_locale = telegram_locale
        user.last_seen_at = now
        user.unreachable_at = None  # writing again means they unblocked the bot
        if display_name is not None:
            user.display_name = display_name
        await session.commit()
    profile = await _profile(session, user.telegram_id)
    cache.put(profile, now, display_name)
    return profile


async def get_profile(session: AsyncSession, telegram_id: int) -> Profile | None:
    if await repo.get_user(session, telegram_id) is None:
        return None
    return await _profile(session, telegram_id)


async def chosen_languages(session: AsyncSession, telegram_ids: set[int]) -> dict[int, str]:
    """The languages these people chose with /language (a handful: the staff at start-up)."""
    chosen = {}
    for telegram_id in sorted(telegram_ids):
        user = await repo.get_user(session, telegram_id)
        if user is not None and user.chosen_locale in SUPPORTED_LOCALES:
            chosen[telegram_id] = user.chosen_locale
    return chosen


async def _profile(session: AsyncSession, telegram_id: int) -> Profile:
    user = await repo.get_user(session, telegram_id)
    assert user is not None
    quartiere = None
    if user.home_quartiere_id is not None:
        found = await repo.get_quartiere(session, user.home_quartiere_id)
        quartiere = found.name if found else None
    return Profile(user.telegram_id, user.chosen_locale, user.telegram_locale, quartiere)


async def choose_language(
    session: AsyncSession, telegram_id: int, locale: str, cache: ProfileCache = _NO_CACHE
) -> None:
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    user = await repo.get_user(session, telegram_id)
    if user is None:
        raise LookupError(telegram_id)
    user.chosen_locale = locale
    await session.commit()
    cache.forget(telegram_id)


async def list_quartieri(session: AsyncSession) -> list[QuartiereChoice]:
    return [QuartiereChoice(q.id, q.name) for q in await catalog_repo.list_quartieri(session)]


async def choose_home_quartiere(
    session: AsyncSession,
    telegram_id: int,
    quartiere_id: int | None,
    cache: ProfileCache = _NO_CACHE,
) -> str | None:
    """Sets (or clears, with None) the home quartiere; returns its name."""
    user = await repo.get_user(session, telegram_id)
    if user is None:
        raise LookupError(telegram_id)
    name = None
    if quartiere_id is None:
        user.home_quartiere_id = None
    else:
        quartiere = await repo.get_quartiere(session, quartiere_id)
        if quartiere is None:
            raise UnknownQuartiere(quartiere_id)
        user.home_quartiere_id = quartiere.id
        name = quartiere.name
    await session.commit()
    cache.forget(telegram_id)
    return name
