from clusterxchange.engines.matching.reference import (
    fold,
    language_name,
    nace_section_for_division,
    normalise_ecosystem,
    normalise_language,
    parse_nace,
)


def test_fold_strips_accents_and_case_but_keeps_other_scripts():
    assert fold("Électronique") == "electronique"
    assert fold("Prüfung") == "prufung"
    assert fold("Електроника") == "електроника"


def test_languages_accept_codes_and_names_and_keep_unknown_values():
    assert normalise_language("German") == "de"
    assert normalise_language(" DE ") == "de"
    assert normalise_language("Klingon") == "klingon"
    assert language_name("de") == "German"
    assert language_name("klingon") == "klingon"


def test_ecosystem_labels_are_canonical_in_any_case():
    assert normalise_ecosystem("electronics") == "Electronics"
    assert normalise_ecosystem("Space tourism") == "Space tourism"


def test_nace_codes_parse_to_section_and_division():
    assert parse_nace("C26.11") == ("C", 26)
    assert parse_nace("26.1") == ("C", 26)
    assert parse_nace("Q") == ("Q", None)
    assert parse_nace("nonsense") == (None, None)
    assert parse_nace("") == (None, None)
    assert nace_section_for_division(35) == "D"
    assert nace_section_for_division(100) is None
