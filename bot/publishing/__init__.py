"""The publishing feature."""
