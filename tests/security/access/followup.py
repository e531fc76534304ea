"""Follow-up surveys: the page is bound to its signed link, not to a login (tests/followup)."""

from tests.security.access import E, Url


def survey(s):
    return {"token": s.survey_token}


URLS = {
    "followup:survey": Url(
        get=E(rest="ok"),
        post=E(rest="redirect"),
        kwargs=survey,
        data=lambda s: {"outcome": "commercial", "value_eur": "1000", "recommend": "yes"},
    ),
}
