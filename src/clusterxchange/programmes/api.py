"""Programme set-up API: the same rules (`programmes/rules.py`) and domain actions as the set-up pages.

Coordinators of a programme (and superusers) read and change its set-up; the managers of its partner
clusters read it; superusers and coordinators create programmes and copy them for a new call.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.concurrency import if_match, with_etag
from clusterxchange.core.domain import apply_fields, require
from clusterxchange.core.engine_messages import engine_message
from clusterxchange.core.pagination import api_page
from clusterxchange.directory.models import Organisation
from clusterxchange.programmes import domain
from clusterxchange.programmes.forms import PreviewForm
from clusterxchange.programmes.grants import engine_rules, example_request, preview, rules_for
from clusterxchange.programmes.models import (
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ReportingPeriod,
)
from clusterxchange.programmes.rules import setup_history, visible_setups
from clusterxchange.programmes.steps import setup_steps

router = Router(tags=["programmes"])

MAX_PAGE_SIZE = 100

Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]
OrganisationTypeName = Literal[
    "cluster", "sme", "scaling_up", "research", "large_company", "public_authority", "training_provider"
]


class StepOut(Schema):
    key: str
    done: bool
    missing: list[str]


LANGUAGES_HELP = (
    "The languages the programme works in (its public texts); the default language is one of them"
)


class ProgrammeOut(Schema):
    slug: str
    acronym: str
    name: str
    start_date: date
    end_date: date
    default_language: str
    languages: list[str] = Field(..., description=LANGUAGES_HELP)
    website: str
    contact_email: str
    grant_budget_eur: Decimal
    booking_reminder_days: int = Field(..., description="Reminders to book meetings every N days; 0 never")
    follow_up_months: int = Field(
        ..., description="Follow-up survey N months after an event or exchange; 0 never"
    )
    video_link_template: str = Field(
        ..., description="Video server of online meetings (room appended, or replacing {room}); empty none"
    )
    steps: list[StepOut]


class ProgrammeIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    acronym: str = Field(..., min_length=1, max_length=40)
    start_date: date
    end_date: date
    default_language: Language = "en"
    languages: list[Language] | None = Field(
        None, description=f"{LANGUAGES_HELP}; not given: the default only"
    )
    website: str = ""
    contact_email: str = ""
    grant_budget_eur: Decimal = Decimal(0)
    booking_reminder_days: int = Field(3, ge=0, le=365)
    follow_up_months: int = Field(3, ge=0, le=24)
    video_link_template: str = Field("", max_length=300)


class ProgrammePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    acronym: str | None = Field(None, min_length=1, max_length=40)
    start_date: date | None = None
    end_date: date | None = None
    default_language: Language | None = None
    languages: list[Language] | None = Field(None, description=LANGUAGES_HELP)
    website: str | None = None
    contact_email: str | None = None
    grant_budget_eur: Decimal | None = None
    booking_reminder_days: int | None = Field(None, ge=0, le=365)
    follow_up_months: int | None = Field(None, ge=0, le=24)
    video_link_template: str | None = Field(None, max_length=300)


class CopyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    acronym: str = Field(..., min_length=1, max_length=40)
    start_date: date
    end_date: date
    default_language: Language | None = Field(None, description="The source's when not given")


class TextOut(Schema):
    language: str
    name: str = Field(..., description="The public name in this language; empty: the programme's name")
    description: str = Field(
        ..., description="Empty: not written yet (the public site shows the default language's)"
    )


class TextIn(Schema):
    name: str = Field("", max_length=200, description="Empty: the programme's name")
    description: str = ""


class PartnerOut(Schema):
    id: int
    cluster: str = Field(..., description="Slug of the cluster organisation")
    cluster_name: str
    is_coordinator: bool
    grant_budget_eur: Decimal


class PartnerIn(Schema):
    cluster: str = Field(..., description="Slug of a cluster organisation")
    is_coordinator: bool = False
    grant_budget_eur: Decimal = Decimal(0)


class PartnerPatch(Schema):
    is_coordinator: bool | None = None
    grant_budget_eur: Decimal | None = None


class GrantRulesIO(Schema):
    min_working_days: int
    max_stay_months: int
    full_rate_min_working_days: int
    full_rate_min_distance_km: Decimal
    halving_factor: Decimal
    daily_rate_eur: Decimal | None = None
    visit_once: bool = True
    visitor_types: list[OrganisationTypeName] = Field([], description="Empty: the scheme's default")
    host_types: list[OrganisationTypeName] = Field([], description="Empty: every type")
    caps: dict[str, Decimal] = Field(..., description="Lump sum (EUR) per eligible host country (ISO code)")


class PeriodOut(Schema):
    id: int
    name: str
    start_date: date
    end_date: date


class PeriodIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    start_date: date
    end_date: date


class PeriodPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    start_date: date | None = None
    end_date: date | None = None


class CountriesIO(Schema):
    countries: list[str] = Field(..., description="ISO 3166-1 alpha-2 codes")


KPI_NAMES = (
    'The name in other languages, by language code (e.g. {"de": "Clusteraustausche"}); a language without '
    "one shows `name`"
)


class KpiTargetOut(Schema):
    id: int
    code: str
    name: str
    names: dict[str, str] = Field(..., description=KPI_NAMES)
    measure: str
    target: int
    position: int
    published: bool


class KpiIn(Schema):
    code: str = Field(..., min_length=1, max_length=60)
    name: str = Field(..., min_length=1, max_length=200)
    names: dict[str, str] = Field(default_factory=dict, description=KPI_NAMES)
    measure: str = ""
    target: int = Field(..., ge=0)
    position: int = Field(0, ge=0)
    published: bool = False


class KpiPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=60)
    name: str | None = Field(None, min_length=1, max_length=200)
    names: dict[str, str] | None = Field(None, description=KPI_NAMES)
    measure: str | None = None
    target: int | None = Field(None, ge=0)
    position: int | None = Field(None, ge=0)
    published: bool | None = None


class HistoryQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class SetupChangeOut(Schema):
    at: datetime
    action: str = Field(
        ...,
        description="What was done, e.g. `partner.add`, `rules.update`; a coordinator appointed or removed: "
        "`accounts.role.assign`, `accounts.role.remove`",
    )
    actor: str | None = Field(..., description="Who did it (name, else email); null for the platform")
    item: str = Field(
        ..., description="The period, partner or KPI target it touched; empty for the programme"
    )
    changes: dict[str, list[str]] = Field(..., description="Field: [old value, new value]")


class SetupHistoryPage(Schema):
    count: int
    page: int
    pages: int
    results: list[SetupChangeOut]


COUNTRIES = ("visitor_country", "host_country")


class ExampleStayIn(Schema):
    visitor_country: str = Field(..., min_length=2, max_length=2, description="ISO code, an eligible country")
    host_country: str = Field(..., min_length=2, max_length=2, description="ISO code, an eligible country")
    start: date
    end: date
    distance_km: float = Field(..., ge=0, le=20000)


class GrantPreviewIn(Schema):
    stay: ExampleStayIn
    rules: GrantRulesIO | None = Field(
        None, description="Rules as they would be saved; the saved rules if absent"
    )


class GrantPreviewOut(Schema):
    eligible: bool
    grant_eur: Decimal
    working_days: int
    distance_km: float | None
    reasons: list[str] = Field(..., description="Why it is not eligible, in words")
    applied_rules: list[str] = Field(..., description="The rules that set the amount, in words")


def _programme(request, slug: str, permission: str = "programmes.change_programme") -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    require(request.user, permission, programme)
    return programme


def _programme_out(programme: Programme) -> dict:
    return {
        **{name: getattr(programme, name) for name in ["slug", *domain.PROGRAMME_FIELDS]},
        "steps": [{"key": s.key, "done": s.done, "missing": s.missing} for s in setup_steps(programme)],
    }


def _partner_out(partner: PartnerCluster) -> dict:
    return {
        "id": partner.pk,
        "cluster": partner.cluster.slug,
        "cluster_name": partner.cluster.name,
        "is_coordinator": partner.is_coordinator,
        "grant_budget_eur": partner.grant_budget_eur,
    }


def _rules_out(programme: Programme) -> dict:
    rules = GrantRuleSet.objects.filter(programme=programme).first() or GrantRuleSet(programme=programme)
    caps = {str(c.country): c.amount_eur for c in rules.country_caps.all()} if rules.pk else {}
    return {**{name: getattr(rules, name) for name in domain.RULE_FIELDS}, "caps": caps}


def _set(payload) -> dict:
    return payload.dict(exclude_unset=True)


def _texts_out(programme: Programme) -> list[dict]:
    """One entry per language of the programme, empty where nothing is written yet."""
    written = {text.language: text for text in programme.texts.all()}
    return [
        {
            "language": code,
            "name": written[code].name if code in written else "",
            "description": written[code].description if code in written else "",
        }
        for code in programme.languages
    ]


# Programmes --------------------------------------------------------------------------------------


@router.get("", response=list[ProgrammeOut], summary="Programmes whose set-up the caller may read")
def list_programmes(request):
    return [_programme_out(p) for p in visible_setups(request.user).order_by("-start_date")]


@router.post(
    "", response={201: ProgrammeOut}, summary="Create a programme (the caller becomes its coordinator)"
)
def create_programme(request, payload: ProgrammeIn):
    fields = payload.dict()
    if fields["languages"] is None:  # not given: the default language only
        del fields["languages"]
    return Status(201, _programme_out(domain.create_programme(request.user, fields)))


@router.get("/{slug}", response=ProgrammeOut, summary="A programme's set-up, with what is still missing")
def get_programme(request, slug: str, response: HttpResponse):
    return _programme_out(with_etag(response, _programme(request, slug, "programmes.view_setup")))


@router.patch(
    "/{slug}",
    response=ProgrammeOut,
    summary="Change a programme's name, dates and public texts",
    description="Send the ETag of your last read as `If-Match`: a change saved in between answers 412.",
)
def update_programme(request, slug: str, payload: ProgrammePatch, response: HttpResponse):
    programme = domain.update_programme(
        request.user, _programme(request, slug), _set(payload), expected_version=if_match(request)
    )
    return _programme_out(with_etag(response, programme))


@router.post(
    "/{slug}/copy", response={201: ProgrammeOut}, summary="Copy for a new call (rules, partners, targets)"
)
def copy_programme(request, slug: str, payload: CopyIn):
    source = _programme(request, slug)
    fields = _set(payload)
    fields["default_language"] = fields.get("default_language") or source.default_language
    return Status(201, _programme_out(domain.copy_programme(request.user, source, fields)))


# Public texts ------------------------------------------------------------------------------------


@router.get(
    "/{slug}/texts",
    response=list[TextOut],
    summary="The public texts in each of the programme's languages (empty: not written yet)",
)
def list_texts(request, slug: str):
    return _texts_out(_programme(request, slug, "programmes.view_setup"))


@router.put(
    "/{slug}/texts/{language}",
    response=TextOut,
    summary="Write the public texts in one of the programme's languages",
    description="Both empty: the language has no text (the public site shows the default language's). "
    "A language the programme does not work in answers 422: add it to `languages` first.",
)
def set_text(request, slug: str, language: Language, payload: TextIn):
    programme = _programme(request, slug)
    domain.set_texts(request.user, programme, {language: payload.dict()})
    return next(text for text in _texts_out(programme) if text["language"] == language)


# Partners ----------------------------------------------------------------------------------------


@router.get("/{slug}/partners", response=list[PartnerOut], summary="The programme's partner clusters")
def list_partners(request, slug: str):
    programme = _programme(request, slug, "programmes.view_setup")
    return [_partner_out(p) for p in programme.partners.select_related("cluster")]


@router.post("/{slug}/partners", response={201: PartnerOut}, summary="Add a cluster organisation as partner")
def add_partner(request, slug: str, payload: PartnerIn):
    programme = _programme(request, slug)
    cluster = get_object_or_404(Organisation, slug=payload.cluster)
    fields = {"is_coordinator": payload.is_coordinator, "grant_budget_eur": payload.grant_budget_eur}
    return Status(201, _partner_out(domain.add_partner(request.user, programme, cluster, fields)))


@router.patch(
    "/{slug}/partners/{partner_id}", response=PartnerOut, summary="Change a partner's budget or role"
)
def update_partner(request, slug: str, partner_id: int, payload: PartnerPatch):
    programme = _programme(request, slug)
    partner = get_object_or_404(
        PartnerCluster.objects.select_related("cluster"), programme=programme, pk=partner_id
    )
    return _partner_out(domain.update_partner(request.user, partner, _set(payload)))


@router.delete(
    "/{slug}/partners/{partner_id}",
    response={204: None},
    summary="Remove a partner",
    description="A partner with records in the programme (exchanges, events…) is kept: 409 names them.",
)
def remove_partner(request, slug: str, partner_id: int):
    programme = _programme(request, slug)
    partner = get_object_or_404(
        PartnerCluster.objects.select_related("cluster", "programme"), programme=programme, pk=partner_id
    )
    domain.remove_partner(request.user, partner)
    return Status(204, None)


# Grant rules -------------------------------------------------------------------------------------


@router.get(
    "/{slug}/grant-rules", response=GrantRulesIO, summary="The grant rules with the lump sum per country"
)
def get_grant_rules(request, slug: str):
    return _rules_out(_programme(request, slug, "programmes.view_setup"))


@router.put("/{slug}/grant-rules", response=GrantRulesIO, summary="Replace the grant rules and lump sums")
def update_grant_rules(request, slug: str, payload: GrantRulesIO):
    programme = _programme(request, slug)
    fields = payload.dict()
    caps = fields.pop("caps")
    domain.update_grant_rules(request.user, programme, fields, caps)
    return _rules_out(programme)


@router.post(
    "/{slug}/grant-rules/preview",
    response=GrantPreviewOut,
    summary="The grant of an example stay under the given rules (nothing is saved)",
    description="The set-up page's live preview: an SME of a cluster visiting a cluster organisation "
    "`distance_km` away. Without `rules`, the saved rules; rules with gaps or overlaps answer 422.",
)
def preview_grant(request, slug: str, payload: GrantPreviewIn):
    programme = _programme(request, slug)
    eligible = [str(c.country) for c in programme.eligible_countries.all()]
    if payload.rules is None:
        rules = rules_for(programme)
    else:
        fields = payload.rules.dict()
        caps = {str(code).upper(): amount for code, amount in fields.pop("caps").items()}
        ruleset = GrantRuleSet(programme=programme)
        apply_fields(ruleset, fields, domain.RULE_FIELDS)
        domain.check_grant_rules(ruleset, caps, eligible)
        rules = engine_rules(ruleset, caps, eligible)
    # The page's example-stay form: the same countries to choose from (the eligible ones).
    stay = PreviewForm(
        {**payload.stay.dict(), **{name: getattr(payload.stay, name).upper() for name in COUNTRIES}},
        eligible=eligible,
        prefix=None,
    )
    if not stay.is_valid():
        raise ValidationError(stay.errors.as_data())
    data = stay.cleaned_data
    if data["end"] < data["start"]:
        raise ValidationError({"end": _("The last day cannot be before the first day.")})
    assessment = preview(
        rules,
        example_request(
            data["visitor_country"],
            data["host_country"],
            data["start"],
            data["end"],
            float(data["distance_km"]),
        ),
    )
    return {
        "eligible": assessment.eligible,
        "grant_eur": assessment.lump_sum,
        "working_days": assessment.working_days,
        "distance_km": assessment.distance_km,
        "reasons": [engine_message(reason) for reason in assessment.reasons],
        # The engine's English sentences, with their plain "EUR 1000.00" (the pages format amounts).
        "applied_rules": [rule.message for rule in assessment.applied_rules],
    }


# Reporting periods -------------------------------------------------------------------------------


@router.get("/{slug}/periods", response=list[PeriodOut], summary="The reporting periods")
def list_periods(request, slug: str):
    return list(_programme(request, slug, "programmes.view_setup").periods.all())


@router.post("/{slug}/periods", response={201: PeriodOut}, summary="Add a reporting period")
def add_period(request, slug: str, payload: PeriodIn):
    programme = _programme(request, slug)
    return Status(201, domain.add_period(request.user, programme, payload.dict()))


@router.patch("/{slug}/periods/{period_id}", response=PeriodOut, summary="Change a reporting period")
def update_period(request, slug: str, period_id: int, payload: PeriodPatch):
    programme = _programme(request, slug)
    period = get_object_or_404(ReportingPeriod, programme=programme, pk=period_id)
    return domain.update_period(request.user, period, _set(payload))


@router.delete(
    "/{slug}/periods/{period_id}",
    response={204: None},
    summary="Remove a reporting period",
    description="A period with records (reports, KPI figures…) is kept: 409 names them.",
)
def remove_period(request, slug: str, period_id: int):
    programme = _programme(request, slug)
    domain.remove_period(request.user, get_object_or_404(ReportingPeriod, programme=programme, pk=period_id))
    return Status(204, None)


# Eligible countries ------------------------------------------------------------------------------


@router.get("/{slug}/eligible-countries", response=CountriesIO, summary="The eligible countries")
def get_countries(request, slug: str):
    programme = _programme(request, slug, "programmes.view_setup")
    return {"countries": sorted(str(c.country) for c in programme.eligible_countries.all())}


@router.put("/{slug}/eligible-countries", response=CountriesIO, summary="Replace the eligible countries")
def set_countries(request, slug: str, payload: CountriesIO):
    programme = _programme(request, slug)
    return {"countries": domain.set_eligible_countries(request.user, programme, payload.countries)}


# KPI targets -------------------------------------------------------------------------------------


@router.get(
    "/{slug}/kpi-targets",
    response=list[KpiTargetOut],
    summary="The KPI targets and whether each is published",
)
def list_kpis(request, slug: str):
    return list(_programme(request, slug, "programmes.view_setup").kpi_targets.all())


@router.post("/{slug}/kpi-targets", response={201: KpiTargetOut}, summary="Add a KPI target")
def add_kpi(request, slug: str, payload: KpiIn):
    programme = _programme(request, slug)
    return Status(201, domain.add_kpi(request.user, programme, payload.dict()))


@router.patch(
    "/{slug}/kpi-targets/{kpi_id}", response=KpiTargetOut, summary="Change a KPI target or its publication"
)
def update_kpi(request, slug: str, kpi_id: int, payload: KpiPatch):
    programme = _programme(request, slug)
    kpi = get_object_or_404(KpiTarget, programme=programme, pk=kpi_id)
    return domain.update_kpi(request.user, kpi, _set(payload))


@router.delete("/{slug}/kpi-targets/{kpi_id}", response={204: None}, summary="Remove a KPI target")
def remove_kpi(request, slug: str, kpi_id: int):
    programme = _programme(request, slug)
    domain.remove_kpi(request.user, get_object_or_404(KpiTarget, programme=programme, pk=kpi_id))
    return Status(204, None)


# History -----------------------------------------------------------------------------------------


def _change_out(entry) -> dict:
    return {
        "at": entry.created_at,
        "action": entry.action.removeprefix("programmes."),
        "actor": (entry.actor.get_full_name() or entry.actor.email) if entry.actor else None,
        "item": entry.comment,
        "changes": entry.changes,
    }


@router.get(
    "/{slug}/history",
    response=SetupHistoryPage,
    summary="Every change to the set-up, newest first (the overview page's history)",
)
def setup_changes(request, slug: str, query: Query[HistoryQuery]):
    programme = _programme(request, slug, "programmes.view_setup")
    return api_page(
        setup_history(programme).select_related("actor"), query.page, query.page_size, out=_change_out
    )
