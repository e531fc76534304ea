"""Programme set-up pages: thin — check permission, call the domain, render.

A programme is set up in steps (name and texts, reporting periods, eligible countries, partners,
grant rules with a live preview, KPI targets); the overview shows what is complete and what is
missing, the whole set-up read-only for the partners' managers, and the history from the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, save_form
from clusterxchange.core.history import readable
from clusterxchange.core.pagination import paginate
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.programmes import domain
from clusterxchange.programmes.forms import (
    CopyForm,
    CountriesForm,
    GrantRulesForm,
    KpiForm,
    NewClusterPartnerForm,
    PartnerEditForm,
    PartnerForm,
    PeriodForm,
    PreviewForm,
    ProgrammeForm,
    TextsForm,
)
from clusterxchange.programmes.grants import engine_rules, example_request, preview, rules_for
from clusterxchange.programmes.models import (
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ProgrammeRole,
    ProgrammeText,
    ReportingPeriod,
    language_names,
)
from clusterxchange.programmes.rules import setup_history, visible_setups
from clusterxchange.programmes.steps import STEP_LABELS, setup_steps

SEARCH_RESULTS = 20
HISTORY_LABELS = {
    "programmes.programme.create": gettext_lazy("Programme created"),
    "programmes.programme.update": gettext_lazy("Programme changed"),
    "programmes.programme.copy": gettext_lazy("Programme copied for a new call"),
    "programmes.period.add": gettext_lazy("Reporting period added"),
    "programmes.period.update": gettext_lazy("Reporting period changed"),
    "programmes.period.remove": gettext_lazy("Reporting period removed"),
    "programmes.text.set": gettext_lazy("Public texts changed"),
    "programmes.text.remove": gettext_lazy("Public texts removed with their language"),
    "programmes.countries.set": gettext_lazy("Eligible countries changed"),
    "programmes.partner.add": gettext_lazy("Partner added"),
    "programmes.partner.update": gettext_lazy("Partner changed"),
    "programmes.partner.remove": gettext_lazy("Partner removed"),
    "programmes.rules.update": gettext_lazy("Grant rules changed"),
    "programmes.kpi.add": gettext_lazy("KPI target added"),
    "programmes.kpi.update": gettext_lazy("KPI target changed"),
    "programmes.kpi.remove": gettext_lazy("KPI target removed"),
    # Coordinators appointed and removed (accounts/domain.py) are recorded on the programme too.
    "accounts.role.assign": gettext_lazy("Coordinator appointed"),
    "accounts.role.remove": gettext_lazy("Coordinator removed"),
}


def _programme(request, slug: str, permission: str = "programmes.change_programme") -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    require(request.user, permission, programme)
    return programme


def _context(programme: Programme, step: str, **extra) -> dict:
    return {"programme": programme, "step": step, "step_label": STEP_LABELS.get(step, ""), **extra}


def _eligible(programme: Programme) -> list[str]:
    return [str(c.country) for c in programme.eligible_countries.all()]


def _caps(programme: Programme) -> dict:
    rules = GrantRuleSet.objects.filter(programme=programme).first()
    return {str(c.country): c.amount_eur for c in rules.country_caps.all()} if rules else {}


# Programmes --------------------------------------------------------------------------------------


@login_required
def programme_list(request):
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": visible_setups(request.user).order_by("-start_date"),
            "can_add": request.user.has_perm("programmes.add_programme"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    require(request.user, "programmes.add_programme")
    form = ProgrammeForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda form: domain.create_programme(request.user, form.domain_fields()).get_setup_url(),
        _(
            "The programme was created: now add its public texts, reporting periods, countries, partners and rules."
        ),
        "programmes/form.html",
        {"title": _("Set up a programme"), "first": not Programme.objects.exists(), "step": "general"},
    )


# The model whose fields a history entry's changes name, by the action's middle part.
HISTORY_MODELS = {
    "programme": Programme,
    "period": ReportingPeriod,
    "partner": PartnerCluster,
    "rules": GrantRuleSet,
    "kpi": KpiTarget,
    "text": ProgrammeText,
}


def _change_lines(entry) -> list[tuple[str, str, str]]:
    """An entry's changes as (field label, old value, new value) a person reads: the field's name and
    its choices' labels instead of the codes, and no old value where there was none ("None")."""
    model = HISTORY_MODELS.get(entry.action.split(".")[1] if entry.action.count(".") >= 2 else "")
    lines = []
    for name, (old, new) in entry.changes.items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if name == "countries":
            label = gettext_lazy("Eligible countries")
        elif name == ProgrammeRole.Role.COORDINATOR:
            label = ProgrammeRole.Role.COORDINATOR.label
        else:
            label = capfirst(field.verbose_name if field else name.replace("_", " "))
        if name == "languages":
            old, new = (language_names(value.split(", ")) if value else value for value in (old, new))
        if isinstance(field, BooleanField):
            choices = {"True": _("yes"), "False": _("no")}
        else:
            choices = {str(key): value for key, value in field.flatchoices} if field and field.choices else {}
        lines.append(
            (
                label,
                "" if old in ("None", "") else choices.get(old, old),
                "" if new in ("None", "") else choices.get(new, new),
            )
        )
    return lines


def _labelled(page):
    return readable(page, HISTORY_LABELS, _change_lines)


def _texts(programme: Programme) -> list[dict]:
    """The programme's languages with their public texts (None: not written yet)."""
    names = dict(settings.LANGUAGES)
    written = {text.language: text for text in programme.texts.all() if text.name or text.description}
    return [
        {"code": code, "name": names.get(code, code), "text": written.get(code)}
        for code in programme.languages
    ]


@login_required
def overview(request, slug):
    programme = _programme(request, slug, "programmes.view_setup")
    history = setup_history(programme)
    rules = GrantRuleSet.objects.filter(programme=programme).prefetch_related("country_caps").first()
    return render(
        request,
        "programmes/overview.html",
        _context(
            programme,
            "overview",
            steps=setup_steps(programme),
            can_change=request.user.has_perm("programmes.change_programme", programme),
            members_page=request.user.has_perm("accounts.view_programme_members", programme),
            can_copy=request.user.has_perm("programmes.add_programme")
            and request.user.has_perm("programmes.change_programme", programme),
            periods=programme.periods.all(),
            languages=language_names(programme.languages),
            texts=_texts(programme),
            countries=[c.country for c in programme.eligible_countries.all()],
            partners=programme.partners.select_related("cluster"),
            rules=rules,
            kpis=programme.kpi_targets.all(),
            history=_labelled(paginate(request, history.select_related("actor"), per_page=25)),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    programme = _programme(request, slug)
    form = ProgrammeForm(request.POST or None, instance=Programme.objects.get(pk=programme.pk))
    return save_form(
        request,
        form,
        lambda form: domain.update_programme(
            request.user, programme, form.domain_fields(), expected_version=form.expected_version
        ).get_setup_url(),
        _("Your changes were saved."),
        "programmes/form.html",
        _context(programme, "general", title=STEP_LABELS["general"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def copy(request, slug):
    programme = _programme(request, slug)
    require(request.user, "programmes.add_programme")
    form = CopyForm(request.POST or None, initial={"default_language": programme.default_language})
    return save_form(
        request,
        form,
        lambda form: domain.copy_programme(request.user, programme, form.domain_fields()).get_setup_url(),
        _("The new call was created from the programme's rules, partners, countries and KPI targets."),
        "programmes/copy.html",
        _context(programme, "copy"),
    )


# Public texts ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def texts(request, slug):
    programme = _programme(request, slug)
    return save_form(
        request,
        TextsForm(request.POST or None, programme=programme),
        lambda form: domain.set_texts(request.user, programme, form.texts()),
        _("The public texts were saved."),
        "programmes/texts.html",
        _context(programme, "texts", title=STEP_LABELS["texts"]),
        redirect_to=programme.get_setup_url("texts"),
    )


# Eligible countries ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def countries(request, slug):
    programme = _programme(request, slug)
    form = CountriesForm(request.POST or None, initial={"countries": _eligible(programme)})
    return save_form(
        request,
        form,
        lambda form: (
            domain.set_eligible_countries(request.user, programme, form.cleaned_data["countries"])
            and programme.get_setup_url("countries")
        ),
        _("The eligible countries were saved."),
        "programmes/form.html",
        _context(
            programme,
            "countries",
            title=STEP_LABELS["countries"],
            note=_(
                "A country that is no longer eligible loses its lump sum; a new one needs a lump sum "
                "in the grant rules."
            ),
        ),
    )


# Partners ----------------------------------------------------------------------------------------


def _search_clusters(programme: Programme, query: str) -> tuple[list, bool]:
    """Cluster organisations whose name contains `query` and that are not partners yet: at most
    SEARCH_RESULTS (and whether there are more), never the whole directory."""
    if len(query) < 2:
        return [], False
    clusters = (
        Organisation.objects.filter(org_type=OrganisationType.CLUSTER, name__icontains=query)
        .exclude(programme_partnerships__programme=programme)
        .order_by("name")
        .only("pk", "name", "city", "country")
    )
    results = list(clusters[: SEARCH_RESULTS + 1])
    return results[:SEARCH_RESULTS], len(results) > SEARCH_RESULTS


def _partner_page(request, programme, form, new_form, status=200):
    query = request.GET.get("q", "").strip()
    results, more = _search_clusters(programme, query)
    return render(
        request,
        "programmes/partners.html",
        _context(
            programme,
            "partners",
            partners=programme.partners.select_related("cluster"),
            form=form,
            new_form=new_form,
            query=query,
            results=results,
            more=more,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partners(request, slug):
    programme = _programme(request, slug)
    creating = "new-name" in request.POST
    form = PartnerForm(request.POST if request.method == "POST" and not creating else None)
    new_form = NewClusterPartnerForm(request.POST if creating else None, eligible=_eligible(programme))
    if request.method == "POST":
        if creating and new_form.is_valid():
            action = lambda: domain.add_new_cluster_partner(  # noqa: E731
                request.user, programme, new_form.cluster_fields(), new_form.partner_fields()
            )
            target = new_form
        elif not creating and form.is_valid():
            action = lambda: domain.add_partner(  # noqa: E731
                request.user, programme, form.cleaned_data["cluster"], form.domain_fields()
            )
            target = form
        else:
            return _partner_page(request, programme, form, new_form)
        done = attempt(
            request,
            action,
            success=lambda partner: _("%(name)s is now a partner.") % {"name": partner.cluster.name},
            form=target,
        )
        if done:
            return redirect("programmes:partners", slug=programme.slug)
    return _partner_page(request, programme, form, new_form)


@login_required
def cluster_search(request, slug):
    """Cluster organisations matching the search (name or city), at most SEARCH_RESULTS, for the
    partner choice: never the whole directory."""
    programme = _programme(request, slug)
    query = request.GET.get("q", "").strip()
    results, more = _search_clusters(programme, query)
    return render(
        request,
        "programmes/_cluster_results.html",
        {"programme": programme, "results": results, "more": more, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, slug, pk):
    programme = _programme(request, slug)
    partner = get_object_or_404(PartnerCluster.objects.select_related("cluster"), programme=programme, pk=pk)
    form = PartnerEditForm(request.POST or None, instance=PartnerCluster.objects.get(pk=partner.pk))
    return save_form(
        request,
        form,
        lambda form: (
            domain.update_partner(request.user, partner, form.domain_fields())
            and programme.get_setup_url("partners")
        ),
        _("Your changes were saved."),
        "programmes/form.html",
        _context(programme, "partners", title=partner.cluster.name),
    )


@login_required
@require_POST
def partner_remove(request, slug, pk):
    programme = _programme(request, slug)
    partner = get_object_or_404(PartnerCluster.objects.select_related("cluster"), programme=programme, pk=pk)
    attempt(
        request, lambda: domain.remove_partner(request.user, partner), success=_("The partner was removed.")
    )
    return redirect("programmes:partners", slug=programme.slug)


# Grant rules -------------------------------------------------------------------------------------


def _rules_form(request, programme, data=None) -> GrantRulesForm:
    rules = GrantRuleSet.objects.filter(programme=programme).first() or GrantRuleSet(programme=programme)
    return GrantRulesForm(data, instance=rules, eligible=_eligible(programme), caps=_caps(programme))


def _preview(rules_form: GrantRulesForm | None, example: PreviewForm, saved=None) -> dict:
    """The engine's assessment of the example stay under the rules as typed (not saved), or under
    the `saved` rules when no form is given (the page's first view)."""
    if not example.is_valid():
        return {"preview_error": _("Enter the example stay to see its grant.")}
    if saved is not None:
        rules = saved
    elif not rules_form.is_valid():
        return {"preview_error": _("Correct the rules to see the grant.")}
    else:
        try:
            rules = engine_rules(rules_form.instance, rules_form.caps(), rules_form.eligible)
        except ValueError:
            return {"preview_error": _("Correct the rules to see the grant.")}
    data = example.cleaned_data
    if data["end"] < data["start"]:
        return {"preview_error": _("The last day cannot be before the first day.")}
    request = example_request(
        data["visitor_country"], data["host_country"], data["start"], data["end"], float(data["distance_km"])
    )
    return {"assessment": preview(rules, request)}


@login_required
@require_http_methods(["GET", "POST"])
def rules(request, slug):
    programme = _programme(request, slug)
    rules_form = _rules_form(request, programme, request.POST or None)
    eligible = _eligible(programme)
    if request.method == "POST":
        example = PreviewForm(request.POST, eligible=eligible)
        preview_context = {}
        if rules_form.is_valid():
            done = attempt(
                request,
                lambda: domain.update_grant_rules(
                    request.user, programme, rules_form.domain_fields(), rules_form.caps()
                ),
                success=_("The grant rules were saved."),
                form=rules_form,
            )
            if done:
                return redirect("programmes:rules", slug=programme.slug)
        preview_context = _preview(rules_form, example)
    else:
        example = PreviewForm(eligible=eligible)
        initial = PreviewForm(
            {example.add_prefix(name): field.initial for name, field in example.fields.items()},
            eligible=eligible,
        )
        preview_context = _preview(None, initial, saved=rules_for(programme))
    return render(
        request,
        "programmes/rules.html",
        _context(programme, "rules", form=rules_form, example=example, **preview_context),
    )


@login_required
@require_POST
def rules_preview(request, slug):
    """The live preview (htmx): the grant of the example stay under the rules as typed."""
    programme = _programme(request, slug)
    rules_form = _rules_form(request, programme, request.POST)
    example = PreviewForm(request.POST, eligible=_eligible(programme))
    return render(request, "programmes/_preview.html", _preview(rules_form, example))


# KPI targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """Rows of a programme listed, added, edited and removed on one setup step (its reporting
    periods, its KPI targets): the step (also the page's template and its list's name in it), the
    model, its form, the programme's related name, the domain actions and the messages."""

    step: str
    model: type
    form: type
    related: str
    add: Callable
    update: Callable
    remove: Callable
    title: Callable
    added: str
    removed: str


PERIODS = _Rows(
    "periods",
    ReportingPeriod,
    PeriodForm,
    "periods",
    domain.add_period,
    domain.update_period,
    domain.remove_period,
    str,
    gettext_lazy("The reporting period was added."),
    gettext_lazy("The reporting period was removed."),
)
KPIS = _Rows(
    "kpis",
    KpiTarget,
    KpiForm,
    "kpi_targets",
    domain.add_kpi,
    domain.update_kpi,
    domain.remove_kpi,
    attrgetter("name"),
    gettext_lazy("The KPI target was added."),
    gettext_lazy("The KPI target was removed."),
)


@login_required
@require_http_methods(["GET", "POST"])
def rows_page(request, slug, rows: _Rows):
    """A setup step's rows (``rows``: PERIODS or KPIS, given by the URL) and the form to add one."""
    programme = _programme(request, slug)
    return save_form(
        request,
        rows.form(request.POST or None, instance=rows.model(programme=programme)),
        lambda form: rows.add(request.user, programme, form.domain_fields()),
        rows.added,
        f"programmes/{rows.step}.html",
        _context(programme, rows.step, **{rows.step: getattr(programme, rows.related).all()}),
        redirect_to=request.path,
    )


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request, slug, pk, rows: _Rows):
    programme = _programme(request, slug)
    row = get_object_or_404(rows.model, programme=programme, pk=pk)
    return save_form(
        request,
        rows.form(request.POST or None, instance=rows.model.objects.get(pk=row.pk)),
        lambda form: rows.update(request.user, row, form.domain_fields()),
        _("Your changes were saved."),
        "programmes/form.html",
        _context(programme, rows.step, title=rows.title(row)),
        redirect_to=programme.get_setup_url(rows.step),
    )


@login_required
@require_POST
def row_remove(request, slug, pk, rows: _Rows):
    programme = _programme(request, slug)
    row = get_object_or_404(rows.model, programme=programme, pk=pk)
    attempt(request, lambda: rows.remove(request.user, row), success=rows.removed)
    return redirect(f"programmes:{rows.step}", slug=programme.slug)
