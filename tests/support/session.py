"""An aiogram session that hands every request to the emulator in process, as a form would.

Requests are serialised exactly as aiogram's HTTP session serialises them, so the emulator
checks the same parameters it would receive over HTTP.
"""

from __future__ import annotations

import json
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from emulator import ApiError, BotApiEmulator, UploadedFile


class EmulatedSession(BaseSession):
    def __init__(self, emulator: BotApiEmulator) -> None:
        super().__init__()
        self.emulator = emulator

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (the aiogram interface)
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                params[key] = prepared
        uploads = {name: await _read(bot, name, item) for name, item in files.items()}
        try:
            result = await self.emulator.handle(bot.token, method.__api_method__, params, uploads)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.error_code, error.to_response()
        response = self.check_response(bot, method, status, json.dumps(body))
        return cast(TelegramType, response.result)

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the bot downloads no files")

    async def close(self) -> None:
        return None


async def _read(bot: Bot, name: str, item: InputFile) -> UploadedFile:
    chunks = [chunk async for chunk in item.read(bot)]
    return UploadedFile(b"".join(chunks), item.filename or name)
