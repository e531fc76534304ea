from hypothesis import given
from hypothesis import strategies as st

from clusterxchange.engines.matching.text import analyse, key_set, word_spans


def test_inflections_and_spelling_variants_share_keys():
    assert set(analyse("testing electronics")) == set(analyse("tested electronic"))
    assert set(analyse("Elektronik")) == set(analyse("electronics"))
    assert set(analyse("digitalisation")) == set(analyse("digitalization"))
    assert set(analyse("fotovoltaica")) == set(analyse("photovoltaic"))


def test_boiler_plate_and_stop_words_are_dropped():
    assert analyse("We are looking for a partner who can offer the") == []


def test_word_spans_point_into_the_original_text():
    text = "Prüflabor für Leistungselektronik"
    assert [text[start:end] for start, end, _ in word_spans(text)] == [
        "Prüflabor",
        "für",
        "Leistungselektronik",
    ]


@given(st.text())
def test_any_text_is_analysed_without_error(text):
    keys = analyse(text)
    assert all(keys)
    assert key_set(text) == frozenset(keys)
