import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from clusterxchange.core.domain import Refused
from clusterxchange.core.forms import add_errors_to_form, attempt_form, refusal_on_form, save_form


class NameForm(forms.Form):
    name = forms.CharField()
    city = forms.CharField(required=False)


def valid_form():
    form = NameForm({"name": "Ada", "city": "Graz"})
    assert form.is_valid()
    return form


def test_an_error_about_a_field_of_the_form_goes_to_that_field():
    form = valid_form()
    add_errors_to_form(form, ValidationError({"name": "Taken.", "city": ["Unknown.", "Too far."]}))
    assert form.errors["name"] == ["Taken."]
    assert form.errors["city"] == ["Unknown.", "Too far."]
    assert form.non_field_errors() == []
    assert "name" not in form.cleaned_data and "city" not in form.cleaned_data


def test_an_error_about_a_field_the_form_does_not_have_goes_to_the_whole_form():
    form = valid_form()
    add_errors_to_form(form, ValidationError({"name": "Taken.", "programme": "Closed."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Closed."]
    assert "programme" not in form.errors


def test_an_error_about_no_field_goes_to_the_whole_form():
    form = valid_form()
    add_errors_to_form(form, ValidationError("Not now."))
    assert form.non_field_errors() == ["Not now."]
    assert list(form.errors) == ["__all__"]
    form = valid_form()
    add_errors_to_form(form, ValidationError(["First.", ValidationError("Second.")]))
    assert form.non_field_errors() == ["First.", "Second."]


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"page.html": "{{ heading }}|{{ form.errors.as_text }}"},
                )
            ]
        },
    }
]


@pytest.fixture
def page_templates(settings):
    settings.TEMPLATES = TEMPLATES


def request_for(method: str, data=None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_save_form_on_a_get_renders_the_page_without_saving(page_templates):
    saved = []
    request = request_for("GET")
    response = save_form(
        request, NameForm(None), saved.append, "Saved.", "page.html", {"heading": "New name"}
    )
    assert response.status_code == 200
    assert response.content.decode() == "New name|"
    assert saved == []


def test_save_form_on_a_valid_post_saves_and_redirects_with_the_message(page_templates):
    saved = []

    def save(form):
        saved.append(form.cleaned_data["name"])
        return "/done/"

    request = request_for("POST", {"name": "Ada"})
    response = save_form(
        request, NameForm(request.POST), save, lambda f: f"Saved {f.cleaned_data['name']}.", "page.html"
    )
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert saved == ["Ada"]
    assert [str(m) for m in get_messages(request)] == ["Saved Ada."]


def test_save_form_puts_the_actions_error_on_the_form_and_renders_it_again(page_templates):
    def save(form):
        raise ValidationError({"name": "Taken.", "programme": "Closed."})

    request = request_for("POST", {"name": "Ada"})
    response = save_form(request, NameForm(request.POST), save, "Saved.", "page.html", {"heading": "New"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("New|") and "Taken." in body and "Closed." in body
    assert list(get_messages(request)) == []


def test_save_form_does_not_save_an_invalid_form(page_templates):
    saved = []
    request = request_for("POST", {"city": "Graz"})
    response = save_form(request, NameForm(request.POST), saved.append, "Saved.", "page.html")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert saved == []


def test_save_form_redirects_to_the_given_place_whatever_the_action_returns(page_templates):
    request = request_for("POST", {"name": "Ada"})
    response = save_form(
        request, NameForm(request.POST), lambda form: None, "Saved.", "page.html", redirect_to="/list/"
    )
    assert response.status_code == 302 and response["Location"] == "/list/"


def test_attempt_form_runs_the_action_only_for_a_valid_form():
    done = []
    request = request_for("POST", {"name": "Ada"})
    form = NameForm(request.POST)
    outcome = attempt_form(
        request,
        form,
        lambda: done.append(form.cleaned_data["name"]) or "result",
        success=lambda result: f"Done: {result}, {form.cleaned_data['name']}.",
    )
    assert outcome and outcome.result == "result" and done == ["Ada"]
    assert [str(m) for m in get_messages(request)] == ["Done: result, Ada."]


def test_attempt_form_shows_an_invalid_forms_errors_in_one_message_or_the_given_text():
    done = []
    request = request_for("POST", {"city": "x" * 3})
    outcome = attempt_form(request, NameForm(request.POST), lambda: done.append(1), success="Done.")
    assert not outcome and done == []
    assert [str(m) for m in get_messages(request)] == ["This field is required."]
    request = request_for("POST", {})
    attempt_form(request, NameForm(request.POST), lambda: done.append(1), invalid="Give a name.")
    assert [str(m) for m in get_messages(request)] == ["Give a name."] and done == []


def test_attempt_form_shows_the_actions_refusal_as_the_pages_message():
    def refuse():
        raise Refused("Not now.")

    request = request_for("POST", {"name": "Ada"})
    outcome = attempt_form(request, NameForm(request.POST), refuse, success="Done.")
    assert not outcome and outcome.refused
    assert [str(m) for m in get_messages(request)] == ["Not now."]


def test_refusal_on_form_puts_a_permission_refusal_on_the_chosen_field(page_templates):
    def save(form):
        return refusal_on_form(lambda: (_ for _ in ()).throw(PermissionDenied("Not your partner.")), "city")

    request = request_for("POST", {"name": "Ada", "city": "Graz"})
    response = save_form(request, NameForm(request.POST), save, "Saved.", "page.html")
    assert response.status_code == 200 and "city" in response.content.decode()
    assert "Not your partner." in response.content.decode()
    assert refusal_on_form(lambda: "done") == "done"
