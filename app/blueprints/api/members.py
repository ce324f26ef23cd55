"""The member registry through the API: list (filters, pages), add, read, change, growth."""

from __future__ import annotations

from datetime import date

from flask import abort
from marshmallow import RAISE

from app.blueprints.api.blueprint import tenant_api
from app.blueprints.api.paging import page_meta
from app.extensions import db
from app.models.member import Member
from app.reports.members import first_join, membership_growth
from app.schemas.envelope import envelope
from app.schemas.member import (
    GrowthPointSchema,
    GrowthQuerySchema,
    MemberInputSchema,
    MemberPatchSchema,
    MemberQuerySchema,
    MemberSchema,
)
from app.security.permissions import Action, require
from app.services import members
from app.tenants.resolver import current_tenant

FIELDS = (
    "id",
    "last_name",
    "first_name",
    "profession",
    "rpps",
    "exercise_mode",
    "place",
    "practice_commune_code",
    "email",
    "board_role",
    "joined_on",
    "left_on",
    "earlier_periods",
)


def _shown(member: Member, territory: set[str]) -> dict:
    values = {name: getattr(member, name) for name in FIELDS}
    values["active"] = member.is_active(date.today())
    values["warnings"] = {
        name: [str(m) for m in found]
        for name, found in members.warnings_for(values, territory).items()
    }
    return values


@tenant_api.route("/members", methods=["GET"])
@require(Action.READ_PEOPLE)
@tenant_api.arguments(MemberQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@tenant_api.response(200, envelope(MemberSchema, paged=True))
def member_list(page: int, per_page: int, **filters):
    """Members of the CPTS, filtered as on the registry page, a page at a time."""
    found = members.find_members(
        current_tenant,
        members.MemberFilters(
            text=filters["q"],
            profession=filters["profession"],
            status=filters["status"],
            outside=filters["outside_territory"],
            sort=filters["sort"],
        ),
        page,
        per_page,
    )
    territory = members.territory_set(current_tenant)
    return {
        "data": [_shown(member, territory) for member in found.members],
        "meta": page_meta(found.total, page, per_page),
    }


@tenant_api.route("/members", methods=["POST"])
@require(Action.READ_PEOPLE, Action.WRITE)
@tenant_api.arguments(MemberInputSchema, location="json")
@tenant_api.response(201, envelope(MemberSchema))
def create_member(data: dict):
    """Add a member (warnings, such as a failed RPPS key, come back in `data.warnings`)."""
    member = members.create_member(current_tenant, MemberInputSchema().dump(data))
    db.session.commit()
    return {"data": _shown(member, members.territory_set(current_tenant))}


def _member_or_404(member_id: int) -> Member:
    return members.get_member(current_tenant, member_id) or abort(404)


@tenant_api.route("/members/<id:member_id>", methods=["GET"])
@require(Action.READ_PEOPLE)
@tenant_api.response(200, envelope(MemberSchema))
def member(member_id: int):
    return {"data": _shown(_member_or_404(member_id), members.territory_set(current_tenant))}


@tenant_api.route("/members/<id:member_id>", methods=["PATCH"])
@require(Action.READ_PEOPLE, Action.WRITE)
@tenant_api.arguments(MemberPatchSchema, location="json")
@tenant_api.response(200, envelope(MemberSchema))
def update_member(data: dict, member_id: int):
    """Change some of a member's fields (`left_on` records a departure)."""
    found = _member_or_404(member_id)
    members.update_member(current_tenant, found, MemberPatchSchema().dump(data), partial=True)
    db.session.commit()
    return {"data": _shown(found, members.territory_set(current_tenant))}


@tenant_api.route("/members/growth", methods=["GET"])
@require(Action.READ)
@tenant_api.arguments(GrowthQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@tenant_api.response(200, envelope(GrowthPointSchema, many=True))
def growth(start: date | None, end: date | None):
    """Active members at the end of each month, by profession (counts only, no names)."""
    first = start or first_join(current_tenant) or date.today()
    return {"data": membership_growth(current_tenant, first, end or date.today())}
