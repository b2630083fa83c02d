"""Shared machinery of every file import: read, map headers, validate, apply atomically, record."""
