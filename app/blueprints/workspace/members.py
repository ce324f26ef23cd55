"""The member registry pages: the list (search, filters, sort, pages), a member's page (edit,
departure, return, erasure), and the exports of the registry and of its growth."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from app.blueprints.downloads import download
from app.blueprints.forms import render_form, show_errors
from app.blueprints.paging import page_number
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.forms import DateForm, EraseForm, MemberForm
from app.domain import DomainError
from app.exports import csv_stream, xlsx_stream
from app.extensions import db
from app.models.member import Member, Profession
from app.reports.member_exports import (
    GROWTH_HEADER,
    REGISTRY_HEADER,
    growth_rows,
    registry_rows,
)
from app.schemas.member import (
    BOARD_LABELS,
    FIELD_LABELS,
    MODE_LABELS,
    PERSON_FIELDS,
    PLACE_LABELS,
    PROFESSION_LABELS,
)
from app.security.permissions import Action, require
from app.services import audit, members
from app.tenants.resolver import current_tenant

PER_PAGE = 50
FORM_FIELDS = (*PERSON_FIELDS, "joined_on", "left_on")


def _filters() -> members.MemberFilters:
    args = request.args
    profession = args.get("profession", "")
    return members.MemberFilters(
        text=args.get("q", "")[:100],
        profession=Profession(profession) if profession in Profession._value2member_map_ else None,
        status=args.get("statut", "active")
        if args.get("statut") in ("active", "left", "all")
        else "active",
        outside=args.get("hors_territoire") == "1",
        sort=args.get("tri", "name") if args.get("tri") in members.SORTS else "name",
    )


@bp.get("/membres/")
@require(Action.READ_PEOPLE)
def member_list():
    filters = _filters()
    found = members.find_members(current_tenant, filters, page_number(), PER_PAGE)
    territory = members.territory_set(current_tenant)
    return render_template(
        "workspace/members.html",
        tenant=current_tenant,
        page=found,
        filters=filters,
        warnings={m.id: members.warnings_for(_values(m), territory) for m in found.members},
        professions=PROFESSION_LABELS,
        board_labels=BOARD_LABELS,
        can_write=may(Action.WRITE),
        can_export=may(Action.EXPORT),
        today=date.today(),
    )


def _values(member: Member) -> dict:
    return {"rpps": member.rpps, "practice_commune_code": member.practice_commune_code}


def _form_data(form: MemberForm) -> dict:
    """The form as the member schema reads it: empty fields are absent values."""
    return {name: (getattr(form, name).data or "").strip() or None for name in FORM_FIELDS}


@bp.route("/membres/nouveau", methods=["GET", "POST"])
@require(Action.READ_PEOPLE, Action.WRITE)
def new_member():
    form = MemberForm()
    if not form.is_submitted():
        form.joined_on.data = date.today().isoformat()
    if form.validate_on_submit():
        try:
            member = members.create_member(current_tenant, _form_data(form))
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("%(name)s est inscrit·e au registre.", name=_name(member)), "success")
            return redirect(url_for("workspace.member_list"))
    return render_form("workspace/member_new.html", form, tenant=current_tenant)


def _member_or_404(member_id: int) -> Member:
    return members.get_member(current_tenant, member_id) or abort(404)


def _member_page(member: Member, form: MemberForm | None = None, status: int = 200, **forms):
    if form is None:
        form = MemberForm(formdata=None, obj=member)
        for name in ("profession", "exercise_mode", "place", "board_role"):
            value = getattr(member, name)
            getattr(form, name).data = value.value if value is not None else ""
        form.joined_on.data = member.joined_on.isoformat()
        form.left_on.data = member.left_on.isoformat() if member.left_on else ""
    return render_template(
        "workspace/member.html",
        tenant=current_tenant,
        member=member,
        form=form,
        departure_form=forms.get("departure_form")
        or DateForm(formdata=None, day=date.today().isoformat()),
        return_form=forms.get("return_form")
        or DateForm(formdata=None, day=date.today().isoformat()),
        erase_form=forms.get("erase_form") or EraseForm(formdata=None),
        warnings=members.member_warnings(current_tenant, member),
        can_write=may(Action.WRITE),
        facts=_facts(member),
        today=date.today(),
    ), status


@bp.get("/membres/<id:member_id>")
@require(Action.READ_PEOPLE)
def member(member_id: int):
    return _member_page(_member_or_404(member_id))


@bp.post("/membres/<id:member_id>")
@require(Action.READ_PEOPLE, Action.WRITE)
def update_member(member_id: int):
    member = _member_or_404(member_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            changed = members.update_member(current_tenant, member, _form_data(form))
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(
                gettext("Fiche enregistrée (%(n)s champ(s) modifié(s)).", n=len(changed)), "success"
            )
            return redirect(url_for("workspace.member", member_id=member.id))
    return _member_page(member, form, 400)


def _date_action(member_id: int, action, form_name: str, done: str):
    member = _member_or_404(member_id)
    form = DateForm()
    try:
        day = date.fromisoformat(form.day.data or "") if form.day.data else None
    except ValueError:
        day = None
        form.day.errors.append(gettext("Date invalide : attendue au format AAAA-MM-JJ."))
    if form.validate_on_submit() and not form.day.errors:
        try:
            action(current_tenant, member, day)
        except DomainError as error:
            db.session.rollback()
            form.day.errors.extend(m for ms in error.messages().values() for m in ms)
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("workspace.member", member_id=member.id))
    return _member_page(member, None, 400, **{form_name: form})


@bp.post("/membres/<id:member_id>/depart")
@require(Action.READ_PEOPLE, Action.WRITE)
def record_departure(member_id: int):
    return _date_action(
        member_id, members.record_departure, "departure_form", gettext("Départ enregistré.")
    )


@bp.post("/membres/<id:member_id>/retour")
@require(Action.READ_PEOPLE, Action.WRITE)
def rejoin(member_id: int):
    return _date_action(
        member_id,
        members.rejoin,
        "return_form",
        gettext("Retour enregistré : la période précédente reste dans l'historique."),
    )


@bp.post("/membres/<id:member_id>/effacer")
@require(Action.READ_PEOPLE, Action.WRITE)
def erase(member_id: int):
    member = _member_or_404(member_id)
    form = EraseForm()
    if not (form.validate_on_submit() and form.confirm.data):
        form.confirm.errors.append(gettext("Cochez la case pour confirmer l'effacement."))
        return _member_page(member, None, 400, erase_form=form)
    members.erase_member(current_tenant, member)
    db.session.commit()
    flash(
        gettext(
            "Les données personnelles du membre sont effacées. Sa profession et ses dates "
            "restent comptées, anonymement, dans les effectifs."
        ),
        "success",
    )
    return redirect(url_for("workspace.member_list"))


def _facts(member: Member) -> list[tuple[str, str]]:
    """The member's fields as a reader sees them (labels, not codes)."""
    choices: dict[str, dict] = {
        "profession": PROFESSION_LABELS,
        "exercise_mode": MODE_LABELS,
        "place": PLACE_LABELS,
        "board_role": BOARD_LABELS,
    }
    shown = []
    for name in PERSON_FIELDS[2:]:
        value = getattr(member, name)
        if name in choices and value is not None:
            value = gettext(choices[name][value])
        shown.append((gettext(FIELD_LABELS[name]), value or "—"))
    return shown


def _name(member: Member) -> str:
    return f"{member.first_name} {member.last_name}"


@bp.get("/membres/export.<any(csv, xlsx):kind>")
@require(Action.READ_PEOPLE, Action.EXPORT)
def export_members(kind: str):
    rows = registry_rows(current_tenant)
    audit.record_now("export", details={"what": "members", "format": kind})
    stamp = date.today().isoformat()
    name = f"membres-{current_tenant.slug}-{stamp}.{kind}"
    if kind == "csv":
        return download(csv_stream(REGISTRY_HEADER, rows), name, kind)
    return download(xlsx_stream("Membres", REGISTRY_HEADER, rows), name, kind)


@bp.get("/membres/croissance.csv")
@require(Action.READ)
def growth_csv():
    audit.record_now("export", details={"what": "membership_growth", "format": "csv"})
    name = f"croissance-{current_tenant.slug}-{date.today().isoformat()}.csv"
    return download(csv_stream(GROWTH_HEADER, growth_rows(current_tenant)), name, "csv")
