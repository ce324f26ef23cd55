"""Invitations become tenant data: scoped, unique per tenant, under row-level security.

Revision ID: 053673153a22
Revises: d0e4edaa14b7
Create Date: 2026-11-25 09:18:13.746246
"""

from alembic import op

from app.tenants.migrations import disable_tenant_rls, enable_tenant_rls

revision = "053673153a22"
down_revision = "d0e4edaa14b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_invitation_token_hash"), type_="unique")
        batch_op.create_index(batch_op.f("ix_invitation_token_hash"), ["token_hash"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_invitation_tenant_id_token_hash"), ["tenant_id", "token_hash"]
        )
    enable_tenant_rls("invitation")


def downgrade():
    disable_tenant_rls("invitation")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_invitation_tenant_id_token_hash"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_invitation_token_hash"))
        batch_op.create_unique_constraint(batch_op.f("uq_invitation_token_hash"), ["token_hash"])
