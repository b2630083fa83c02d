"""Accounts on the web: the system pages (users, roles, the audit log; administrators only) and
``/api/v1/me`` (who is signed in and what they may reach)."""
