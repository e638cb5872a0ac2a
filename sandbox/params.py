"""Bot API call parameters from a query string, JSON, urlencoded or multipart body.

aiogram sends form fields where numbers and objects are JSON text, while JSON callers send
typed values: the getters coerce both the way Telegram's server does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox import jsonutil
from sandbox.errors import bad_request

_TRUE = frozenset({"true", "1", "yes", "on"})
_NOT_UTF8 = "strings must be encoded in UTF-8"  # Telegram's answer to a lone surrogate
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent in a multipart body."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """Typed access to one call's parameters; missing or empty values read as ``None``."""

    __slots__ = ("files", "values")

    def __init__(self, values: dict[str, Any], files: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.files = files or {}

    def raw(self, name: str) -> Any:
        """The value as sent, ``None`` when absent or empty."""
        value = self.values.get(name)
        return None if value == "" else value

    def get_str(self, name: str) -> str | None:
        """A string parameter (numbers are accepted and turned into text)."""
        value = self.raw(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return jsonutil.dumps(value)

    def get_int(self, name: str) -> int | None:
        """An integer parameter; anything else is a 400."""
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def get_float(self, name: str) -> float | None:
        """A number parameter."""
        value = self.raw(name)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Number') from None

    def get_bool(self, name: str) -> bool:
        """A boolean flag; absent means ``False``."""
        value = self.raw(name)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def get_json(self, name: str) -> Any:
        """A JSON-serialized object or list (or the already-typed value of a JSON body)."""
        value = self.raw(name)
        if not isinstance(value, str):
            return value
        try:
            return jsonutil.loads_text(value)
        except jsonutil.InvalidText:
            raise bad_request(_NOT_UTF8) from None
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A chat id: an integer or a ``@username``; required."""
        value = self.raw(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and value.startswith("@"):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request("chat not found") from None

    def require_int(self, name: str) -> int:
        """A required integer parameter."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def upload(self, reference: str) -> Upload | None:
        """The uploaded file a value points at (``attach://name`` or the field itself)."""
        if reference.startswith("attach://"):
            return self.files.get(reference[len("attach://") :])
        return None


async def read_params(request: web.Request) -> Params:
    """Parse a Bot API request's parameters from its query string and body."""
    values: dict[str, Any] = dict(request.query) if request.query_string else {}
    if request.method != "POST" or not request.body_exists:
        return Params(values)
    if request.content_type == "application/json":
        values.update(await _json_body(request))
        return Params(values)
    return await _form_body(request, values)


async def _json_body(request: web.Request) -> dict[str, Any]:
    body = await request.read()
    if not body.strip():
        return {}
    try:
        parsed = jsonutil.loads_text(body.decode())  # Telegram reads UTF-8 only
    except jsonutil.InvalidText:
        raise bad_request(_NOT_UTF8) from None
    except ValueError:  # UnicodeDecodeError is a ValueError too
        raise bad_request("can't parse JSON object") from None
    if not isinstance(parsed, dict):
        raise bad_request("JSON object expected")
    return parsed


async def _form_body(request: web.Request, values: dict[str, Any]) -> Params:
    files: dict[str, Upload] = {}
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            upload = Upload(value.filename or key, value.content_type, value.file.read())
            files[key] = upload
            values[key] = f"attach://{key}"
        else:
            values[key] = value
    return Params(values, files)
