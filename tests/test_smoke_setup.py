"""The test database is migrated and holds the whole referential."""

from sqlalchemy import func, select

from app.extensions import db
from app.models.referential import Commune


def test_referential_is_loaded(app):
    assert db.session.scalar(select(func.count()).select_from(Commune)) == 34_969
