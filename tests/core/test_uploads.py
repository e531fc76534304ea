import re
from datetime import UTC, datetime
from unittest import mock

from clusterxchange.core.uploads import dated_upload_path
from clusterxchange.news.models import image_path

NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def test_a_dated_upload_path_has_the_month_a_random_name_and_the_extension():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        first = dated_upload_path("news", "My Holiday.Photo.JPG")
        second = dated_upload_path("news", "My Holiday.Photo.JPG")
        without = dated_upload_path("news", "README")
    assert re.fullmatch(r"news/2026/03/[A-Za-z0-9_-]{32}\.jpg", first)
    assert first != second
    assert "Holiday" not in first
    assert re.fullmatch(r"news/2026/03/[A-Za-z0-9_-]{32}\.bin", without)


def test_article_images_are_stored_where_they_always_were():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert re.fullmatch(r"news/2026/03/[A-Za-z0-9_-]{32}\.png", image_path(None, "chart.png"))
