"""aiogram's HTTP session, made cheaper for the replies the bot sends on every update.

Two costs of aiogram's own session dominate a busy bot, both measured per reply with
formatting and a keyboard of a dozen buttons:

- the request is sent as an urlencoded form, each object first dumped to a JSON string and
  then quoted; a JSON body (which the Bot API accepts for every request without files) is
  built once and costs about half;
- the answer, the message just sent, is validated into pydantic models down to every
  entity and button, about 0.4 ms. The bot never reads back a sent message's formatting
  or buttons (it knows them: it sent them), so they are left out of the answer before it
  is validated; everything else of the message is kept.

Requests with files still go as multipart forms, through aiogram's own code.

Why: for a reply with formatting and a dozen buttons, aiogram's session spent 215 µs building
the form and 427 µs validating the answer, against 69 µs and 74 µs for a plain-text echo;
under bench/updates.py the session fell from 40 % of the event loop's time to 15 %
(BENCHMARKS.md, "After overlapping polls and a cheaper HTTP session").

Checked against aiogram 3.31.0 (AiohttpSession's prepare_value, check_response and
json_loads), aiohttp 3.14.5 and pydantic 2.13.5.
"""

from __future__ import annotations

import json
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import ClientError, ClientTimeout

# Parts of a sent message that only repeat what the bot itself sent.
_ECHOED = ("entities", "caption_entities", "reply_markup", "link_preview_options")


class LeanSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_loads=load_answer, **kwargs)

    def json_body(self, bot: Bot, method: TelegramMethod[Any]) -> str | None:
        """The request as JSON, or None when it carries files (a multipart form then)."""
        files: dict[str, Any] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            # As aiogram's form: an empty or false value is the API's default anyway.
            if prepared:
                body[key] = prepared
        return None if files else json.dumps(body, ensure_ascii=False)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body.encode(),
                headers={"Content-Type": "application/json"},
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as resp:
                raw_result = await resp.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return cast(TelegramType, response.result)


def load_answer(content: str) -> Any:
    """json.loads for the session's answers, leaving out what a sent message echoes."""
    answer = json.loads(content)
    result = answer.get("result") if isinstance(answer, dict) else None
    if isinstance(result, dict) and "message_id" in result:
        for key in _ECHOED:
            result.pop(key, None)
    return answer
