"""A president sees their CPTS among the region's others, anonymised: no other CPTS's name or
slug, no population, no member count, and a peer with 1 to 10 members has its figure masked."""

from __future__ import annotations

from app.models.user import Role
from tests.factories import AGDE, BESANCON, NIMES, add_members, make_tenant, make_user


def test_peers_are_anonymous_and_small_counts_masked(app, auth):
    own = make_tenant("cpts-a")
    neighbour = make_tenant("cpts-voisine", (AGDE,), name="CPTS du Voisin d'Agde")
    big = make_tenant("cpts-grande", (NIMES,), name="CPTS de la Grande Ville")
    make_tenant("cpts-ailleurs", (BESANCON,), name="CPTS d'une autre région")
    add_members(own, 40)
    add_members(neighbour, 5)  # small: masked
    add_members(big, 300)
    make_user("president@test.fr", Role.PRESIDENT, tenant=own)
    auth.login("president@test.fr")
    page = auth.client.get("/t/cpts-a/comparaison").get_data(as_text=True)
    csv = auth.client.get("/t/cpts-a/comparaison.csv").get_data(as_text=True)
    for body in (page, csv):
        for secret in ("Voisin", "cpts-voisine", "Grande Ville", "cpts-grande", "autre région"):
            assert secret not in body
    assert page.count('class="row-highlight"') == 1
    assert "masqué" in page  # the neighbour's 5 members
    rows = [line.split(";") for line in csv.strip().splitlines()[1:]]
    assert len(rows) == 3 and sum(r[0] == "oui" for r in rows) == 1  # the region's three
    assert [r[3] for r in rows if r[0] != "oui"].count("") == 1  # the masked one
