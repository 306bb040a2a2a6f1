"""Staff roles fixture: the volunteering programme of tests/support/programme.py."""

from __future__ import annotations

import pytest

from tests.support.harness import BotHarness
from tests.support.programme import Programme, prepare


@pytest.fixture
async def programme(harness: BotHarness, load_catalog) -> Programme:
    return await prepare(harness.sessions, load_catalog, harness.clock)
