"""Monthly rollups per CPTS (regional layer) and a version per region.

Revision ID: 7c1e0f5a9d21
Revises: 585bbbe497bf
Create Date: 2026-11-25 18:40:00
"""

import sqlalchemy as sa
from alembic import op

from app.tenants.migrations import create_tenant_table, drop_tenant_table

revision = "7c1e0f5a9d21"
down_revision = "585bbbe497bf"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "cpts_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("professions", sa.JSON(), nullable=False),
        sa.Column("arrivals", sa.Integer(), nullable=False),
        sa.Column("departures", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=True),
        sa.Column("convention", sa.String(length=30), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("amendments", sa.Integer(), nullable=False),
        sa.Column("missions_on_time", sa.Integer(), nullable=False),
        sa.Column("missions_at_risk", sa.Integer(), nullable=False),
        sa.Column("missions_late", sa.Integer(), nullable=False),
        sa.Column("planned", sa.BigInteger(), nullable=False),
        sa.Column("due", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("periods_due", sa.Integer(), nullable=False),
        sa.Column("periods_submitted", sa.Integer(), nullable=False),
        sa.Column("periods_on_time", sa.Integer(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_cpts_month_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpts_month")),
        sa.UniqueConstraint("tenant_id", "month", name=op.f("uq_cpts_month_tenant_id_month")),
    )
    with op.batch_alter_table("cpts_month", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpts_month_tenant_id"), ["tenant_id"], unique=False)
    op.create_table(
        "rollup_version",
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_rollup_version_region_code_region")
        ),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_rollup_version")),
    )


def downgrade():
    op.drop_table("rollup_version")
    with op.batch_alter_table("cpts_month", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpts_month_tenant_id"))
    drop_tenant_table("cpts_month")
