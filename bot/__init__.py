"""Quartiere bot: the Telegram assistant of a city's collaborative-governance programme."""

from bot.telegram import tuning
from bot.telegram.tuning import lazy_models

# Before anything imports aiogram: its models are then built as they are used
# (bot/telegram/tuning/lazy_models.py).
if tuning.ON:
    lazy_models.install()
