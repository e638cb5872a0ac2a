"""The desk feature."""
