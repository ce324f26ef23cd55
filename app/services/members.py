"""The member registry of a CPTS: add, edit, record a departure, rejoin, erase, and find.

Personal data (names, RPPS, e-mail, commune of practice) never enters the audit trail: an
edit records which of those fields changed, and the values only of the others, so an erasure
leaves nothing of the person behind, anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.identifiers import luhn_ok
from app.models.member import Member, MemberPeriod, Profession
from app.models.referential import Commune
from app.models.territory import TerritoryCommune
from app.schemas import validated
from app.schemas.member import MemberInputSchema, MemberPatchSchema
from app.services import audit
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

PERSONAL = frozenset({"last_name", "first_name", "rpps", "email", "practice_commune_code"})
SORTS = {
    "name": (Member.last_name, Member.first_name),
    "-name": (Member.last_name.desc(), Member.first_name.desc()),
    "profession": (Member.profession, Member.last_name),
    "joined_on": (Member.joined_on, Member.last_name),
    "-joined_on": (Member.joined_on.desc(), Member.last_name),
}


def load(data: dict, partial: bool = False) -> dict:
    """Validated member fields (DomainError naming each field at fault)."""
    return validated((MemberPatchSchema if partial else MemberInputSchema)(), data)


def rpps_warning(rpps: str | None) -> object | None:
    """The RPPS's Luhn key is what implementations commonly check; no text makes it binding, so
    a failed check is a warning, never a refusal."""
    if rpps and len(rpps) == 11 and rpps.isdigit() and not luhn_ok(rpps):
        return _l("Clé de contrôle du RPPS incorrecte : vérifiez le numéro.")
    return None


def warnings_for(values: dict, territory: set[str]) -> dict[str, list]:
    found: dict[str, list] = {}
    if problem := rpps_warning(values.get("rpps")):
        found["rpps"] = [problem]
    commune = values.get("practice_commune_code")
    if commune and commune not in territory:
        found["practice_commune_code"] = [_l("Commune hors du territoire de la CPTS.")]
    return found


@for_tenant
def territory_set(tenant: Tenant) -> set[str]:
    return set(db.session.scalars(select(TerritoryCommune.commune_code)))


@for_tenant
def member_warnings(tenant: Tenant, member: Member) -> dict[str, list]:
    return warnings_for(
        {"rpps": member.rpps, "practice_commune_code": member.practice_commune_code},
        territory_set(tenant),
    )


def check_references(clean: dict, member_id: int | None = None) -> None:
    """What the schema cannot know: the commune exists, no other member has this RPPS."""
    errors: dict[str, list] = {}
    commune = clean.get("practice_commune_code")
    if commune and db.session.get(Commune, commune) is None:
        errors["practice_commune_code"] = [_l("Code INSEE inconnu.")]
    if clean.get("rpps"):
        taken = select(Member.id).where(Member.rpps == clean["rpps"])
        if member_id is not None:
            taken = taken.where(Member.id != member_id)
        if db.session.scalar(taken) is not None:
            errors["rpps"] = [_l("Un autre membre de la CPTS a déjà ce RPPS.")]
    if errors:
        raise DomainError(errors)


@for_tenant
def get_member(tenant: Tenant, member_id: int) -> Member | None:
    return db.session.scalar(
        select(Member).where(Member.id == member_id, Member.erased_at.is_(None))
    )


@for_tenant
def create_member(tenant: Tenant, data: dict) -> Member:
    clean = load(data)
    check_references(clean)
    member = Member(**clean)
    db.session.add(member)
    _flush_or_refuse()
    audit.record("member_created", obj=member, details=_public(clean))
    return member


@for_tenant
def update_member(tenant: Tenant, member: Member, data: dict, partial: bool = False) -> dict:
    """Change a member's fields (and the dates of their current membership); returns what
    changed, personal fields by name only."""
    clean = load(data, partial=partial)
    check_references(clean, member.id)
    if "left_on" in clean or "joined_on" in clean:
        joined = clean.get("joined_on", member.joined_on)
        left = clean.get("left_on", member.left_on)
        if left is not None and left < joined:
            raise DomainError.on("left_on", _l("La date de départ précède la date d'adhésion."))
        _check_after_earlier(member, joined)
    before = {field: getattr(member, field) for field, value in clean.items()}
    changed = {field for field, value in clean.items() if before[field] != value}
    for field in changed:
        setattr(member, field, clean[field])
    if changed:
        _flush_or_refuse()
        audit.record("member_updated", obj=member, details=_changes(changed, before, clean))
    return {field: clean[field] for field in changed}


def _check_after_earlier(member: Member, joined: date) -> None:
    if member.earlier_periods and joined <= member.earlier_periods[-1].left_on:
        raise DomainError.on(
            "joined_on",
            _l(
                "L'adhésion en cours doit commencer après la fin de la précédente (%(day)s).",
                day=member.earlier_periods[-1].left_on.strftime("%d/%m/%Y"),
            ),
        )


@for_tenant
def record_departure(tenant: Tenant, member: Member, left_on: date | None) -> None:
    if left_on is None:
        raise DomainError.on("left_on", _l("Ce champ est obligatoire."))
    if member.left_on is not None:
        raise DomainError.on("left_on", _l("Ce membre a déjà quitté la CPTS."))
    if left_on < member.joined_on:
        raise DomainError.on("left_on", _l("La date de départ précède la date d'adhésion."))
    member.left_on = left_on
    audit.record("member_left", obj=member, details={"left_on": left_on.isoformat()})


@for_tenant
def rejoin(tenant: Tenant, member: Member, joined_on: date | None) -> None:
    """A professional who left comes back: the membership that ended is kept as history."""
    if joined_on is None:
        raise DomainError.on("joined_on", _l("Ce champ est obligatoire."))
    if member.left_on is None:
        raise DomainError.on("joined_on", _l("Ce membre est déjà actif."))
    if joined_on <= member.left_on:
        raise DomainError.on(
            "joined_on",
            _l(
                "Le retour doit suivre le départ (%(day)s).",
                day=member.left_on.strftime("%d/%m/%Y"),
            ),
        )
    member.earlier_periods.append(MemberPeriod(joined_on=member.joined_on, left_on=member.left_on))
    member.joined_on, member.left_on = joined_on, None
    db.session.flush()
    audit.record("member_rejoined", obj=member, details={"joined_on": joined_on.isoformat()})


@for_tenant
def erase_member(tenant: Tenant, member: Member) -> None:
    """GDPR erasure: the person's data disappears; their profession and dates still count in
    the figures, anonymously. The audit keeps that it happened and who did it, nothing more."""
    member.first_name = member.last_name = ""
    member.rpps = member.email = member.practice_commune_code = None
    member.exercise_mode = member.place = member.board_role = None
    member.erased_at = utcnow()
    audit.record("member_erased", obj=member)


@dataclass(frozen=True)
class MemberFilters:
    text: str = ""  # a name or an RPPS, or the start of one
    profession: Profession | None = None
    status: str = "active"  # active, left or all
    outside: bool = False  # practising in a commune outside the territory
    sort: str = "name"


@dataclass(frozen=True)
class MemberPage:
    members: list[Member]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@for_tenant
def find_members(
    tenant: Tenant,
    filters: MemberFilters,
    page: int = 1,
    per_page: int = 50,
    day: date | None = None,
) -> MemberPage:
    """One page of the registry and the total: two statements, whatever its size."""
    criteria = _criteria(filters, day or date.today())
    total = db.session.scalar(select(func.count(Member.id)).where(*criteria)) or 0
    members = db.session.scalars(
        select(Member)
        .where(*criteria)
        .order_by(*SORTS.get(filters.sort, SORTS["name"]), Member.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return MemberPage(list(members), total, page, per_page)


def _criteria(filters: MemberFilters, day: date) -> list[ColumnElement[bool]]:
    criteria: list[ColumnElement[bool]] = [Member.erased_at.is_(None)]
    text = filters.text.strip()
    if text:
        pattern = f"%{text.lower()}%"
        criteria.append(
            or_(
                func.lower(Member.last_name).like(pattern),
                func.lower(Member.first_name).like(pattern),
                func.lower(Member.last_name + " " + Member.first_name).like(pattern),
                func.lower(Member.first_name + " " + Member.last_name).like(pattern),
                Member.rpps.like(f"{text.replace(' ', '')}%"),
            )
        )
    if filters.profession is not None:
        criteria.append(Member.profession == filters.profession)
    active = (Member.joined_on <= day) & (Member.left_on.is_(None) | (Member.left_on > day))
    if filters.status == "active":
        criteria.append(active)
    elif filters.status == "left":
        criteria.append(~active)
    if filters.outside:
        criteria.append(Member.practice_commune_code.is_not(None))
        criteria.append(Member.practice_commune_code.not_in(select(TerritoryCommune.commune_code)))
    return criteria


def _flush_or_refuse() -> None:
    """The database has the last word on duplicates (two requests racing with one RPPS)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise DomainError.on("rpps", _l("Un autre membre de la CPTS a déjà ce RPPS.")) from error


def _public(values: dict) -> dict:
    return {
        field: _text(value)
        for field, value in values.items()
        if field not in PERSONAL and value is not None
    }


def _changes(changed: set[str], before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that are not personal; personal ones by name."""
    details: dict = {f: [_text(before[f]), _text(after[f])] for f in sorted(changed - PERSONAL)}
    if personal := sorted(changed & PERSONAL):
        details["personal_fields_changed"] = personal
    return details


def _text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(getattr(value, "value", value))
