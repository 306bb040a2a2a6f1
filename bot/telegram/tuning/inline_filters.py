"""Magic filters (``F.location``, ``F.chat.type == ...``) checked on the event loop.

aiogram runs every filter that is not a coroutine through ``asyncio.to_thread``, magic
filters included: a thread hand-off for reading an attribute, several times per update
as the update passes router after router. Magic filters are pure and take microseconds, so
they are wrapped here to be awaited in place; other filters are left as aiogram runs them.

Why: the routers hold 35 magic filters; checking `F.location` took 280-300 µs through a
thread against 8-9 µs on the loop (timed in process, 2026-12-01; BENCHMARKS.md, "After the
CPU work on the update path").

Checked against aiogram 3.31.0 (FilterObject's `magic`, `awaitable` and `callback`, and
the observers' `_handler`) and magic-filter 1.0.12.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router


def _awaitable(resolve: Callable[..., Any]) -> Callable[..., Any]:
    async def check(*args: Any, **kwargs: Any) -> Any:
        return resolve(*args, **kwargs)

    return check


def check_magic_filters_inline(router: Router) -> int:
    """Every magic filter of `router` and the routers under it; returns how many changed."""
    changed = 0
    for each in router.chain_tail:
        for observer in each.observers.values():
            for handler in (observer._handler, *observer.handlers):
                for event_filter in handler.filters or ():
                    if event_filter.magic is not None and not event_filter.awaitable:
                        # The parameters aiogram read from `resolve` still select the arguments.
                        event_filter.callback = _awaitable(event_filter.callback)
                        event_filter.awaitable = True
                        changed += 1
    return changed
