"""Tests of the subscribers feature."""
