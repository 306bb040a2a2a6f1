"""The steps of composing an announcement that wait for the admin to write something."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Composing(StatesGroup):
    text = State()
    version = State()
    time = State()
