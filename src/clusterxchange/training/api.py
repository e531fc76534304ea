"""Training API: the public catalogue (same filters as the page), submission, moderation and the
staff's training records, with the same domain actions and permissions as the web pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from clusterxchange.core.api_auth import request_user
from clusterxchange.core.concurrency import if_match, with_etag
from clusterxchange.core.models import Language
from clusterxchange.core.pagination import MAX_PAGE_SIZE, api_page
from clusterxchange.directory.models import Person
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.tandems.models import Topic
from clusterxchange.training import domain
from clusterxchange.training.filters import TrainingFilter
from clusterxchange.training.models import Format, Level, RecordStatus, TrainingEntry, TrainingRecord
from clusterxchange.training.rules import visible_records

router = Router(tags=["training"])


class SessionIO(Schema):
    starts_at: datetime
    ends_at: datetime


class EntryOut(Schema):
    id: int
    title: str
    provider: str
    link: str
    description: str
    topics: list[str]
    level: str
    languages: list[str]
    format: str
    duration_hours: Decimal | None
    cost_eur: Decimal
    certificate: bool
    recurrence: str
    sessions: list[SessionIO]
    status: str
    link_status: str
    is_demo: bool


class EntryPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EntryOut]


class EntryIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    provider: str = Field(..., min_length=1, max_length=200)
    link: str = Field(..., description="An http:// or https:// address")
    description: str = ""
    topics: list[str] = Field(..., min_length=1, description="Topic codes")
    level: Level = Level.BEGINNER
    languages: list[str] = Field([], description="ISO 639-1 codes")
    format: Format
    duration_hours: Decimal | None = None
    cost_eur: Decimal = Decimal(0)
    certificate: bool = False
    recurrence: str = ""
    sessions: list[SessionIO] = []


class ModerationIn(Schema):
    publish: bool
    note: str = ""


class CatalogueQuery(Schema):
    q: str | None = None
    topic: str | None = None
    level: str | None = None
    format: str | None = None
    language: str | None = None
    free: str | None = None
    certificate: str | None = None
    upcoming: str | None = None
    sort: str | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class RecordOut(Schema):
    id: int
    partner_id: int
    person_id: int
    person: str
    entry_id: int
    status: str
    enrolled_on: date
    completed_on: date | None
    has_certificate: bool


class RecordIn(Schema):
    partner_id: int
    person_id: int
    entry_id: int
    status: RecordStatus = RecordStatus.ENROLLED
    enrolled_on: date
    completed_on: date | None = None
    notes: str = ""


class RecordPatch(Schema):
    status: RecordStatus | None = None
    enrolled_on: date | None = None
    completed_on: date | None = None
    notes: str | None = None


def entry_out(entry: TrainingEntry) -> dict:
    return {
        "id": entry.pk,
        "title": entry.title,
        "provider": entry.provider,
        "link": entry.link,
        "description": entry.description,
        "topics": [t.code for t in entry.topics.all()],
        "level": entry.level,
        "languages": [lang.code for lang in entry.languages.all()],
        "format": entry.format,
        "duration_hours": entry.duration_hours,
        "cost_eur": entry.cost_eur,
        "certificate": entry.certificate,
        "recurrence": entry.recurrence,
        "sessions": [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in entry.sessions.all()],
        "status": entry.status,
        "link_status": entry.link_status,
        "is_demo": entry.is_demo,
    }


def record_out(record: TrainingRecord) -> dict:
    return {
        "id": record.pk,
        "partner_id": record.partner_id,
        "person_id": record.person_id,
        "person": str(record.person),
        "entry_id": record.entry_id,
        "status": record.status,
        "enrolled_on": record.enrolled_on,
        "completed_on": record.completed_on,
        "has_certificate": bool(record.certificate),
    }


def _all_known(field: str, model, codes: list[str]) -> list:
    found = list(model.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {item.code for item in found})
    if unknown:
        raise ValidationError({field: [f"Unknown code(s): {', '.join(unknown)}"]})
    return found


@router.get("/entries", response=EntryPage, auth=None, summary="Search, filter and sort the catalogue")
def list_entries(request, query: Query[CatalogueQuery]):
    data = {k: v for k, v in query.dict().items() if v is not None and k not in {"page", "page_size"}}
    queryset = TrainingEntry.objects.published().prefetch_related("topics", "languages", "sessions")
    filterset = TrainingFilter(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return api_page(filterset.qs, query.page, query.page_size, entry_out)


@router.get("/entries/{int:entry_id}", response=EntryOut, auth=None)
def get_entry(request, entry_id: int):
    user = request_user(request)
    entry = get_object_or_404(TrainingEntry, pk=entry_id)
    if not user.has_perm("training.view_trainingentry", entry):
        raise Http404
    return entry_out(entry)


@router.post("/entries", response={201: EntryOut}, summary="Submit an entry (published after moderation)")
def submit_entry(request, payload: EntryIn):
    data = payload.dict()
    topics = _all_known("topics", Topic, data.pop("topics"))
    languages = _all_known("languages", Language, data.pop("languages"))
    sessions = [(s["starts_at"], s["ends_at"]) for s in data.pop("sessions")]
    entry = domain.submit_entry(request.user, data, topics=topics, languages=languages, sessions=sessions)
    return Status(201, entry_out(entry))


@router.post(
    "/entries/{int:entry_id}/moderation", response=EntryOut, summary="Publish or reject (coordinators)"
)
def moderate_entry(request, entry_id: int, payload: ModerationIn):
    entry = get_object_or_404(TrainingEntry, pk=entry_id)
    return entry_out(domain.moderate_entry(request.user, entry, publish=payload.publish, note=payload.note))


@router.get("/records", response=list[RecordOut], summary="Training records of your cluster's staff")
def list_records(request):
    if not request.user.has_perm("training.view_records"):
        raise PermissionDenied("Training records are for partner cluster staff and coordinators.")
    return [record_out(r) for r in visible_records(request.user).select_related("person", "partner")]


@router.post("/records", response={201: RecordOut})
def create_record(request, payload: RecordIn):
    partner = get_object_or_404(PartnerCluster, pk=payload.partner_id)
    if not request.user.has_perm("training.add_trainingrecord", partner):
        raise PermissionDenied("You may not record training for this cluster.")
    person = get_object_or_404(Person, pk=payload.person_id)
    entry = get_object_or_404(TrainingEntry, pk=payload.entry_id)
    fields = payload.dict(include={"status", "enrolled_on", "completed_on", "notes"})
    return Status(201, record_out(domain.enrol(request.user, partner, person, entry, fields)))


@router.patch("/records/{int:record_id}", response=RecordOut)
def update_record(request, record_id: int, payload: RecordPatch, response: HttpResponse):
    record = get_object_or_404(TrainingRecord.objects.select_related("partner", "person"), pk=record_id)
    if not request.user.has_perm("training.change_trainingrecord", record):
        raise PermissionDenied("You may not change this record.")
    record = domain.update_record(
        request.user, record, payload.dict(exclude_unset=True), expected_version=if_match(request)
    )
    return record_out(with_etag(response, record))
