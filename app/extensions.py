"""Flask extensions, created unbound here and attached to the application in create_app(), and
the typed declarative base every model derives from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The tenancy layer makes every session of db a TenantSession (app.tenants.guard.install).
db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    Model = Base  # what type checkers see: every model is a typed declarative class
else:
    Model = db.Model  # what runs: Flask-SQLAlchemy's model class built on Base
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
