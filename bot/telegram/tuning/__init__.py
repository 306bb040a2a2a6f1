"""Patches to aiogram and pydantic that make the bot cheaper, each with what it was checked on."""
