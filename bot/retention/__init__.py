"""Retention: the periodic sweep that keeps every kind of record within its settings."""
