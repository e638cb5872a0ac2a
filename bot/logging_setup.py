"""Operator logging: one line per event, to stderr."""

from __future__ import annotations

import logging


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger once for a `vestnik` process."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for noisy in ("aiogram.event", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
