"""Files seen by the emulator: uploads from the bot, media sent by simulated users, downloads.

Every file gets a ``file_id`` the bot can reuse and a ``file_path`` served under
``/file/bot<token>/<file_path>``, so ``getFile`` and ``Bot.download`` work as with Telegram.
"""

from __future__ import annotations

import mimetypes
import struct
from dataclasses import dataclass

# Telegram's limits for uploads through the Bot API (photo 10 MB, other files 50 MB).
PHOTO_MAX_BYTES = 10 * 1024 * 1024
FILE_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (or bytes handed to ``BotApiEmulator.handle``)."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class StoredFile:
    """A file known to the emulator, addressable by ``file_id`` and ``file_path``."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    url: str | None = None

    def to_file(self) -> dict[str, object]:
        """The Bot API ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """Assigns identifiers to files and finds them again by ``file_id`` or ``file_path``."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        self._counter += 1
        number = self._counter
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        extension = _extension(file_name, mime_type)
        stored = StoredFile(
            file_id=f"emu-{kind}-{number}",
            file_unique_id=f"emu-u{number}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{kind}s/file_{number}{extension}",
            url=url,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)


def _extension(file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1].lower()
    if mime_type:
        return mimetypes.guess_extension(mime_type) or ""
    return ""


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None when the format is not recognised."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        # SOF0..SOF15 carry the frame size; C4, C8 and CC are other segments with that prefix.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    return None
