"""Import catalogue entries from CSV/XLSX: every row is validated first (unknown topics, bad links,
negative costs... each reported with its row and column); nothing is written unless every row is
valid, and then all rows are written in one transaction."""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core.models import Language
from clusterxchange.core.tabular import ImportReport, RowError, Table, choice_lookup, split_list
from clusterxchange.tandems.models import Topic
from clusterxchange.training import domain
from clusterxchange.training.models import Format, Level, TrainingEntry

COLUMNS = [
    "title",
    "provider",
    "link",
    "topics",
    "format",
    "level",
    "languages",
    "description",
    "duration_hours",
    "cost_eur",
    "certificate",
    "recurrence",
    "sessions",
]
REQUIRED = ["title", "provider", "link", "topics", "format"]
SESSION = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")
TRUE = {"yes", "y", "true", "1", "x", "ja", "oui"}
FALSE = {"", "no", "n", "false", "0", "nein", "non"}


def parse_sessions(value: str) -> list[tuple[datetime, datetime]]:
    """ "2026-03-04 10:00-12:00; 2026-04-01 14:00-15:30" in the site's time zone."""
    sessions = []
    for item in [part.strip() for part in value.split(";") if part.strip()]:
        match = SESSION.match(item)
        if not match:
            raise ValueError(item)
        day, start, end = match.groups()
        tz = timezone.get_current_timezone()
        starts = datetime.strptime(f"{day} {start}", "%Y-%m-%d %H:%M").replace(tzinfo=tz)
        ends = datetime.strptime(f"{day} {end}", "%Y-%m-%d %H:%M").replace(tzinfo=tz)
        sessions.append((starts, ends))
    return sessions


def import_entries(actor, table: Table, *, dry_run: bool = True) -> ImportReport:
    if not actor.has_perm("training.import"):
        raise PermissionDenied(_("You are not allowed to import."))
    report = ImportReport(total_rows=len(table.rows), dry_run=dry_run)
    for column in REQUIRED:
        if column not in table.headers:
            report.errors.append(RowError(1, column, _("The required column is missing.")))
    for column in table.headers:
        if column not in COLUMNS:
            report.errors.append(RowError(1, column, _("Unknown column.")))
    if report.errors:
        return report
    topics = {t.code: t for t in Topic.objects.all()} | {t.name.lower(): t for t in Topic.objects.all()}
    languages = {lang.code.lower(): lang for lang in Language.objects.all()} | {
        lang.name.lower(): lang for lang in Language.objects.all()
    }
    formats, levels = choice_lookup(Format.choices), choice_lookup(Level.choices)
    prepared = []
    seen: dict[tuple[str, str], int] = {}
    for row, values in table.numbered():
        errors: list[RowError] = []

        def error(column: str, message: str, errors=errors, row=row) -> None:
            errors.append(RowError(row, column, message))

        fields = {
            "title": values.get("title", ""),
            "provider": values.get("provider", ""),
            "link": values.get("link", ""),
            "description": values.get("description", ""),
            "recurrence": values.get("recurrence", ""),
            "format": formats.get(values.get("format", "").lower(), ""),
            "level": levels.get((values.get("level", "") or "beginner").lower(), ""),
            "certificate": False,
            "cost_eur": Decimal(0),
            "duration_hours": None,
        }
        if not fields["format"]:
            error(
                "format",
                _("Unknown format “%(value)s” (self-paced, webinar or live online course).")
                % {"value": values.get("format", "")},
            )
        if not fields["level"]:
            error(
                "level",
                _("Unknown level “%(value)s” (beginner, intermediate or advanced).")
                % {"value": values.get("level", "")},
            )
        certificate = values.get("certificate", "").lower()
        if certificate in TRUE:
            fields["certificate"] = True
        elif certificate not in FALSE:
            error(
                "certificate",
                _("Write yes or no, not “%(value)s”.") % {"value": values.get("certificate", "")},
            )
        for column, target in (("cost_eur", "cost_eur"), ("duration_hours", "duration_hours")):
            raw = values.get(column, "").replace(" ", "").replace(",", ".")
            if raw:
                try:
                    fields[target] = Decimal(raw)
                except InvalidOperation:
                    error(column, _("“%(value)s” is not a number.") % {"value": values.get(column, "")})
        row_topics = []
        for name in split_list(values.get("topics", "")):
            topic = topics.get(name.lower())
            if topic is None:
                error("topics", _("Unknown topic “%(value)s”.") % {"value": name})
            else:
                row_topics.append(topic)
        if not split_list(values.get("topics", "")):
            error("topics", _("Give at least one topic."))
        row_languages = []
        for name in split_list(values.get("languages", "")):
            language = languages.get(name.lower())
            if language is None:
                error("languages", _("Unknown language “%(value)s”.") % {"value": name})
            else:
                row_languages.append(language)
        try:
            sessions = parse_sessions(values.get("sessions", ""))
        except ValueError as exc:
            sessions = []
            error(
                "sessions",
                _("“%(value)s” is not a date like 2026-03-04 10:00-12:00.") % {"value": exc.args[0]},
            )
        key = (fields["title"].lower(), fields["provider"].lower())
        if key in seen:
            error("title", _("Same title and provider as row %(row)d.") % {"row": seen[key]})
        seen.setdefault(key, row)
        if TrainingEntry.objects.filter(
            title__iexact=fields["title"], provider__iexact=fields["provider"]
        ).exists():
            error("title", _("This course of this provider is already in the catalogue."))
        entry = TrainingEntry(**fields)
        try:
            domain._validate_entry(entry, row_topics or None, sessions)
        except ValidationError as exc:
            taken = {e.field for e in errors}
            for name, messages in exc.message_dict.items():
                if name not in taken:
                    errors.extend(RowError(row, name if name != "__all__" else "title", m) for m in messages)
        report.errors.extend(errors)
        prepared.append((fields, row_topics, row_languages, sessions))
    if report.ok and not dry_run:
        report.created = _write(actor, prepared)
    return report


@transaction.atomic
def _write(actor, prepared) -> int:
    for fields, topics, languages, sessions in prepared:
        domain.submit_entry(actor, fields, topics=topics, languages=languages, sessions=sessions)
    return len(prepared)
