"""French identifiers: SIREN (9 digits with a Luhn key) and FINESS (department prefix, 2A/2B)."""

from __future__ import annotations

import pytest

from app.identifiers import finess_problem, luhn_ok, siren_problem


@pytest.mark.parametrize("siren", ["732829320", "552100554", "241100593"])
def test_valid_siren_is_accepted(siren):
    assert siren_problem(siren) is None


def test_siren_with_a_wrong_key_is_refused():
    assert siren_problem("732829321") == "Le SIREN est invalide (clé de contrôle incorrecte)."


@pytest.mark.parametrize(
    "siren", ["73282932", "7328293200", "73282932A", " 732829320", "732 829 320", ""]
)
def test_siren_of_the_wrong_shape_is_refused(siren):
    assert siren_problem(siren) == "Le SIREN doit comporter exactement 9 chiffres."


def test_siren_in_non_ascii_digits_is_refused():
    # Full-width digits match \d in Python and pass int(); they are not a SIREN.
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "732829320")
    assert siren_problem(fullwidth) == "Le SIREN doit comporter exactement 9 chiffres."


def test_luhn_doubles_every_second_digit_from_the_right():
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
    assert luhn_ok("18")  # 1*2 + 8 = 10
    assert not luhn_ok("81")


@pytest.mark.parametrize(
    "finess", ["340780477", "110000015", "2A0000014", "2B0000012", "970000012"]
)
def test_finess_formats_are_accepted(finess):
    assert finess_problem(finess) is None


@pytest.mark.parametrize(
    "finess",
    [
        "34078047",
        "3407804770",
        "2C0000014",
        "AB0000014",
        "2a0000014",
        "34078047X",
        "34 0780477",
        "",
    ],
)
def test_malformed_finess_is_refused(finess):
    problem = finess_problem(finess)
    assert problem is not None
    assert "FINESS" in problem and "2A/2B" in problem


def test_finess_in_non_ascii_digits_is_refused():
    assert finess_problem("３４０７８０４７７") is not None
