"""Texts for the channels audience."""

from __future__ import annotations

from bot.i18n import Catalog

CATALOG: Catalog = {}
