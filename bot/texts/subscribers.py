"""Texts for the subscribers audience."""

from __future__ import annotations

from bot.i18n import Catalog

CATALOG: Catalog = {}
