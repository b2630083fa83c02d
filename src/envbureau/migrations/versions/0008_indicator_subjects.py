"""indicators: subjects (enterprise, org unit, campaign), responsible unit, data version

Values, manual entries and targets may be for an area and a subject; the subject columns are
NOT NULL with '' for none, so the unique constraints that include them hold on SQLite and
PostgreSQL alike. Targets name the member unit answerable for them. A stored value records the
data version it was computed from.

Downgrade removes the rows that are for a subject (the old tables have no place for them) before
the old unique constraints come back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SUBJECT_TABLES = ("indicator_values", "indicator_manual_entries", "indicator_targets")
OLD_UNIQUE = {
    "indicator_values": (
        "uq_indicator_values_indicator_id_period_code_area_code",
        ["indicator_id", "period_code", "area_code"],
    ),
    "indicator_targets": (
        "uq_indicator_targets_indicator_id_year_area_code",
        ["indicator_id", "year", "area_code"],
    ),
}
NEW_UNIQUE = {
    "indicator_values": (
        "uq_indicator_values_subject",
        ["indicator_id", "period_code", "area_code", "subject_kind", "subject_code"],
    ),
    "indicator_targets": (
        "uq_indicator_targets_subject",
        ["indicator_id", "year", "area_code", "subject_kind", "subject_code"],
    ),
}


def _subject_columns() -> list[sa.Column]:
    return [
        sa.Column("subject_kind", sa.String(length=20), server_default="", nullable=False),
        sa.Column("subject_code", sa.String(length=60), server_default="", nullable=False),
    ]


def upgrade() -> None:
    for table in SUBJECT_TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _subject_columns():
                batch.add_column(column)
            if table in OLD_UNIQUE:
                batch.drop_constraint(OLD_UNIQUE[table][0], type_="unique")
                batch.create_unique_constraint(*NEW_UNIQUE[table])
            if table == "indicator_values":
                batch.add_column(sa.Column("data_version", sa.Text(), nullable=True))
            if table == "indicator_targets":
                batch.add_column(sa.Column("responsible_unit", sa.String(length=40), nullable=True))
                batch.create_foreign_key(
                    "fk_indicator_targets_responsible_unit_org_units",
                    "org_units",
                    ["responsible_unit"],
                    ["code"],
                )


def downgrade() -> None:
    for table in SUBJECT_TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE subject_kind <> ''"))
        with op.batch_alter_table(table) as batch:
            if table == "indicator_targets":
                batch.drop_constraint(
                    "fk_indicator_targets_responsible_unit_org_units", type_="foreignkey"
                )
                batch.drop_column("responsible_unit")
            if table == "indicator_values":
                batch.drop_column("data_version")
            if table in NEW_UNIQUE:
                batch.drop_constraint(NEW_UNIQUE[table][0], type_="unique")
                batch.create_unique_constraint(*OLD_UNIQUE[table])
            batch.drop_column("subject_code")
            batch.drop_column("subject_kind")
