"""The articles feature."""
