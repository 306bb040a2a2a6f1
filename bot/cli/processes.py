"""`quartiere-bot run`, `send` and `demo`: the long-running processes (bot/runtime/).

The runtime is imported when the command runs, so that `send` never loads aiogram.
"""

from __future__ import annotations

import argparse

from bot.cli.arguments import BadInput, Commands
from bot.settings import Settings

_BOTFATHER_HINT = "BOT_TOKEN is not set: get a token from @BotFather on Telegram"


def add_parsers(commands: Commands) -> None:
    commands.add_parser("run", help="run the bot (long polling); migrates first").set_defaults(
        handler=run_command
    )
    commands.add_parser(
        "send", help="only send the outbox (OUTBOX_SENDER=separate); migrates first"
    ).set_defaults(handler=send_command)


def add_demo_parser(commands: Commands) -> None:
    commands.add_parser(
        "demo", help="the bot with a local Telegram emulator and a web chat; no token needed"
    ).set_defaults(handler=demo_command)


async def run_command(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.app import run_bot

    if settings.bot_token is None:
        raise BadInput(_BOTFATHER_HINT)
    try:
        return await run_bot(settings)
    except ValueError as error:
        if "token" in str(error).lower():
            raise BadInput(f"BOT_TOKEN: {error}") from None
        raise


async def send_command(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.send import run_sender

    if settings.bot_token is None:
        raise BadInput(_BOTFATHER_HINT)
    return await run_sender(settings)


async def demo_command(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.demo import run_demo

    return await run_demo(settings)
