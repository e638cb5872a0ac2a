"""Photo sources and their file_id cache keys.

A photo is given as an http(s) URL, a Telegram file_id, or a local file to upload. The
file_id cache (`storage/file_ids.py`) keys URLs by the URL itself and uploads by the content
(`sha256:<digest>`), never by the path: a file replaced at the same path is a new photo and
is uploaded again, while the same picture under two paths is uploaded once.

Hashing reads the file, so digests are remembered per (path, inode, size, mtime, ctime): a
fan-out of one uploaded photo to thousands of chats hashes it once.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from aiogram.types import BufferedInputFile

_MEMO_MAX = 1024
_CHUNK = 1 << 20

FileStamp = tuple[str, int, int, int, int]


def is_file_path(source: str) -> bool:
    """True when a photo source names a local file to upload (not a URL nor a file_id)."""
    return source.startswith(("/", "./", "file://")) and Path(local_path(source)).is_file()


def local_path(source: str) -> str:
    """The file system path of a local photo source (`file://` prefix dropped)."""
    return source.removeprefix("file://")


def digest_key(data: bytes) -> str:
    """The file_id cache key of uploaded content."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


class PhotoKeys:
    """Turns photo sources into file_id cache keys, remembering the digests of local files."""

    def __init__(self) -> None:
        self._digests: dict[FileStamp, str] = {}

    async def key(self, source: str) -> str:
        """`sha256:<digest>` of a local file's content; a URL or file_id stays as it is."""
        if not is_file_path(source):
            return source
        path = Path(local_path(source))
        try:
            stamp = _stamp(path)
            found = self._digests.get(stamp)
            if found is None:
                found = await asyncio.to_thread(_hash_file, path)
                self._remember(stamp, found)
        except OSError:  # gone or unreadable: the send reports it
            return source
        return found

    async def upload(self, source: str) -> tuple[str, BufferedInputFile]:
        """The bytes of a local photo to upload, with the key of exactly those bytes.

        Read once, so the key names what was sent even if the file changes meanwhile.
        """
        path = Path(local_path(source))
        stamp = _stamp(path)
        data = await asyncio.to_thread(path.read_bytes)
        key = digest_key(data)
        self._remember(stamp, key)
        return key, BufferedInputFile(data, filename=path.name)

    def _remember(self, stamp: FileStamp, key: str) -> None:
        if len(self._digests) >= _MEMO_MAX:
            self._digests.clear()
        self._digests[stamp] = key


def _stamp(path: Path) -> FileStamp:
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"
