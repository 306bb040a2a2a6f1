"""The production dispatcher behind the webhook receiver, fed by the emulator over HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from bot.runtime.webhook import WebhookReceiver
from tests.support.harness import BotHarness

SECRET = "s3cret_Token-1"


@dataclass
class Hook:
    harness: BotHarness
    receiver: WebhookReceiver
    url: str
