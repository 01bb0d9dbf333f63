"""Helpers for tests that are not fixtures."""
