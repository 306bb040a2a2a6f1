"""Callback data of the inline buttons; each fits Telegram's 64 bytes by construction."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguagePick(CallbackData, prefix="lang"):
    code: str


class SettingsAction(CallbackData, prefix="set"):
    action: str


class QuartierePage(CallbackData, prefix="hqp"):
    page: int


class QuartierePick(CallbackData, prefix="hq"):
    quartiere_id: int  # 0 clears the choice
