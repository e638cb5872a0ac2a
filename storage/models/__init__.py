"""Pydantic models of the aggregates the repositories store and return."""
