"""Directory API: the same filters, domain actions and permissions as the web pages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_countries import countries
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.api_auth import request_user
from clusterxchange.core.concurrency import if_match, with_etag
from clusterxchange.core.models import Ecosystem, Language, NaceCode, OpportunityType
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.core.roles import roles_of
from clusterxchange.directory import domain
from clusterxchange.directory.audiences import Viewer, log_refusal
from clusterxchange.directory.disclosure import (
    ORGANISATION,
    PERSON,
    organisation_audiences,
    person_audiences,
    readable_organisation_fields,
)
from clusterxchange.directory.filters import OpportunityFilter, OrganisationFilter
from clusterxchange.directory.matching import partner_suggestions
from clusterxchange.directory.models import (
    Opportunity,
    Organisation,
    OrganisationType,
    Person,
)
from clusterxchange.directory.signals import COUNT_SCOPE, person_viewed

router = Router(tags=["directory"])
reference_router = Router(tags=["reference data"])


class CodeName(Schema):
    code: str
    name: str


class NaceOut(Schema):
    revision: str
    code: str
    name: str
    level: str
    parent: str | None = Field(None, alias="parent.code")


class OpportunityTypeOut(Schema):
    code: str
    name: str
    kind: str
    direction: str


class OrganisationSummary(Schema):
    slug: str
    name: str
    org_type: str
    country: str
    city: str
    is_sme: bool | None

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj["country"] if isinstance(obj, dict) else obj.country)


def _declared(declaration, name: str, **kwargs):
    return Field(None, description=declaration.describe(name), **kwargs)


class OrganisationOut(OrganisationSummary):
    region: str
    latitude: float | None
    longitude: float | None
    coordinates_from_city: bool = Field(
        ...,
        description="Read-only: true when the coordinates are the centre of the city (filled from it), "
        "false when someone gave them or there are none",
    )
    website: str
    email: str | None = _declared(ORGANISATION, "email")
    phone: str | None = _declared(ORGANISATION, "phone")
    vat_number: str | None = _declared(ORGANISATION, "vat_number")
    show_vat_number: bool | None = _declared(ORGANISATION, "show_vat_number")
    description: str
    keywords: list[str]
    ecosystems: list[str]
    sectors: list[str]
    clusters: list[str]
    size_class: str = Field(
        ..., description="micro, small, medium or large (EU definition); empty if unknown"
    )
    staff_count: int | None = _declared(ORGANISATION, "staff_count")
    turnover_eur: Decimal | None = _declared(ORGANISATION, "turnover_eur")
    balance_sheet_eur: Decimal | None = _declared(ORGANISATION, "balance_sheet_eur")
    member_count: int | None
    esca_label: str
    updated_at: str


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    org_type: OrganisationType
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")
    region: str = ""
    city: str = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    website: str = ""
    email: str | None = None
    phone: str = ""
    vat_number: str = ""
    show_vat_number: bool = False
    description: str = ""
    keywords: list[str] = []
    ecosystems: list[str] = Field([], description="Ecosystem codes")
    sectors: list[str] = Field([], description="NACE Rev. 2 codes")
    staff_count: int | None = Field(None, ge=0)
    turnover_eur: Decimal | None = Field(None, ge=0)
    balance_sheet_eur: Decimal | None = Field(None, ge=0)
    member_count: int | None = Field(None, ge=0)
    esca_label: str = ""
    cluster: str | None = Field(None, description="Slug of the cluster the new organisation joins")


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    org_type: OrganisationType | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    region: str | None = None
    city: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    vat_number: str | None = None
    show_vat_number: bool | None = None
    description: str | None = None
    keywords: list[str] | None = None
    ecosystems: list[str] | None = None
    sectors: list[str] | None = None
    staff_count: int | None = Field(None, ge=0)
    turnover_eur: Decimal | None = Field(None, ge=0)
    balance_sheet_eur: Decimal | None = Field(None, ge=0)
    member_count: int | None = Field(None, ge=0)
    esca_label: str | None = None


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganisationSummary]


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    position: str
    organisation: str
    languages: list[str]
    email: str | None = _declared(PERSON, "email")
    phone: str | None = _declared(PERSON, "phone")


class PersonIn(Schema):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    email: str | None = None
    phone: str = ""
    position: str = ""
    listed: bool = True
    languages: list[str] = Field([], description="ISO 639-1 codes")


class PersonPatch(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    listed: bool | None = None
    languages: list[str] | None = None


class OpportunityOut(Schema):
    id: int
    organisation: str
    type: str
    title: str
    description: str
    keywords: list[str]
    ecosystems: list[str]
    status: str
    expires_on: date | None


class OpportunityIn(Schema):
    type: str = Field(..., description="Opportunity type code")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    keywords: list[str] = []
    ecosystems: list[str] = []
    status: str = "draft"
    expires_on: date | None = None


class OpportunityPatch(Schema):
    type: str | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1)
    keywords: list[str] | None = None
    ecosystems: list[str] | None = None
    status: str | None = None
    expires_on: date | None = None


class OpportunityPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OpportunityOut]


class OrganisationQuery(Schema):
    q: str | None = None
    country: str | None = None
    org_type: str | None = None
    ecosystem: str | None = None
    sector: str | None = None
    cluster: str | None = None
    sme: Literal["yes", "no"] | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class OpportunityQuery(Schema):
    q: str | None = None
    type: str | None = None
    country: str | None = None
    ecosystem: str | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


def _filter_data(query: Schema) -> dict:
    return {
        key: value
        for key, value in query.dict().items()
        if value is not None and key not in {"page", "page_size"}
    }


def organisation_summary(org: Organisation) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "org_type": org.org_type,
        "country": str(org.country),
        "city": org.city,
        "is_sme": org.is_sme,
    }


def organisation_out(org: Organisation, user) -> dict:
    """The organisation as `user` may read it (fields outside the declaration are null)."""
    data = {
        "slug": org.slug,
        "name": org.name,
        "org_type": org.org_type,
        "country": str(org.country),
        "city": org.city,
        "region": org.region,
        "is_sme": org.is_sme,
        "size_class": org.size_class,
        "latitude": org.latitude,
        "longitude": org.longitude,
        "coordinates_from_city": org.coordinates_from_city,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "vat_number": org.vat_number,
        "show_vat_number": org.show_vat_number,
        "description": org.description,
        "keywords": org.keyword_list,
        "ecosystems": [e.code for e in org.ecosystems.all()],
        "sectors": [s.code for s in org.sectors.all()],
        "clusters": [c.slug for c in org.clusters.all()],
        "staff_count": org.staff_count,
        "turnover_eur": org.turnover_eur,
        "balance_sheet_eur": org.balance_sheet_eur,
        "member_count": org.member_count,
        "esca_label": org.esca_label,
        "updated_at": org.updated_at.isoformat(),
    }
    return ORGANISATION.apply(data, organisation_audiences(Viewer.of(user), org), org)


def person_out(person: Person, user) -> dict:
    data = {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "position": person.position,
        "organisation": person.organisation.slug,
        "languages": [lang.code for lang in person.languages.all()],
        "email": person.email,
        "phone": person.phone,
    }
    return PERSON.apply(data, person_audiences(Viewer.of(user), person))


def _require_readable(user, declaration, readable: frozenset[str], fields: str | None) -> None:
    """`?fields=a,b`: the fields the client needs; any it may not read refuses the request (403)."""
    if not fields:
        return
    asked = {name.strip() for name in fields.split(",") if name.strip()}
    unknown = sorted(asked - set(declaration.fields))
    if unknown:
        raise ValidationError({"fields": [f"Unknown field(s): {', '.join(unknown)}"]})
    refused = sorted(asked - readable)
    if refused:
        log_refusal(user, f"API fields of {declaration.model}", refused)
        raise PermissionDenied(f"You may not read these fields of this record: {', '.join(refused)}.")


def opportunity_out(opportunity: Opportunity) -> dict:
    return {
        "id": opportunity.pk,
        "organisation": opportunity.organisation.slug,
        "type": opportunity.type.code,
        "title": opportunity.title,
        "description": opportunity.description,
        "keywords": opportunity.keyword_list,
        "ecosystems": [e.code for e in opportunity.ecosystems.all()],
        "status": opportunity.status,
        "expires_on": opportunity.expires_on,
    }


def _ecosystems(codes: list[str]) -> list[Ecosystem]:
    found = list(Ecosystem.objects.filter(code__in=codes))
    _require_all("ecosystems", codes, {e.code for e in found})
    return found


def _sectors(codes: list[str]) -> list[NaceCode]:
    found = list(NaceCode.objects.filter(code__in=codes))
    _require_all("sectors", codes, {s.code for s in found})
    return found


def _languages(codes: list[str]) -> list[Language]:
    found = list(Language.objects.filter(code__in=codes))
    _require_all("languages", codes, {lang.code for lang in found})
    return found


def _valid(filterset):
    """The filterset, or a 422 naming each filter whose value is not acceptable."""
    if not filterset.is_valid():
        raise ValidationError({field: list(errors) for field, errors in filterset.errors.items()})
    return filterset


def _require_all(field: str, asked: list[str], found: set[str]) -> None:
    unknown = sorted(set(asked) - found)
    if unknown:
        raise ValidationError({field: [f"Unknown code(s): {', '.join(unknown)}"]})


# Reference data -------------------------------------------------------------------------------


@reference_router.get(
    "/ecosystems", response=list[CodeName], auth=None, summary="The 14 EU industrial ecosystems"
)
def list_ecosystems(request):
    return list(Ecosystem.objects.values("code", "name"))


@reference_router.get(
    "/nace", response=list[NaceOut], auth=None, summary="NACE Rev. 2 sections and divisions"
)
def list_nace(request):
    return list(NaceCode.objects.select_related("parent"))


@reference_router.get("/opportunity-types", response=list[OpportunityTypeOut], auth=None)
def list_opportunity_types(request):
    return list(OpportunityType.objects.all())


@reference_router.get("/languages", response=list[CodeName], auth=None)
def list_languages(request):
    return list(Language.objects.values("code", "name"))


@reference_router.get("/countries", response=list[CodeName], auth=None)
def list_countries(request):
    return [{"code": code, "name": str(name)} for code, name in countries]


# Organisations ---------------------------------------------------------------------------------


@router.get("/organisations", response=OrganisationPage, auth=None, summary="Search and filter organisations")
def list_organisations(request, query: Query[OrganisationQuery]):
    filterset = _valid(OrganisationFilter(_filter_data(query), queryset=Organisation.objects.all()))
    viewer = Viewer.of(request_user(request))
    return api_page(
        filterset.qs,
        query.page,
        query.page_size,
        lambda org: ORGANISATION.apply(organisation_summary(org), organisation_audiences(viewer, org), org),
        count_scope=COUNT_SCOPE,
    )


FIELDS_HELP = (
    "Comma-separated fields the client needs; if the caller may not read one of them on this record, "
    "the request is refused (403) naming them, instead of answering with nulls."
)


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None)
def get_organisation(
    request, slug: str, response: HttpResponse, fields: str | None = Query(None, description=FIELDS_HELP)
):
    user = request_user(request)
    org = get_object_or_404(
        Organisation.objects.prefetch_related("ecosystems", "sectors", "clusters"), slug=slug
    )
    _require_readable(user, ORGANISATION, readable_organisation_fields(user, org), fields)
    return organisation_out(with_etag(response, org), user)


def _cluster_for_new(user, slug: str | None) -> Organisation | None:
    roles = roles_of(user)
    if slug:
        return get_object_or_404(Organisation, slug=slug, org_type=OrganisationType.CLUSTER)
    if roles.is_coordinator:
        return None
    if not roles.managed_cluster_ids:
        raise PermissionDenied("You are not allowed to add organisations.")
    return Organisation.objects.filter(pk__in=roles.managed_cluster_ids).order_by("name").first()


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    data = payload.dict()
    cluster = _cluster_for_new(request.user, data.pop("cluster"))
    ecosystems, sectors = _ecosystems(data.pop("ecosystems")), _sectors(data.pop("sectors"))
    data["keywords"] = ", ".join(data["keywords"])
    data["email"] = data["email"] or ""
    data["country"] = data["country"].upper()
    org = domain.create_organisation(
        request.user, data, ecosystems=ecosystems, sectors=sectors, cluster=cluster
    )
    return Status(201, organisation_out(org, request.user))


@router.patch("/organisations/{slug}", response=OrganisationOut)
def update_organisation(request, slug: str, payload: OrganisationPatch, response: HttpResponse):
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.change_organisation", org):
        raise PermissionDenied("You may not edit this organisation.")
    data = payload.dict(exclude_unset=True)
    ecosystems = _ecosystems(codes) if (codes := data.pop("ecosystems", None)) is not None else None
    sectors = _sectors(codes) if (codes := data.pop("sectors", None)) is not None else None
    if "keywords" in data:
        data["keywords"] = ", ".join(data["keywords"] or [])
    if "email" in data:
        data["email"] = data["email"] or ""
    if data.get("country"):
        data["country"] = data["country"].upper()
    org = domain.update_organisation(
        request.user, org, data, ecosystems=ecosystems, sectors=sectors, expected_version=if_match(request)
    )
    with_etag(response, org)
    return organisation_out(
        Organisation.objects.prefetch_related("ecosystems", "sectors", "clusters").get(pk=org.pk),
        request.user,
    )


@router.delete("/organisations/{slug}", response={204: None})
def delete_organisation(request, slug: str):
    org = get_object_or_404(Organisation, slug=slug)
    domain.delete_organisation(request.user, org)
    return Status(204, None)


# People ------------------------------------------------------------------------------------


@router.get("/organisations/{slug}/people", response=list[PersonOut], auth=None)
def list_people_of(request, slug: str):
    user = request_user(request)
    org = get_object_or_404(Organisation, slug=slug)
    people = org.people.select_related("organisation").prefetch_related("languages")
    if not user.has_perm("directory.view_contact_details"):
        people = people.filter(listed=True)
    return [person_out(person, user) for person in people]


@router.get("/people/{person_id}", response=PersonOut, auth=None)
def get_person(
    request, person_id: int, response: HttpResponse, fields: str | None = Query(None, description=FIELDS_HELP)
):
    user = request_user(request)
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=person_id)
    if not user.has_perm("directory.view_person", person):
        raise PermissionDenied("This person is not listed publicly.")
    _require_readable(user, PERSON, PERSON.readable(person_audiences(Viewer.of(user), person)), fields)
    person_viewed.send(Person, actor=user, person=person)
    return person_out(with_etag(response, person), user)


@router.post("/organisations/{slug}/people", response={201: PersonOut})
def create_person(request, slug: str, payload: PersonIn):
    org = get_object_or_404(Organisation, slug=slug)
    data = payload.dict()
    languages = _languages(data.pop("languages"))
    data["email"] = data["email"] or ""
    person = domain.create_person(request.user, org, data, languages=languages)
    return Status(201, person_out(person, request.user))


@router.patch("/people/{person_id}", response=PersonOut)
def update_person(request, person_id: int, payload: PersonPatch, response: HttpResponse):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=person_id)
    data = payload.dict(exclude_unset=True)
    languages = _languages(codes) if (codes := data.pop("languages", None)) is not None else None
    if "email" in data:
        data["email"] = data["email"] or ""
    person = domain.update_person(
        request.user, person, data, languages=languages, expected_version=if_match(request)
    )
    return person_out(with_etag(response, person), request.user)


@router.delete("/people/{person_id}", response={204: None})
def delete_person(request, person_id: int):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=person_id)
    domain.delete_person(request.user, person)
    return Status(204, None)


# Opportunities -------------------------------------------------------------------------------


@router.get(
    "/opportunities", response=OpportunityPage, auth=None, summary="Published cooperation opportunities"
)
def list_opportunities(request, query: Query[OpportunityQuery]):
    queryset = (
        Opportunity.objects.visible_to_public()
        .select_related("organisation", "type")
        .prefetch_related("ecosystems")
    )
    filterset = _valid(OpportunityFilter(_filter_data(query), queryset=queryset))
    return api_page(filterset.qs, query.page, query.page_size, opportunity_out)


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut, auth=None)
def get_opportunity(request, opportunity_id: int, response: HttpResponse):
    user = request_user(request)
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "type"), pk=opportunity_id
    )
    if not user.has_perm("directory.view_opportunity", opportunity):
        raise PermissionDenied("This opportunity is not published.")
    return opportunity_out(with_etag(response, opportunity))


def _opportunity_fields(data: dict) -> dict:
    if "type" in data:
        data["type"] = get_object_or_404(OpportunityType, code=data["type"])
    if "keywords" in data:
        data["keywords"] = ", ".join(data["keywords"])
    return data


@router.post("/organisations/{slug}/opportunities", response={201: OpportunityOut})
def create_opportunity(request, slug: str, payload: OpportunityIn):
    org = get_object_or_404(Organisation, slug=slug)
    data = payload.dict()
    ecosystems = _ecosystems(data.pop("ecosystems"))
    opportunity = domain.create_opportunity(
        request.user, org, _opportunity_fields(data), ecosystems=ecosystems
    )
    return Status(201, opportunity_out(opportunity))


@router.patch("/opportunities/{opportunity_id}", response=OpportunityOut)
def update_opportunity(request, opportunity_id: int, payload: OpportunityPatch, response: HttpResponse):
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation"), pk=opportunity_id)
    data = payload.dict(exclude_unset=True)
    ecosystems = _ecosystems(codes) if (codes := data.pop("ecosystems", None)) is not None else None
    opportunity = domain.update_opportunity(
        request.user,
        opportunity,
        _opportunity_fields(data),
        ecosystems=ecosystems,
        expected_version=if_match(request),
    )
    return opportunity_out(with_etag(response, opportunity))


@router.delete("/opportunities/{opportunity_id}", response={204: None})
def delete_opportunity(request, opportunity_id: int):
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation"), pk=opportunity_id)
    domain.delete_opportunity(request.user, opportunity)
    return Status(204, None)


class SuggestionOut(Schema):
    organisation: OrganisationSummary
    reasons: list[str]


@router.get(
    "/organisations/{slug}/suggestions",
    response=list[SuggestionOut],
    summary="Suggested partners, with reasons (for those who manage the organisation)",
)
def organisation_suggestions(request, slug: str, limit: int = Query(10, ge=1, le=50)):

    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("directory.change_organisation", org):
        raise PermissionDenied("Only those who manage this organisation see its suggestions.")
    return [
        {"organisation": candidate, "reasons": reasons}
        for candidate, reasons in partner_suggestions(org, limit)
    ]


@router.get("/me", response=dict, summary="The caller and their roles")
def me(request):
    roles = roles_of(request.user)
    return {
        "email": request.user.email,
        "coordinator": roles.is_coordinator,
        "cluster_manager": roles.is_cluster_manager,
        "organisations": list(
            Organisation.objects.filter(pk__in=roles.organisation_ids).values_list("slug", flat=True)
        ),
    }
