"""areas: boundary (GeoJSON polygon in WGS 84) for offline maps

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        batch.add_column(sa.Column("boundary", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        batch.drop_column("boundary")
