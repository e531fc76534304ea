"""Helpers for the optimistic-concurrency tests: two people open the same edit page, both save."""

from django.core.files.uploadedfile import UploadedFile

STALE = "Someone else changed this record at"


def form_data(response, form_name: str = "form") -> dict:
    """What the browser would post back unchanged: the rendered form's current values."""
    form = response.context[form_name]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(value, UploadedFile):
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
            continue
        data[name] = str(getattr(value, "pk", value))
        if hasattr(field.widget, "widgets") and not isinstance(value, str):  # split widgets
            data.pop(name)
    return data


def two_editors(
    first, second, get_url: str, post_url: str | None = None, *, field: str, form_name="form", extra=None
):
    """Both clients load the page, the first saves, then the second: returns (first POST, second POST,
    the second's value). The caller checks that the record holds the first's value."""
    post_url = post_url or get_url
    loaded = [client.get(get_url) for client in (first, second)]
    for response in loaded:
        assert response.status_code == 200, response.status_code
    data_first, data_second = (form_data(response, form_name) for response in loaded)
    assert data_first["version"] and data_first["version"] == data_second["version"]
    for data in (data_first, data_second):
        data.update(extra or {})
    data_first[field] = "Saved first"
    data_second[field] = "Saved second, refused"
    return first.post(post_url, data_first), second.post(post_url, data_second), data_second[field]


def assert_refused_keeping_input(response, value: str) -> None:
    assert response.status_code in {200, 400}, response.status_code
    text = response.content.decode()
    assert STALE in text
    assert "reload to see their changes" in text
    assert value in text  # the refused input is still in the form
