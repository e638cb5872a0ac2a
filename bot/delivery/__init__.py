"""The delivery feature."""
