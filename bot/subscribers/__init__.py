"""The subscribers feature."""
