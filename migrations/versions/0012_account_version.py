"""The accounts' version: moved by every change of an account or a role grant, in the same
transaction, so that each process may keep the signed-in user until it moves (app.principals).

Revision ID: 3e9a41c7b2d8
Revises: 7c1e0f5a9d21
Create Date: 2026-12-07 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3e9a41c7b2d8"
down_revision = "7c1e0f5a9d21"
branch_labels = None
depends_on = None

# What moves the version: any change of a grant; any change of an account but its last login
# (a sign-in is not a change of the account: it would empty every process's copies).
WATCHED = {
    "user_account": "email, full_name, password_hash, active, session_version, locale, "
    "created_via, created_by_id, email_verified_at, created_at",
    "role_grant": None,
}
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE account_version SET version = version + 1 WHERE id = 1"


def upgrade():
    op.create_table(
        "account_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_version")),
    )
    op.execute("INSERT INTO account_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION bump_account_version() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = public AS $$
            BEGIN
                {BUMP};
                RETURN NULL;
            END $$
            """
        )
        # The function runs as the owner: the application's role only reads the version
        # (app.tenants.postgres.READ_ONLY_TABLES), it cannot set it back.
        for table, columns in WATCHED.items():
            update = f"UPDATE OF {columns}" if columns else "UPDATE"
            # BEFORE the statement: a transaction takes the version's row before any row of
            # these tables, so that two writers always lock in the same order (no deadlock).
            op.execute(
                f"CREATE TRIGGER {table}_moves_accounts BEFORE INSERT OR {update} OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_account_version()"
            )
        return
    for table, columns in WATCHED.items():
        for operation in OPERATIONS:
            event = f"UPDATE OF {columns}" if operation == "UPDATE" and columns else operation
            op.execute(
                f"CREATE TRIGGER {table}_moves_accounts_{operation.lower()} AFTER {event} "
                f"ON {table} BEGIN {BUMP}; END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_moves_accounts ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_account_version()")
    else:
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_moves_accounts_{operation.lower()}")
    op.drop_table("account_version")
