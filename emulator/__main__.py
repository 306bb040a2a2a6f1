"""Run the Bot API emulator as a server: ``python -m emulator --port 8090 --token T``.

Point the bot at it with ``TELEGRAM_API_URL=http://127.0.0.1:8090`` and drive the simulated
users through the ``/_emulator/`` endpoints (see control.py). Stops on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from emulator.base import DEFAULT_TOKEN
from emulator.core import BotApiEmulator
from emulator.server import EmulatorServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the only token accepted")
    parser.add_argument("--global-rate", type=float, help="messages per second, all chats")
    parser.add_argument("--per-chat-rate", type=float, help="messages per second, per chat")
    parser.add_argument(
        "--per-chat-burst", type=int, default=3, help="messages a chat may get at once (3)"
    )
    parser.add_argument(
        "--no-privacy-mode", action="store_true", help="let the bot see every group message"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(
        args.token,
        global_rate=args.global_rate,
        per_chat_rate=args.per_chat_rate,
        per_chat_burst=args.per_chat_burst,
        privacy_mode=not args.no_privacy_mode,
    )
    server = EmulatorServer(emulator)
    await server.start(args.host, args.port)
    sys.stderr.write(f"Bot API emulator on {server.url} (token {args.token})\n")
    sys.stderr.flush()
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    try:
        await stopped.wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
