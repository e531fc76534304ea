"""A programme's languages and its public texts in each (issue #16 point 1): chosen on the set-up pages and
by API by the programme's coordinators only, bad input refused with nothing half-saved, every change in
the history, copied for a new call; the public site shows the reader's language, else the default's."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clusterxchange.core.models import AuditEntry
from clusterxchange.programmes import domain
from clusterxchange.programmes.models import Programme, ProgrammeText
from tests.programmes.conftest import ROLES
from tests.programmes.test_api import EDITORS, READERS, call, expected


def history(programme):
    return list(
        AuditEntry.objects.filter(object_type="programmes.programme", object_id=str(programme.pk)).order_by(
            "id"
        )
    )


def state(programme):
    """Everything languages and texts touch, to compare before and after a refusal."""
    return (
        list(Programme.objects.filter(pk=programme.pk).values("languages", "default_language", "name")),
        list(ProgrammeText.objects.filter(programme=programme).values()),
        AuditEntry.objects.count(),
    )


def fresh(programme):
    return Programme.objects.get(pk=programme.pk)


@pytest.fixture
def multilingual(pw):
    """TEST works in English (default), German and French; English and German texts are written."""
    coordinator = pw.users["coordinator"]
    domain.update_programme(coordinator, pw.programme, {"languages": ["fr", "de", "en"]})
    domain.set_texts(
        coordinator,
        pw.programme,
        {
            "en": {"name": "", "description": "Exchanges for clusters."},
            "de": {"name": "Testprogramm", "description": "Austausche für Cluster."},
        },
    )
    return fresh(pw.programme)


# Languages ---------------------------------------------------------------------------------------


def test_a_new_programme_works_in_its_default_language_unless_told_otherwise(pw):
    creator = pw.users["superuser"]
    fields = {"name": "Bridges", "start_date": date(2027, 1, 1), "end_date": date(2028, 1, 1)}
    alone = domain.create_programme(creator, {**fields, "acronym": "ONE", "default_language": "pl"})
    assert alone.languages == ["pl"]
    several = domain.create_programme(
        creator, {**fields, "acronym": "TWO", "default_language": "pl", "languages": ["lt", "pl", "en", "lt"]}
    )
    assert fresh(several).languages == ["en", "pl", "lt"]  # the site's order, once each
    assert pw.programme.languages == ["en"]  # made without them: its default language


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"default_language": "pl"},
            "default_language",
            "The default language (Polish) is not one of the programme's languages (English, German, French)",
        ),
        ({"languages": ["de"]}, "languages", "The default language (English) stays among"),
        ({"languages": ["en", "xx"]}, "languages", "Unknown language: xx."),
        ({"languages": []}, "languages", "Choose at least one language."),
        ({"languages": None}, "languages", "Choose at least one language."),
        (
            {"languages": ["de"], "default_language": "fr"},
            "default_language",
            "The default language (French) is not one of the programme's languages (German)",
        ),
    ],
)
def test_bad_languages_are_refused_with_nothing_saved(multilingual, pw, fields, field, message):
    before = state(multilingual)
    with pytest.raises(ValidationError) as error:
        domain.update_programme(pw.users["coordinator"], multilingual, fields)
    assert message in " ".join(error.value.message_dict[field])
    assert state(multilingual) == before


def test_a_new_programme_with_its_default_outside_its_languages_is_refused(pw):
    before = Programme.objects.count(), AuditEntry.objects.count()
    fields = {"name": "X", "acronym": "X", "start_date": date(2027, 1, 1), "end_date": date(2028, 1, 1)}
    with pytest.raises(ValidationError) as error:
        domain.create_programme(
            pw.users["superuser"], {**fields, "default_language": "bg", "languages": ["en"]}
        )
    assert (
        "The default language (Bulgarian) is not one of the programme's languages (English)"
        in error.value.message_dict["default_language"][0]
    )
    assert (Programme.objects.count(), AuditEntry.objects.count()) == before


def test_default_and_languages_change_together(multilingual, pw):
    programme = domain.update_programme(
        pw.users["coordinator"], multilingual, {"languages": ["de", "fr"], "default_language": "de"}
    )
    assert (fresh(programme).default_language, fresh(programme).languages) == ("de", ["de", "fr"])
    # English is gone, and its text with it; the history keeps what it said.
    assert set(ProgrammeText.objects.filter(programme=programme).values_list("language", flat=True)) == {"de"}
    update, removed = history(programme)[-2:]
    assert update.changes["languages"] == ["en, de, fr", "de, fr"]
    assert removed.action == "programmes.text.remove" and removed.comment == "English"
    assert removed.changes == {"description": ["Exchanges for clusters.", ""]}


def test_only_the_coordinators_change_languages_and_texts(multilingual, pw):
    before = state(multilingual)
    for role in ROLES:
        user = pw.users[role]
        if role in ("coordinator", "superuser") or user is None:
            continue
        with pytest.raises(PermissionDenied):
            domain.update_programme(user, multilingual, {"languages": ["en"]})
        with pytest.raises(PermissionDenied):
            domain.set_texts(user, multilingual, {"fr": {"description": "Des échanges."}})
    assert state(multilingual) == before


# Texts -------------------------------------------------------------------------------------------


def test_texts_are_written_changed_emptied_and_recorded(multilingual, pw):
    coordinator = pw.users["coordinator"]
    domain.set_texts(coordinator, multilingual, {"fr": {"name": "", "description": "Des échanges."}})
    entry = history(multilingual)[-1]
    assert (entry.action, entry.comment) == ("programmes.text.set", "French")
    assert entry.changes == {"description": ["", "Des échanges."]}
    # A text left as it was is not recorded again; emptied, the language has no text.
    count = AuditEntry.objects.count()
    domain.set_texts(coordinator, multilingual, {"fr": {"name": "", "description": "Des échanges."}})
    assert AuditEntry.objects.count() == count
    domain.set_texts(coordinator, multilingual, {"fr": {"name": "", "description": ""}})
    assert not ProgrammeText.objects.filter(programme=multilingual, language="fr").exists()
    assert history(multilingual)[-1].changes == {"description": ["Des échanges.", ""]}


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"pl": {"description": "Wymiany."}}, "language", "Not one of the programme's languages: Polish."),
        ({"xx": {"description": "?"}}, "language", "Unknown language: xx."),
        (
            {"fr": {"description": "Bon.", "name": "N" * 201}, "de": {"description": "Neu"}},
            "name_fr",
            "at most 200",
        ),
    ],
)
def test_bad_texts_are_refused_with_nothing_saved(multilingual, pw, texts, field, message):
    before = state(multilingual)
    with pytest.raises(ValidationError) as error:
        domain.set_texts(pw.users["coordinator"], multilingual, texts)
    assert message in " ".join(error.value.message_dict[field])
    assert state(multilingual) == before


def test_the_texts_step_names_the_languages_without_a_text(multilingual, pw):
    from clusterxchange.programmes.steps import setup_steps

    step = next(step for step in setup_steps(multilingual) if step.key == "texts")
    assert step.missing == ["A public description in each language; missing: French."]
    domain.set_texts(pw.users["coordinator"], multilingual, {"en": {"description": ""}})
    step = next(step for step in setup_steps(fresh(multilingual)) if step.key == "texts")
    assert step.missing[0] == "A public description in the default language (English)."


def test_copy_keeps_the_languages_and_descriptions_not_the_names(multilingual, pw):
    fields = {
        "name": "Second call",
        "acronym": "TEST2",
        "start_date": date(2031, 1, 1),
        "end_date": date(2032, 1, 1),
    }
    copy = domain.copy_programme(pw.users["coordinator"], multilingual, fields)
    assert copy.languages == ["en", "de", "fr"]
    texts = {t.language: (t.name, t.description) for t in copy.texts.all()}
    assert texts == {"en": ("", "Exchanges for clusters."), "de": ("", "Austausche für Cluster.")}
    # A new default language the source did not work in is added to the copy's languages.
    other = domain.copy_programme(
        pw.users["coordinator"], multilingual, {**fields, "acronym": "TEST3", "default_language": "pl"}
    )
    assert (other.default_language, other.languages) == ("pl", ["en", "de", "fr", "pl"])


# Pages -------------------------------------------------------------------------------------------


def test_the_texts_page_shows_each_language_and_saves_them(multilingual, pw):
    client = pw.client("coordinator")
    url = reverse("programmes:texts", kwargs={"slug": multilingual.slug})
    page = client.get(url).content.decode()
    for code in ("en", "de", "fr"):
        assert f'id="language-{code}"' in page and f'name="description_{code}"' in page
    assert 'name="description_pl"' not in page
    assert "Austausche für Cluster." in page and 'lang="de"' in page
    assert page.count("not written yet") == 1  # French
    data = {
        "name_en": "",
        "description_en": "Exchanges.",
        "name_de": "Testprogramm",
        "description_de": "Neu.",
    }
    response = client.post(url, {**data, "name_fr": "", "description_fr": "Des échanges."})
    assert response.status_code == 302 and response["Location"] == url
    assert dict(multilingual.texts.values_list("language", "description")) == {
        "en": "Exchanges.",
        "de": "Neu.",
        "fr": "Des échanges.",
    }
    overview = client.get(reverse("programmes:overview", kwargs={"slug": multilingual.slug})).content.decode()
    assert "Public texts changed: French" in overview and "Public description: Des échanges." in overview


def test_a_bad_text_is_shown_on_the_page_and_nothing_saved(multilingual, pw):
    before = state(multilingual)
    url = reverse("programmes:texts", kwargs={"slug": multilingual.slug})
    response = pw.client("coordinator").post(url, {"name_fr": "N" * 201, "description_fr": "Bon."})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert state(multilingual) == before


def test_the_programme_page_chooses_the_languages(multilingual, pw):
    client = pw.client("coordinator")
    url = reverse("programmes:edit", kwargs={"slug": multilingual.slug})
    form = client.get(url).context["form"]
    assert form.initial["languages"] == ["en", "de", "fr"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(start_date="2022-01-01", end_date="2030-01-01", languages=["de", "fr"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The default language (English) stays among" in response.content.decode()
    response = client.post(url, {**data, "languages": []})
    assert "Choose at least one language." in response.content.decode()
    assert fresh(multilingual).languages == ["en", "de", "fr"]
    response = client.post(url, {**data, "languages": ["en", "de", "fr", "pl"]})
    assert response.status_code == 302
    assert fresh(multilingual).languages == ["en", "de", "fr", "pl"]
    overview = client.get(reverse("programmes:overview", kwargs={"slug": multilingual.slug})).content.decode()
    assert "Languages: English, German, French → English, German, French, Polish" in overview


@pytest.mark.parametrize("role", ["coordinator", "superuser", "partner_manager", "other_partner_manager"])
def test_each_reader_of_the_overview_sees_the_languages_and_texts(multilingual, pw, role):
    page = (
        pw.client(role)
        .get(reverse("programmes:overview", kwargs={"slug": multilingual.slug}))
        .content.decode()
    )
    assert "English, German, French" in page
    assert "Testprogramm: Austausche für Cluster." in page and "not written yet" in page
    texts_link = reverse("programmes:texts", kwargs={"slug": multilingual.slug})
    assert (texts_link in page) == (role in ("coordinator", "superuser"))


# The public site ---------------------------------------------------------------------------------


def test_the_public_site_speaks_the_readers_language_else_the_default(multilingual, pw):
    client = pw.client("anonymous")
    about = reverse("site:about", args=[multilingual.slug])  # unprefixed: English
    german = client.get("/de" + about).content.decode()
    assert "<h1>Testprogramm</h1>" in german and "<p>Austausche für Cluster.</p>" in german
    assert "not written in your language yet" not in german
    # French: the programme works in it but its text is not written; Polish: it does not work in it.
    for prefix, note in (("/fr", "pas encore"), ("/pl", "jeszcze")):
        page = client.get(prefix + about).content.decode()
        assert '<div lang="en"><p>Exchanges for clusters.</p></div>' in page
        assert "<h1>Test programme</h1>" in page  # the programme's own name: no language of its own
        assert "Testprogramm" not in page
        assert note in page
    english = client.get(about).content.decode()
    assert "<p>Exchanges for clusters.</p>" in english and 'lang="en"><p>' not in english
    home = client.get("/de/").content.decode()
    assert "<h1>Testprogramm</h1>" in home and "Austausche für Cluster." in home


def test_a_description_written_only_in_another_language_is_still_shown(pw):
    coordinator = pw.users["coordinator"]
    domain.update_programme(coordinator, pw.programme, {"languages": ["en", "lt"]})
    domain.set_texts(coordinator, pw.programme, {"lt": {"description": "Mainai klasteriams."}})
    page = pw.client("anonymous").get(reverse("site:about", args=[pw.programme.slug])).content.decode()
    assert '<div lang="lt"><p>Mainai klasteriams.</p></div>' in page
    assert "This text is not written in your language yet. Language of the text: Lithuanian." in page


def test_a_public_text_is_escaped_and_keeps_its_paragraphs(pw):
    coordinator = pw.users["coordinator"]
    description = "Open <script>alert(1)</script> calls & visits.\n\nSecond paragraph."
    domain.set_texts(coordinator, pw.programme, {"en": {"description": description}})
    page = pw.client("anonymous").get(reverse("site:about", args=[pw.programme.slug])).content.decode()
    assert "<p>Open &lt;script&gt;alert(1)&lt;/script&gt; calls &amp; visits.</p>" in page
    assert "<p>Second paragraph.</p>" in page and "<script>alert(1)" not in page


# API ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_texts_by_api_by_role(multilingual, pw, role):
    response = call(pw, role, "GET", f"/{multilingual.slug}/texts")
    assert response.status_code == expected(role, READERS)
    if response.status_code == 200:
        assert response.json() == [
            {"language": "en", "name": "", "description": "Exchanges for clusters."},
            {"language": "de", "name": "Testprogramm", "description": "Austausche für Cluster."},
            {"language": "fr", "name": "", "description": ""},
        ]
    before = state(multilingual)
    response = call(pw, role, "PUT", f"/{multilingual.slug}/texts/fr", {"description": "Des échanges."})
    assert response.status_code == expected(role, EDITORS)
    if role in EDITORS:
        assert response.json() == {"language": "fr", "name": "", "description": "Des échanges."}
    else:
        assert state(multilingual) == before


def test_bad_languages_and_texts_by_api_are_refused_with_nothing_saved(multilingual, pw):
    before = state(multilingual)
    slug = multilingual.slug
    for method, path, body, text in [
        (
            "PUT",
            f"/{slug}/texts/pl",
            {"description": "Wymiany."},
            "Not one of the programme's languages: Polish",
        ),
        ("PUT", f"/{slug}/texts/xx", {"description": "?"}, "language"),
        ("PATCH", f"/{slug}", {"languages": ["de", "fr"]}, "The default language (English) stays"),
        ("PATCH", f"/{slug}", {"default_language": "pl"}, "The default language (Polish) is not one"),
        ("PATCH", f"/{slug}", {"languages": ["en", "xx"]}, "languages"),
        ("PATCH", f"/{slug}", {"languages": []}, "Choose at least one language."),
    ]:
        response = call(pw, "coordinator", method, path, body)
        assert response.status_code == 422, (path, body, response.content)
        assert text in json.dumps(response.json(), ensure_ascii=False), (body, response.json())
    assert state(multilingual) == before


def test_languages_by_api(pw):
    body = {
        "name": "Bridges",
        "acronym": "BRIDGE",
        "start_date": "2030-01-01",
        "end_date": "2031-01-01",
        "default_language": "fr",
        "languages": ["fr", "es"],
    }
    data = call(pw, "superuser", "POST", "", body).json()
    assert (data["default_language"], data["languages"]) == ("fr", ["fr", "es"])
    data = call(pw, "superuser", "POST", "", {**body, "acronym": "B2", "languages": None}).json()
    assert data["languages"] == ["fr"]
    data = call(pw, "superuser", "PATCH", "/bridge", {"languages": ["fr", "es", "bg"]}).json()
    assert data["languages"] == ["fr", "es", "bg"]
