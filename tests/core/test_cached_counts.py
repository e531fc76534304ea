import pytest
from django import forms
from django.core.cache import cache
from django.db import transaction

from clusterxchange.core import cached_counts
from clusterxchange.core.cached_counts import bump, cached_count, version
from clusterxchange.core.models import Ecosystem

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting(settings):
    settings.CACHED_COUNTS = True


def test_a_count_is_read_once_until_its_scope_changes(counting, django_assert_num_queries):
    queryset = Ecosystem.objects.filter(position__gte=0)
    total = Ecosystem.objects.count()
    with django_assert_num_queries(1):
        assert cached_count(queryset, "test") == total
        assert cached_count(queryset, "test") == total
    Ecosystem.objects.create(code="new-eco", name="New")
    with django_assert_num_queries(0):
        assert cached_count(queryset, "test") == total  # nobody said the scope changed
    bump("test")
    with django_assert_num_queries(1):
        assert cached_count(queryset, "test") == total + 1


def test_different_queries_have_different_counts(counting):
    assert cached_count(Ecosystem.objects.filter(code="digital"), "test") == 1
    assert cached_count(Ecosystem.objects.filter(code="none-such"), "test") == 0
    assert cached_count(Ecosystem.objects.filter(code="digital"), "other") == 1


def test_bump_counts_at_once_and_again_after_the_commit(counting, django_capture_on_commit_callbacks):
    before = version("test")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        bump("test")
        assert version("test") == before + 1  # the same transaction sees its own change
    assert len(callbacks) == 1
    assert version("test") == before + 2  # a count taken before the commit is unreachable


def test_an_evicted_version_restarts_from_a_number_never_used(counting):
    bump("test")
    old = version("test")
    cache.delete(cached_counts._version_key("test"))
    assert version("test") > old
    cache.delete(cached_counts._version_key("test"))
    bump("test")  # incrementing a missing version also starts afresh
    assert version("test") > old


def test_switched_off_every_count_is_a_query(settings, django_assert_num_queries):
    settings.CACHED_COUNTS = False
    with django_assert_num_queries(2):
        cached_count(Ecosystem.objects.all(), "test")
        cached_count(Ecosystem.objects.all(), "test")


def test_an_unreachable_cache_server_gives_exact_counts_not_errors(settings, caplog):
    from clusterxchange.core.widgets import FastSelect

    settings.CACHED_COUNTS = True
    # A real Redis client against a loopback port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    assert cached_count(Ecosystem.objects.all(), "test") == Ecosystem.objects.count()
    bump("test")
    field_choices = forms.ModelChoiceField(queryset=Ecosystem.objects.all()).choices
    html = FastSelect(choices=field_choices, data_scope="test").render("e", None, {})
    assert html.count("<option") == Ecosystem.objects.count() + 1
    assert "The cache is unreachable" in caplog.text
