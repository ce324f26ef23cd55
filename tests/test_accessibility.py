"""Accessible HTML on every page a person can open: a language, one h1, labelled fields,
named buttons, captioned or labelled tables. Pages come from app.url_map, like the matrix."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.demo import EXAMPLE_IMPORT
from app.extensions import db
from app.models.user import Role
from app.services import imports
from app.tenants.context import tenant_bound
from tests.factories import AGDE, NARBONNE, add_members, make_tenant, make_user


class PageStructure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.h1, self.labels, self.fields = None, 0, set(), []
        self.buttons, self.tables, self.open_button = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.fields.append(attrs)
        elif tag == "button":
            self.open_button = {"aria-label": attrs.get("aria-label"), "text": ""}
            self.buttons.append(self.open_button)
        elif tag == "table":
            self.tables.append({"caption": False})
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True

    def handle_data(self, data):
        if self.open_button is not None:
            self.open_button["text"] += data.strip()

    def handle_endtag(self, tag):
        if tag == "button":
            self.open_button = None


@pytest.fixture
def pages(app):
    tenant = make_tenant("cpts-a", (NARBONNE,))
    make_tenant("cpts-b", (AGDE, NARBONNE))
    members = add_members(tenant, 4)
    president = make_user("p@test.fr", Role.PRESIDENT, tenant=tenant)
    record = imports.start(tenant, EXAMPLE_IMPORT.read_bytes(), "exemple.csv", president.id)
    with tenant_bound(tenant.id):
        member_id, import_id = members[0].id, record.id
    db.session.commit()
    make_user("p@test.fr", Role.ARS, region="76")
    make_user("p@test.fr", Role.CPAM, departments=("11",))
    make_user("p@test.fr", Role.ADMIN)
    values = {"tenant": "cpts-a", "region": "76", "member_id": member_id, "import_id": import_id}
    paths = ["/login"]
    for rule in app.url_map.iter_rules():
        if (
            "GET" in rule.methods
            and set(rule.arguments) <= set(values)
            and rule.endpoint != "static"
        ):
            path = rule.build({k: values[k] for k in rule.arguments})[1]
            if not path.startswith(("/api/", "/healthz", "/vendor/")):
                paths.append(path)
    return sorted(set(paths))


def test_every_page_is_structured_for_assistive_technology(app, client, auth, pages):
    auth.login("p@test.fr")
    assert len(pages) >= 8, pages
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue  # a download
        page = PageStructure()
        page.feed(response.get_data(as_text=True))
        assert page.lang in ("fr", "en"), path
        assert page.h1 == 1, f"{path}: {page.h1} h1"
        for field in page.fields:
            assert field.get("id") in page.labels or field.get("aria-label"), f"{path}: {field}"
        for button in page.buttons:
            assert button["text"] or button["aria-label"], f"{path}: unnamed button"
        assert all(table["caption"] for table in page.tables), f"{path}: table without caption"
