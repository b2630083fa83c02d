"""Alembic migrations shipped inside the package (run by ``envbureau db upgrade``)."""
