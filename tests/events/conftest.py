"""Greenway event fixture: the test catalog, imported through the real import."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.events.catalog import event_ids, import_events


@pytest.fixture
async def catalog(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """The test events imported at TEST_NOW; their ids by code."""
    await import_events(session_factory)
    return await event_ids(session_factory)
