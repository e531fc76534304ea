from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusterxchange.core.forms import attempt
from clusterxchange.followup import domain
from clusterxchange.followup.forms import AnswerForm


@require_http_methods(["GET", "POST"])
def survey(request, token):
    """Anyone with the link (no login: it comes from an email); a changed link gets a clear page."""
    found = attempt(request, lambda: domain.read_survey_token(token))
    if not found:
        return render(request, "followup/survey.html", {"invalid": True}, status=400)
    item = found.result
    initial = {
        "outcome": item.outcome,
        "value_eur": item.value_eur if item.value_eur is not None else "",
        "recommend": "" if item.recommend is None else ("yes" if item.recommend else "no"),
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: domain.answer(item, data["outcome"], data["value_eur"], data["recommend"]),
            success=_("Thank you: your answer is saved. You may change it until the survey closes."),
        )
        if done:
            return redirect("followup:survey", token=token)
    context = {
        "survey": item,
        "form": form,
        "about": domain.describe(item),
        "open": domain.is_open(item),
        "token": token,
    }
    return render(request, "followup/survey.html", context, status=200 if domain.is_open(item) else 410)
