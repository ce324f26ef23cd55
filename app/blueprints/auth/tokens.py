"""The signed-in user's personal access tokens for the API: create (shown once), list, revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.blueprints.auth.blueprint import bp
from app.blueprints.auth.forms import TokenForm
from app.blueprints.forms import show_errors
from app.domain import DomainError
from app.extensions import db
from app.services import tokens


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    return render_template(
        "auth/tokens.html",
        form=form,
        tokens=tokens.user_tokens(current_user),
        secret=secret,
        max_days=tokens.MAX_DAYS,
    ), status


@bp.get("/compte/jetons")
@login_required
def token_list():
    return _page(TokenForm())


@bp.post("/compte/jetons")
@login_required
def create_token():
    """The secret is shown in this answer only: never stored, never put in a cookie."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _token, secret = tokens.create_token(
            current_user, form.name.data or "", form.scope.data, form.days.data or 0
        )
    except DomainError as error:
        show_errors(form, error)
        return _page(form, status=400)
    db.session.commit()
    return _page(TokenForm(formdata=None), secret)


@bp.post("/compte/jetons/<id:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    token = tokens.own_token(current_user, token_id) or abort(404)
    tokens.revoke_token(token)
    db.session.commit()
    flash(gettext("Le jeton « %(name)s » est révoqué.", name=token.name), "success")
    return redirect(url_for("auth.token_list"))
