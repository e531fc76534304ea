"""Import organisations and people from CSV/XLSX: every row is validated first; nothing is written
unless every row is valid (and never on a dry run)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from clusterxchange.core.models import Ecosystem, Language, NaceCode
from clusterxchange.core.tabular import ImportReport, RowError, Table, choice_lookup, split_list
from clusterxchange.core.texts import sentence
from clusterxchange.directory import domain
from clusterxchange.directory.columns import (
    ORGANISATION_COLUMNS,
    ORGANISATION_REQUIRED,
    PERSON_COLUMNS,
    PERSON_REQUIRED,
)
from clusterxchange.directory.models import Organisation, OrganisationType, Person


@dataclass
class _Prepared:
    row: int
    fields: dict
    relations: dict


def _number(value: str, kind, row: int, column: str, errors: list[RowError]):
    if value == "":
        return None
    try:
        number = kind(value.replace(" ", "")) if kind is not Decimal else Decimal(value.replace(" ", ""))
    except (ValueError, InvalidOperation):
        errors.append(RowError(row, column, _("“%(value)s” is not a number.") % {"value": value}))
        return None
    return number


def _codes(value: str, known: dict, row: int, column: str, what: str, errors: list[RowError]) -> list:
    found = []
    for code in split_list(value):
        item = known.get(code.lower())
        if item is None:
            errors.append(
                RowError(row, column, _("Unknown %(what)s “%(code)s”.") % {"what": what, "code": code})
            )
        else:
            found.append(item)
    return found


def _missing_columns(table: Table, required: list[str], known: list[str], errors: list[RowError]) -> bool:
    for column in required:
        if column not in table.headers:
            errors.append(RowError(1, column, _("The required column is missing.")))
    for column in table.headers:
        if column not in known:
            errors.append(RowError(1, column, _("Unknown column.")))
    return bool(errors)


def _model_errors(instance, row: int, errors: list[RowError], exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = {"org_type": "type", "__all__": "name"}.get(name, name)
            errors.extend(RowError(row, column, message) for message in messages)


def import_organisations(actor, table: Table, *, dry_run: bool = True, cluster=None) -> ImportReport:
    """Organisations from a table; a cluster manager's import joins their cluster (`cluster`)."""
    report = ImportReport(kind="organisations", total_rows=len(table.rows), dry_run=dry_run)
    if not actor.has_perm("directory.import"):
        raise PermissionDenied(_("You are not allowed to import."))
    if cluster is not None and not actor.has_perm("directory.change_organisation", cluster):
        raise PermissionDenied(_("You do not manage this cluster."))
    if _missing_columns(table, ORGANISATION_REQUIRED, ORGANISATION_COLUMNS, report.errors):
        return report
    types = choice_lookup(OrganisationType.choices)
    ecosystems = {e.code.lower(): e for e in Ecosystem.objects.all()} | {
        e.name.lower(): e for e in Ecosystem.objects.all()
    }
    sectors = {n.code.lower(): n for n in NaceCode.objects.all()}
    clusters = {c.slug.lower(): c for c in Organisation.objects.filter(org_type=OrganisationType.CLUSTER)}
    seen_names: dict[tuple[str, str], int] = {}
    seen_vat: dict[str, int] = {}
    prepared: list[_Prepared] = []
    for row, values in table.numbered():
        errors: list[RowError] = []
        org_type = types.get(values.get("type", "").lower())
        if org_type is None:
            errors.append(
                RowError(
                    row,
                    "type",
                    _("Unknown organisation type “%(value)s”.") % {"value": values.get("type", "")},
                )
            )
        fields = {
            "name": values.get("name", ""),
            "org_type": org_type or "",
            "country": values.get("country", "").upper(),
            "region": values.get("region", ""),
            "city": values.get("city", ""),
            "latitude": _number(values.get("latitude", ""), float, row, "latitude", errors),
            "longitude": _number(values.get("longitude", ""), float, row, "longitude", errors),
            "website": values.get("website", ""),
            "email": values.get("email", ""),
            "phone": values.get("phone", ""),
            "vat_number": values.get("vat_number", "").replace(" ", "").upper(),
            "description": values.get("description", ""),
            "keywords": values.get("keywords", ""),
            "staff_count": _number(values.get("staff_count", ""), int, row, "staff_count", errors),
            "turnover_eur": _number(values.get("turnover_eur", ""), Decimal, row, "turnover_eur", errors),
            "balance_sheet_eur": _number(
                values.get("balance_sheet_eur", ""), Decimal, row, "balance_sheet_eur", errors
            ),
            "member_count": _number(values.get("member_count", ""), int, row, "member_count", errors),
            "esca_label": values.get("esca_label", "").lower(),
        }
        relations = {
            "ecosystems": _codes(
                values.get("ecosystems", ""), ecosystems, row, "ecosystems", _("ecosystem"), errors
            ),
            "sectors": _codes(values.get("sectors", ""), sectors, row, "sectors", _("NACE code"), errors),
            "clusters": _codes(values.get("clusters", ""), clusters, row, "clusters", _("cluster"), errors),
        }
        if cluster is not None and cluster not in relations["clusters"]:
            relations["clusters"].append(cluster)
        name_key = (fields["name"].lower(), fields["country"])
        if name_key in seen_names:
            errors.append(
                RowError(
                    row, "name", _("Same name and country as row %(row)d.") % {"row": seen_names[name_key]}
                )
            )
        seen_names.setdefault(name_key, row)
        if fields["vat_number"]:
            if fields["vat_number"] in seen_vat:
                errors.append(
                    RowError(
                        row,
                        "vat_number",
                        _("Same VAT number as row %(row)d.") % {"row": seen_vat[fields["vat_number"]]},
                    )
                )
            seen_vat.setdefault(fields["vat_number"], row)
        instance = Organisation(**fields)
        _model_errors(instance, row, errors, exclude=["slug", *[e.field for e in errors]])
        report.errors.extend(errors)
        prepared.append(_Prepared(row, fields, relations))
    if report.ok and not dry_run:
        report.created = _write_organisations(actor, prepared)
    return report


@transaction.atomic
def _write_organisations(actor, prepared: list[_Prepared]) -> int:
    for item in prepared:
        organisation = domain.create_organisation(
            actor,
            item.fields,
            ecosystems=item.relations["ecosystems"],
            sectors=item.relations["sectors"],
            check_permission=False,
        )
        for cluster in item.relations["clusters"]:
            domain.add_cluster_member(actor, cluster, organisation)
    return len(prepared)


def import_people(actor, table: Table, *, dry_run: bool = True) -> ImportReport:
    report = ImportReport(kind="people", total_rows=len(table.rows), dry_run=dry_run)
    if not actor.has_perm("directory.import"):
        raise PermissionDenied(_("You are not allowed to import."))
    if _missing_columns(table, PERSON_REQUIRED, PERSON_COLUMNS, report.errors):
        return report
    languages = {lang.code.lower(): lang for lang in Language.objects.all()} | {
        lang.name.lower(): lang for lang in Language.objects.all()
    }
    slugs = {value.get("organisation", "").lower() for value in table.rows}
    organisations = {
        org.slug.lower(): org
        for org in Organisation.objects.annotate(slug_lower=Lower("slug")).filter(slug_lower__in=slugs)
    }
    prepared: list[_Prepared] = []
    for row, values in table.numbered():
        errors: list[RowError] = []
        organisation = organisations.get(values.get("organisation", "").lower())
        if organisation is None:
            errors.append(
                RowError(
                    row,
                    "organisation",
                    _("No organisation with the identifier “%(value)s”.")
                    % {"value": values.get("organisation", "")},
                )
            )
        elif not actor.has_perm("directory.add_person", organisation):
            errors.append(
                RowError(
                    row,
                    "organisation",
                    sentence(_("You may not add people to %(name)s."), name=organisation.name),
                )
            )
        fields = {
            name: values.get(name, "") for name in ("first_name", "last_name", "email", "phone", "position")
        }
        fields["email"] = fields["email"].lower()
        relations = {
            "organisation": organisation,
            "languages": _codes(
                values.get("languages", ""), languages, row, "languages", _("language"), errors
            ),
        }
        instance = Person(organisation=organisation, **fields) if organisation else Person(**fields)
        _model_errors(instance, row, errors, exclude=["organisation", *[e.field for e in errors]])
        report.errors.extend(errors)
        prepared.append(_Prepared(row, fields, relations))
    if report.ok and not dry_run:
        report.created = _write_people(actor, prepared)
    return report


@transaction.atomic
def _write_people(actor, prepared: list[_Prepared]) -> int:
    for item in prepared:
        domain.create_person(
            actor, item.relations["organisation"], item.fields, languages=item.relations["languages"]
        )
    return len(prepared)
