"""The process lifecycle `run`, `send` and `demo` share: migrate, stop on a signal or a 401."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path

import pytest

from bot.runtime.lifecycle import STOP_SIGNALS, running_process
from storage import migrate


@pytest.mark.parametrize("stop_signal", STOP_SIGNALS, ids=lambda s: s.name)
async def test_a_process_migrates_first_and_stops_cleanly_on_a_signal(
    stop_signal: signal.Signals, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    caplog.set_level(logging.INFO, "bot.runtime.lifecycle")
    async with running_process(url) as process:
        assert await migrate.current_heads(url)
        os.kill(os.getpid(), stop_signal)
        await asyncio.wait_for(process.stop.wait(), 10)
    assert process.exit_code() == 0
    assert "stopped" in caplog.messages


async def test_a_refused_token_stops_the_process_with_exit_code_2(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_process(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}") as process:
        process.refuse_token()
        assert process.stop.is_set()
    assert process.exit_code() == 2
    assert any("401 Unauthorized" in record.message for record in caplog.records)
