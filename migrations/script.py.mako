"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
# A table with a tenant_id (a TenantScoped model) is created with
# app.tenants.migrations.create_tenant_table (its forced row-level security comes with it), or
# put under RLS with enable_tenant_rls; tests/test_house.py fails on one that is not.

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
