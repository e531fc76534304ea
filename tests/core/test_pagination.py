from clusterxchange.core.pagination import api_page


def test_api_page_counts_everything_and_shows_the_requested_page():
    assert api_page(list(range(1, 8)), 2, 3) == {"count": 7, "page": 2, "pages": 3, "results": [4, 5, 6]}


def test_api_page_passes_each_result_through_out():
    assert api_page(["a", "b", "c"], 1, 2, str.upper) == {
        "count": 3,
        "page": 1,
        "pages": 2,
        "results": ["A", "B"],
    }


def test_api_page_past_the_end_gives_the_last_page():
    assert api_page(list(range(5)), 9, 2) == {"count": 5, "page": 3, "pages": 3, "results": [4]}


def test_api_page_of_nothing_is_one_empty_page():
    assert api_page([], 1, 25) == {"count": 0, "page": 1, "pages": 1, "results": []}
