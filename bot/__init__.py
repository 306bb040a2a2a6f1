"""Quartiere bot: the Telegram assistant of a city's collaborative-governance programme."""
