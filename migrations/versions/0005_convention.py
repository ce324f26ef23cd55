"""The convention: health project and lifecycle dates, missions (progress, actions), the ACI
convention with its terms, immutable amendments and received payments, prevention actions; the
stage chosen by hand becomes the declared stage (the stage is derived from the dates).

Revision ID: 2aac823e8cf1
Revises: 38b02ce09f91
Create Date: 2026-11-25 14:32:48.239793
"""

import sqlalchemy as sa
from alembic import op

from app.tenants.migrations import create_tenant_table, drop_tenant_table

# A table with a tenant_id (a TenantScoped model) is created with
# app.tenants.migrations.create_tenant_table (its forced row-level security comes with it), or
# put under RLS with enable_tenant_rls; tests/test_house.py fails on one that is not.

revision = "2aac823e8cf1"
down_revision = "38b02ce09f91"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "convention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "starts_on IS NULL OR signed_on IS NOT NULL",
            name=op.f("ck_convention_start_after_signing"),
        ),
        sa.CheckConstraint(
            "starts_on IS NULL OR starts_on >= signed_on",
            name=op.f("ck_convention_starts_after_signed"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_convention_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_convention_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_convention_tenant_id")),
    )
    with op.batch_alter_table("convention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_convention_tenant_id"), ["tenant_id"], unique=False)

    create_tenant_table(
        "health_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_submitted_on", sa.Date(), nullable=True),
        sa.Column("letter_validated_on", sa.Date(), nullable=True),
        sa.Column("project_submitted_on", sa.Date(), nullable=True),
        sa.Column("project_validated_on", sa.Date(), nullable=True),
        sa.Column("project_objection_on", sa.Date(), nullable=True),
        sa.Column("association_registered_on", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_health_project_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_project")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_health_project_tenant_id")),
    )
    with op.batch_alter_table("health_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_health_project_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "mission_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "mission",
            sa.Enum(
                "acces_soins",
                "parcours",
                "prevention",
                "crise_sanitaire",
                "qualite_pertinence",
                "accompagnement_professionnels",
                name="mission",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("professions", sa.JSON(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "prevue",
                "en_cours",
                "realisee",
                "abandonnee",
                name="actionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_mission_action_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_action")),
    )
    with op.batch_alter_table("mission_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mission_action_mission"), ["mission"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mission_action_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "mission_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "mission",
            sa.Enum(
                "acces_soins",
                "parcours",
                "prevention",
                "crise_sanitaire",
                "qualite_pertinence",
                "accompagnement_professionnels",
                name="mission",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("deployed_on", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "deployed_on IS NULL OR (started_on IS NOT NULL AND deployed_on >= started_on)",
            name=op.f("ck_mission_progress_deployed_after_started"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_mission_progress_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_progress")),
        sa.UniqueConstraint(
            "tenant_id", "mission", name=op.f("uq_mission_progress_tenant_id_mission")
        ),
    )
    with op.batch_alter_table("mission_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mission_progress_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "prevention_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "theme",
            sa.Enum(
                "depistage_cancers",
                "tabac",
                "vaccination",
                "diabete",
                "insuffisance_cardiaque",
                "autre",
                name="theme",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "mission",
            sa.Enum(
                "acces_soins",
                "parcours",
                "prevention",
                "crise_sanitaire",
                "qualite_pertinence",
                "accompagnement_professionnels",
                name="mission",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("professions", sa.JSON(), nullable=False),
        sa.Column("people_reached", sa.Integer(), nullable=True),
        sa.Column("partners", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "people_reached >= 0", name=op.f("ck_prevention_action_people_reached_positive")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_prevention_action_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prevention_action")),
    )
    with op.batch_alter_table("prevention_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prevention_action_held_on"), ["held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_prevention_action_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "project_priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_project_priority_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_priority")),
    )
    with op.batch_alter_table("project_priority", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_priority_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("termination", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_email", sa.String(length=254), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_amendment_positive_number")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_amendment_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "convention_id"],
            ["convention.tenant_id", "convention.id"],
            name=op.f("fk_amendment_tenant_id_convention_id_convention"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_amendment_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
        sa.UniqueConstraint(
            "tenant_id",
            "convention_id",
            "number",
            name=op.f("uq_amendment_tenant_id_convention_id_number"),
        ),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_amendment_tenant_id_id")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_amendment_tenant_id"), ["tenant_id"], unique=False)

    create_tenant_table(
        "convention_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=30), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "convention_id"],
            ["convention.tenant_id", "convention.id"],
            name=op.f("fk_convention_term_tenant_id_convention_id_convention"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_convention_term_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention_term")),
        sa.UniqueConstraint(
            "tenant_id",
            "convention_id",
            "key",
            name=op.f("uq_convention_term_tenant_id_convention_id_key"),
        ),
    )
    with op.batch_alter_table("convention_term", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_convention_term_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_convention_term_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "received_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("due_key", sa.String(length=60), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_received_payment_positive_amount")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_received_payment_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "convention_id"],
            ["convention.tenant_id", "convention.id"],
            name=op.f("fk_received_payment_tenant_id_convention_id_convention"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_received_payment_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_payment")),
    )
    with op.batch_alter_table("received_payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_received_payment_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_received_payment_tenant_id"), ["tenant_id"], unique=False
        )

    create_tenant_table(
        "amendment_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=30), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "amendment_id"],
            ["amendment.tenant_id", "amendment.id"],
            name=op.f("fk_amendment_change_tenant_id_amendment_id_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_amendment_change_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_change")),
        sa.UniqueConstraint(
            "tenant_id",
            "amendment_id",
            "key",
            name=op.f("uq_amendment_change_tenant_id_amendment_id_key"),
        ),
    )
    with op.batch_alter_table("amendment_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_change_amendment_id"), ["amendment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_amendment_change_tenant_id"), ["tenant_id"], unique=False
        )

    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.alter_column("stage", new_column_name="declared_stage")
    make_immutable()


def downgrade():
    make_mutable()
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.alter_column("declared_stage", new_column_name="stage")

    with op.batch_alter_table("amendment_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_change_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_amendment_change_amendment_id"))

    drop_tenant_table("amendment_change")
    with op.batch_alter_table("received_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_payment_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_received_payment_convention_id"))

    drop_tenant_table("received_payment")
    with op.batch_alter_table("convention_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_convention_term_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_convention_term_convention_id"))

    drop_tenant_table("convention_term")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_amendment_convention_id"))

    drop_tenant_table("amendment")
    with op.batch_alter_table("project_priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_priority_tenant_id"))

    drop_tenant_table("project_priority")
    with op.batch_alter_table("prevention_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prevention_action_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_prevention_action_held_on"))

    drop_tenant_table("prevention_action")
    with op.batch_alter_table("mission_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_progress_tenant_id"))

    drop_tenant_table("mission_progress")
    with op.batch_alter_table("mission_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_action_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_mission_action_mission"))

    drop_tenant_table("mission_action")
    with op.batch_alter_table("health_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_health_project_tenant_id"))

    drop_tenant_table("health_project")
    with op.batch_alter_table("convention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_convention_tenant_id"))

    drop_tenant_table("convention")


# Amendments are written once: the database refuses to change or delete one, on both engines
# (on PostgreSQL the application role also lacks the privileges). Their rows go only with their
# CPTS (a tenant's deletion cascades).
IMMUTABLE = ("amendment", "amendment_change")


def make_immutable():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION refuse_immutable_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenant WHERE id = OLD.tenant_id)
                THEN RETURN OLD;
                END IF;
                RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME;
            END $$
            """
        )
        for table in IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_immutable_change()"
            )
        return
    for table in IMMUTABLE:
        message = f"{table} rows are never changed or deleted"
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM tenant WHERE id = OLD.tenant_id) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def make_mutable():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in IMMUTABLE:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS refuse_immutable_change()")
