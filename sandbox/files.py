"""Photos and documents: uploads keep their bytes, URLs are only remembered (never fetched)."""

from __future__ import annotations

import mimetypes

from sandbox.ids import IdSequence
from sandbox.models import JsonDict, MediaFile
from sandbox.params import Upload

_PHOTO_SIZES = ((90, 51), (320, 180), (1280, 720))


class FileStore:
    """Every file the sandbox has seen, by each of its file ids."""

    def __init__(self) -> None:
        self._by_id: dict[str, MediaFile] = {}
        self.numbers = IdSequence(1)

    def get(self, file_id: str) -> MediaFile | None:
        """The file with this id (any of a photo's size ids works)."""
        return self._by_id.get(file_id)

    def path_of(self, media: MediaFile) -> str:
        """The ``file_path`` getFile reports (``photos/…`` or ``documents/…``)."""
        extension = mimetypes.guess_extension(media.mime_type or "") or ""
        return f"{media.kind}s/{media.file_unique_id}{extension}"

    def by_path(self, path: str) -> MediaFile | None:
        """The uploaded file behind a ``file_path``."""
        folder, _, name = path.partition("/")
        unique_id = name.split(".", 1)[0]
        return next(
            (
                media
                for media in self._by_id.values()
                if media.file_unique_id == unique_id and f"{media.kind}s" == folder
            ),
            None,
        )

    def add_upload(self, kind: str, upload: Upload) -> MediaFile:
        """Keep uploaded bytes as a new photo or document."""
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        return self._add(kind, data=upload.data, file_name=upload.filename, mime_type=mime)

    def add_url(self, kind: str, url: str) -> MediaFile:
        """Remember a file Telegram would download from ``url``."""
        name = url.rsplit("/", 1)[-1].split("?", 1)[0] or None
        mime = mimetypes.guess_type(name)[0] if name else None
        return self._add(kind, url=url, file_name=name, mime_type=mime)

    def _add(self, kind: str, **values: object) -> MediaFile:
        number = next(self.numbers)
        prefix = "AgAC" if kind == "photo" else "BQAC"
        media = MediaFile(
            file_id=f"{prefix}SandboxFile{number:06d}",
            file_unique_id=f"AQAD{number:06d}",
            kind=kind,
            **values,  # type: ignore[arg-type]
        )
        self._by_id[media.file_id] = media
        if kind == "photo":
            media.sizes = self._photo_sizes(media, number)
        return media

    def _photo_sizes(self, media: MediaFile, number: int) -> list[JsonDict]:
        sizes: list[JsonDict] = []
        for index, (width, height) in enumerate(_PHOTO_SIZES):
            last = index == len(_PHOTO_SIZES) - 1
            file_id = media.file_id if last else f"{media.file_id}s{index}"
            size: JsonDict = {
                "file_id": file_id,
                "file_unique_id": f"{media.file_unique_id}s{index}",
                "width": width,
                "height": height,
            }
            if media.size is not None:
                size["file_size"] = media.size
            self._by_id[file_id] = media
            sizes.append(size)
        return sizes

    def all_files(self) -> list[MediaFile]:
        """Every file once (a photo is also reachable by its size ids), oldest first."""
        return list({media.file_id: media for media in self._by_id.values()}.values())

    def restore(self, media: MediaFile) -> None:
        """Know a saved file again under its own id and its photo sizes' ids."""
        self._by_id[media.file_id] = media
        for size in media.sizes:
            self._by_id[str(size["file_id"])] = media

    def clear(self) -> None:
        """Forget every file (sandbox reset)."""
        self._by_id.clear()
