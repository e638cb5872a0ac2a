"""The one error type the publishing layer raises to its callers (commands, CLI, desk)."""

from __future__ import annotations


class PublishingError(Exception):
    """A refused publishing request: a stable `code` for programs, a `message` for people.

    Codes: `unknown_article`, `unknown_channel`, `unknown_post`, `unknown_rubric`,
    `channel_inactive`, `already_published`, `in_flight`, `not_pending`, `no_channels`, `bad_time`
    (a publication time), `bad_slot` (a slot time), `bad_quiet` (a quiet-hours range),
    `bad_mode`, `bad_value`, `conflict`.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
