"""Users, roles and the audit log (who, when, what, before/after, why)."""
