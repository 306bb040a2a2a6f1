"""Reading Bot API parameters off the wire: query string, JSON, urlencoded and multipart bodies.

Telegram accepts all four and merges the query string with the body. Multipart file parts are
returned separately, keyed by their part name, for ``attach://<name>`` references.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from emulator.errors import bad_request
from emulator.files import UploadedFile

Params = dict[str, Any]
Files = dict[str, UploadedFile]


async def read_request(request: web.Request) -> tuple[Params, Files]:
    """Parameters and files of a Bot API request; 400 for a body that cannot be decoded."""
    params: Params = dict(request.query)
    files: Files = {}
    if not request.body_exists:
        return params, files
    content_type = request.content_type
    if content_type == "application/json":
        params.update(parse_json_body(await request.read()))
    elif content_type == "multipart/form-data":
        body_params, files = await read_multipart(await request.multipart())
        params.update(body_params)
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params, files


def parse_json_body(raw: bytes) -> Params:
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise bad_request("can't parse JSON body") from None
    if not isinstance(body, dict):
        raise bad_request("the JSON body must be an object")
    return body


async def read_multipart(reader: MultipartReader) -> tuple[Params, Files]:
    """Text parts become parameters, parts with a filename become files."""
    params: Params = {}
    files: Files = {}
    while True:
        part = await reader.next()
        if part is None:
            return params, files
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = await part.read(decode=True)
        if part.filename is not None:
            content_type = part.headers.get("Content-Type")
            files[part.name] = UploadedFile(bytes(data), part.filename, content_type)
        else:
            params[part.name] = bytes(data).decode(part.get_charset(default="utf-8"))
