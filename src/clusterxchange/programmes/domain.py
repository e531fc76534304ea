"""Programme set-up actions: the only code that changes a programme, its reporting periods, eligible
countries, partners, grant rules and KPI targets (pages, API and the copy for a new call call these).

Each action checks the permission (`programmes/rules.py`), validates the whole set-up it touches
(bad input is a ValidationError naming the field, so nothing is half-saved), writes in one transaction
and records an audit entry on the programme with the fields it changed: the programme page's history
is read from these entries.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from clusterxchange.core import audit
from clusterxchange.core.audit import field_changes
from clusterxchange.core.domain import Refused, apply_fields, audited_update, require, snapshot, unique_slug
from clusterxchange.core.memo import forget_cached
from clusterxchange.core.texts import sentence
from clusterxchange.directory import domain as directory
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.programmes.grants import MAX_WORKING_DAYS_PER_MONTH, engine_rules
from clusterxchange.programmes.models import (
    CountryCap,
    EligibleCountry,
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ProgrammeRole,
    ProgrammeText,
    ReportingPeriod,
    language_names,
    public_texts,
)

PROGRAMME_FIELDS = [
    "name",
    "acronym",
    "start_date",
    "end_date",
    "default_language",
    "languages",
    "website",
    "contact_email",
    "grant_budget_eur",
    "booking_reminder_days",
    "follow_up_months",
    "video_link_template",
]
# The programme's own settings a copy for a new call keeps (besides rules, partners, countries, KPIs).
COPIED_SETTINGS = [
    "languages",
    "website",
    "contact_email",
    "booking_reminder_days",
    "follow_up_months",
    "video_link_template",
]
PERIOD_FIELDS = ["name", "start_date", "end_date"]
PARTNER_FIELDS = ["is_coordinator", "grant_budget_eur"]
CLUSTER_FIELDS = ["name", "country", "city", "website"]
RULE_FIELDS = [
    "min_working_days",
    "max_stay_months",
    "full_rate_min_working_days",
    "full_rate_min_distance_km",
    "halving_factor",
    "daily_rate_eur",
    "visit_once",
    "visitor_types",
    "host_types",
]
KPI_FIELDS = ["code", "name", "names", "measure", "target", "position", "published"]
TEXT_FIELDS = ["name", "description"]


def _record(actor, action: str, programme: Programme, item=None, changes: dict | None = None) -> None:
    """Every set-up change is recorded on the programme (its history), naming the item it touched."""
    audit.record(
        actor,
        f"programmes.{action}",
        programme,
        comment=str(item) if item is not None else "",
        changes=changes,
    )


def _records_of(instance) -> list[str]:
    """The kinds of records that point at `instance` (a partner or period that has them is kept)."""
    kinds = []
    for relation in instance._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            accessor = relation.get_accessor_name()
            related = relation.related_model._default_manager.filter(**{relation.field.name: instance})
            if accessor and related.exists():
                kinds.append(str(relation.related_model._meta.verbose_name_plural))
    return sorted(set(kinds))


# Programme ---------------------------------------------------------------------------------------


def _check_languages(programme: Programme, default_changed: bool) -> dict:
    """The programme's languages: known codes, at least one, the default among them (the error is on
    the field the editor changed: the default language, or the languages when the default stayed).
    They are kept in the site's order, without repeats."""
    languages = programme.languages
    if languages is None or isinstance(languages, str):
        languages = []
    known = [code for code, _name in settings.LANGUAGES]
    if programme.default_language not in known:
        return {}  # the default language's own check names it (full_clean)
    unknown = sorted({str(code) for code in languages} - set(known))
    if unknown:
        return {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
    programme.languages = [code for code in known if code in languages]
    if not programme.languages:
        return {"languages": _("Choose at least one language.")}
    if programme.default_language in programme.languages:
        return {}
    default = language_names([programme.default_language])
    if default_changed:
        return {
            "default_language": _(
                "The default language (%(language)s) is not one of the programme's languages (%(languages)s): "
                "add it to them first."
            )
            % {"language": default, "languages": language_names(programme.languages)}
        }
    return {
        "languages": _(
            "The default language (%(language)s) stays among the programme's languages: "
            "choose another default language first."
        )
        % {"language": default}
    }


def _check_programme(programme: Programme, *, default_changed: bool = True) -> None:
    errors = _check_languages(programme, default_changed)
    taken = Programme.objects.filter(acronym__iexact=programme.acronym).exclude(pk=programme.pk)
    if programme.acronym and taken.exists():
        errors["acronym"] = _("The acronym %(acronym)s is already used by another programme.") % {
            "acronym": programme.acronym
        }
    if programme.pk and programme.start_date and programme.end_date:
        outside = programme.periods.exclude(
            start_date__gte=programme.start_date, end_date__lte=programme.end_date
        )
        if outside.exists():
            errors["end_date"] = _(
                "The reporting period %(period)s would lie outside the programme: change or remove it first."
            ) % {"period": outside.first()}
    if errors:
        raise ValidationError(errors)
    programme.full_clean(exclude=["slug"])


def _new_programme(actor, fields: dict) -> Programme:
    programme = Programme()
    apply_fields(programme, fields, PROGRAMME_FIELDS)
    if "languages" not in fields:  # none given: the default language only (an empty choice is refused)
        programme.languages = [programme.default_language]
    _check_programme(programme)
    programme.slug = unique_slug(Programme.objects, programme.acronym, fallback="programme")
    programme.save()
    ProgrammeRole.objects.create(programme=programme, user=actor, role=ProgrammeRole.Role.COORDINATOR)
    forget_cached(actor)  # the creator's roles changed: they coordinate it now
    return programme


@transaction.atomic
def create_programme(actor, fields: dict) -> Programme:
    """A new programme, with the scheme's default grant rules; its creator becomes its coordinator."""
    require(actor, "programmes.add_programme")
    programme = _new_programme(actor, fields)
    GrantRuleSet.objects.create(programme=programme)
    _record(
        actor, "programme.create", programme, changes=field_changes({}, snapshot(programme, list(fields)))
    )
    return programme


@transaction.atomic
def update_programme(
    actor, programme: Programme, fields: dict, *, expected_version: str | None = None
) -> Programme:
    require(actor, "programmes.change_programme", programme)
    before_default, before_languages = programme.default_language, list(programme.languages)
    with audited_update(
        actor,
        programme,
        fields,
        PROGRAMME_FIELDS,
        action="programmes.programme.update",
        expected_version=expected_version,
    ):
        _check_programme(programme, default_changed=programme.default_language != before_default)
    for text in programme.texts.exclude(language__in=programme.languages):
        # A language the programme no longer works in takes its texts along (the history keeps them).
        gone = field_changes(snapshot(text, TEXT_FIELDS), dict.fromkeys(TEXT_FIELDS, ""))
        _record(actor, "text.remove", programme, text, gone)
        text.delete()
    if programme.languages != before_languages:
        public_texts.forget(programme)
    return programme


@transaction.atomic
def copy_programme(actor, source: Programme, fields: dict) -> Programme:
    """A programme for a new call: the source's grant rules with their country caps, partners (with
    their budgets), eligible countries and KPI targets; new name, acronym and dates. No records
    (exchanges, events…) and no reporting periods: the new call's periods follow its own dates."""
    require(actor, "programmes.add_programme")
    require(actor, "programmes.change_programme", source)
    copied = {name: getattr(source, name) for name in [*COPIED_SETTINGS, "default_language"]}
    default = fields.get("default_language") or source.default_language
    # A new default language the source did not work in joins the copy's languages.
    copied["languages"] = [*source.languages, *([] if default in source.languages else [default])]
    programme = _new_programme(actor, {**copied, **fields})
    source_rules = GrantRuleSet.objects.filter(programme=source).first() or GrantRuleSet(programme=source)
    rules = GrantRuleSet.objects.create(
        programme=programme, **{name: getattr(source_rules, name) for name in RULE_FIELDS}
    )
    if source_rules.pk:
        CountryCap.objects.bulk_create(
            CountryCap(rules=rules, country=cap.country, amount_eur=cap.amount_eur)
            for cap in source_rules.country_caps.all()
        )
    EligibleCountry.objects.bulk_create(
        EligibleCountry(programme=programme, country=c.country) for c in source.eligible_countries.all()
    )
    PartnerCluster.objects.bulk_create(
        PartnerCluster(
            programme=programme,
            cluster_id=p.cluster_id,
            is_coordinator=p.is_coordinator,
            grant_budget_eur=p.grant_budget_eur,
        )
        for p in source.partners.all()
    )
    KpiTarget.objects.bulk_create(
        KpiTarget(programme=programme, **{name: getattr(k, name) for name in KPI_FIELDS})
        for k in source.kpi_targets.all()
    )
    # The descriptions; not the names in other languages: the new call has a name of its own.
    ProgrammeText.objects.bulk_create(
        ProgrammeText(programme=programme, language=text.language, description=text.description)
        for text in source.texts.filter(language__in=programme.languages).exclude(description="")
    )
    _record(
        actor,
        "programme.copy",
        programme,
        item=_("Copied from %(source)s") % {"source": source.acronym},
        changes=field_changes({}, snapshot(programme, list(fields))),
    )
    return programme


# Public texts ------------------------------------------------------------------------------------


@transaction.atomic
def set_texts(actor, programme: Programme, texts: dict[str, dict]) -> list[ProgrammeText]:
    """The programme's public texts (``{language: {"name": …, "description": …}}``; a field left out
    stays as it is), in languages the programme works in. A language whose texts are all empty has
    none (the public site shows the default language's). Each language changed is recorded."""
    require(actor, "programmes.change_programme", programme)
    names = dict(settings.LANGUAGES)
    unknown = sorted(code for code in texts if code not in names)
    if unknown:
        raise ValidationError({"language": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}})
    outside = [code for code in texts if code not in programme.languages]
    if outside:
        raise ValidationError(
            {
                "language": _("Not one of the programme's languages: %(languages)s. Add it to them first.")
                % {"languages": language_names(outside)}
            }
        )
    existing = {text.language: text for text in programme.texts.select_for_update()}
    changed = []
    errors = {}
    for code, fields in texts.items():
        text = existing.get(code) or ProgrammeText(programme=programme, language=code)
        before = snapshot(text, TEXT_FIELDS) if text.pk else dict.fromkeys(TEXT_FIELDS, "")
        apply_fields(text, fields, TEXT_FIELDS)
        try:
            text.full_clean(exclude=["programme"])
        except ValidationError as error:
            errors.update({f"{name}_{code}": messages for name, messages in error.message_dict.items()})
            continue
        changes = field_changes(before, snapshot(text, TEXT_FIELDS))
        if changes:
            changed.append((text, changes))
    if errors:
        raise ValidationError(errors)
    for text, changes in changed:
        if text.name or text.description:
            text.save()
        elif text.pk:
            text.delete()
        _record(actor, "text.set", programme, text, changes)
    public_texts.forget(programme)
    return list(programme.texts.all())


# Reporting periods -------------------------------------------------------------------------------


def _check_period(period: ReportingPeriod) -> None:
    period.full_clean()
    programme = period.programme
    if period.start_date < programme.start_date or period.end_date > programme.end_date:
        raise ValidationError(
            {
                "start_date": _("A reporting period must lie within the programme (%(start)s to %(end)s).")
                % {"start": programme.start_date.isoformat(), "end": programme.end_date.isoformat()}
            }
        )
    overlapping = (
        programme.periods.exclude(pk=period.pk)
        .filter(start_date__lte=period.end_date, end_date__gte=period.start_date)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {"start_date": sentence(_("This period overlaps %(period)s."), period=overlapping)}
        )


@transaction.atomic
def add_period(actor, programme: Programme, fields: dict) -> ReportingPeriod:
    require(actor, "programmes.change_programme", programme)
    period = ReportingPeriod(programme=programme)
    apply_fields(period, fields, PERIOD_FIELDS)
    _check_period(period)
    period.save()
    _record(actor, "period.add", programme, period, field_changes({}, snapshot(period, PERIOD_FIELDS)))
    return period


@transaction.atomic
def update_period(actor, period: ReportingPeriod, fields: dict) -> ReportingPeriod:
    require(actor, "programmes.change_programme", period.programme)
    before = snapshot(period, list(fields))
    apply_fields(period, fields, PERIOD_FIELDS)
    _check_period(period)
    period.save()
    _record(
        actor,
        "period.update",
        period.programme,
        period,
        field_changes(before, snapshot(period, list(fields))),
    )
    return period


@transaction.atomic
def remove_period(actor, period: ReportingPeriod) -> None:
    require(actor, "programmes.change_programme", period.programme)
    records = _records_of(period)
    if records:
        raise Refused(
            _("%(period)s cannot be removed: it has %(kinds)s.")
            % {"period": period, "kinds": ", ".join(records)}
        )
    _record(actor, "period.remove", period.programme, period)
    period.delete()


# Eligible countries ------------------------------------------------------------------------------


@transaction.atomic
def set_eligible_countries(actor, programme: Programme, countries) -> list[str]:
    """The programme's eligible countries become `countries` (ISO codes). The lump sum of a country
    that is no longer eligible goes with it; a newly eligible one is listed as missing its lump sum
    until the grant rules give it one."""
    require(actor, "programmes.change_programme", programme)
    wanted = sorted({str(code).upper() for code in countries})
    if not wanted:
        raise ValidationError({"countries": _("Choose at least one eligible country.")})
    field = EligibleCountry._meta.get_field("country")
    for code in wanted:
        field.clean(code, None)
    before = sorted(str(c.country) for c in programme.eligible_countries.all())
    removed = set(before) - set(wanted)
    programme.eligible_countries.filter(country__in=removed).delete()
    CountryCap.objects.filter(rules__programme=programme, country__in=removed).delete()
    EligibleCountry.objects.bulk_create(
        EligibleCountry(programme=programme, country=code) for code in wanted if code not in before
    )
    if before != wanted:
        _record(
            actor, "countries.set", programme, changes={"countries": [", ".join(before), ", ".join(wanted)]}
        )
    return wanted


# Partners ----------------------------------------------------------------------------------------


def _check_partner(partner: PartnerCluster) -> None:
    if partner.cluster.org_type != OrganisationType.CLUSTER:
        raise ValidationError(
            {
                "cluster": _("%(name)s is not a cluster organisation: only clusters can be partners.")
                % {"name": partner.cluster.name}
            }
        )
    if partner.programme.partners.exclude(pk=partner.pk).filter(cluster=partner.cluster).exists():
        raise ValidationError(
            {
                "cluster": _("%(name)s is already a partner of this programme.")
                % {"name": partner.cluster.name}
            }
        )
    if partner.is_coordinator:
        other = partner.programme.partners.exclude(pk=partner.pk).filter(is_coordinator=True).first()
        if other is not None:
            raise ValidationError(
                {
                    "is_coordinator": _(
                        "%(name)s is already the coordinating partner; a programme has one. "
                        "Make it an ordinary partner first."
                    )
                    % {"name": other.cluster.name}
                }
            )
    partner.full_clean(exclude=["programme", "cluster"])


@transaction.atomic
def add_partner(actor, programme: Programme, cluster: Organisation, fields: dict) -> PartnerCluster:
    require(actor, "programmes.change_programme", programme)
    partner = PartnerCluster(programme=programme, cluster=cluster)
    apply_fields(partner, fields, PARTNER_FIELDS)
    _check_partner(partner)
    partner.save()
    _record(
        actor, "partner.add", programme, partner.cluster, field_changes({}, snapshot(partner, PARTNER_FIELDS))
    )
    return partner


@transaction.atomic
def add_new_cluster_partner(
    actor, programme: Programme, cluster_fields: dict, fields: dict
) -> PartnerCluster:
    """A partner that is not in the directory yet: the cluster organisation is created with it."""
    require(actor, "programmes.change_programme", programme)
    unknown = set(cluster_fields) - set(CLUSTER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown field: {', '.join(sorted(unknown))}")
    cluster = directory.create_organisation(
        actor, {**cluster_fields, "org_type": OrganisationType.CLUSTER}, check_permission=False
    )
    return add_partner(actor, programme, cluster, fields)


@transaction.atomic
def update_partner(actor, partner: PartnerCluster, fields: dict) -> PartnerCluster:
    require(actor, "programmes.change_programme", partner.programme)
    before = snapshot(partner, list(fields))
    apply_fields(partner, fields, PARTNER_FIELDS)
    _check_partner(partner)
    partner.save()
    _record(
        actor,
        "partner.update",
        partner.programme,
        partner.cluster,
        field_changes(before, snapshot(partner, list(fields))),
    )
    return partner


@transaction.atomic
def remove_partner(actor, partner: PartnerCluster) -> None:
    require(actor, "programmes.change_programme", partner.programme)
    records = _records_of(partner)
    if records:
        raise Refused(
            _("%(name)s cannot be removed: the programme has %(kinds)s of this partner.")
            % {"name": partner.cluster.name, "kinds": ", ".join(records)}
        )
    _record(actor, "partner.remove", partner.programme, partner.cluster)
    partner.delete()


# Grant rules -------------------------------------------------------------------------------------


def _country_names(codes: list[str]) -> str:
    """Countries as a reader names them, with the code the API and files use: "Romania (RO)"."""
    return ", ".join(f"{countries.name(code) or code} ({code})" for code in codes)


def check_grant_rules(rules: GrantRuleSet, caps: dict[str, Decimal], eligible: list[str]) -> None:
    """Refuse rules with gaps or overlaps (ValidationError naming the field): every eligible host
    country needs its lump sum and only those have one; thresholds must be reachable within the
    maximum stay; no negative amounts."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    missing = sorted(set(eligible) - set(caps))
    if missing:
        refuse(
            "caps",
            _("Every eligible host country needs a lump sum; missing: %(countries)s.")
            % {"countries": _country_names(missing)},
        )
    extra = sorted(set(caps) - set(eligible))
    if extra:
        refuse(
            "caps",
            _("A lump sum is set for %(countries)s, which is not an eligible country.")
            % {"countries": _country_names(extra)},
        )
    negative = sorted(code for code, amount in caps.items() if amount is None or amount < 0)
    if negative:
        refuse(
            "caps",
            _("A lump sum cannot be negative (%(countries)s).") % {"countries": _country_names(negative)},
        )
    for name in ("daily_rate_eur", "full_rate_min_distance_km", "halving_factor"):
        value = getattr(rules, name)
        if value is not None and value < 0:
            refuse(name, _("This cannot be negative."))
    if rules.halving_factor is not None and rules.halving_factor > 1:
        refuse("halving_factor", _("The reduction factor is between 0 and 1 (0.5 halves the grant)."))
    for name in ("min_working_days", "full_rate_min_working_days", "max_stay_months"):
        value = getattr(rules, name)
        if value is not None and value < 0:
            refuse(name, _("This cannot be negative."))
    months = rules.max_stay_months
    if months is not None and months < 1:
        refuse("max_stay_months", _("The maximum stay is at least one month."))
    elif months is not None:
        longest = months * MAX_WORKING_DAYS_PER_MONTH
        if rules.min_working_days is not None and rules.min_working_days > longest:
            refuse(
                "min_working_days",
                _(
                    "The minimum of %(days)s working days is above the maximum stay "
                    "(%(months)s month(s) have at most %(longest)s working days)."
                )
                % {"days": rules.min_working_days, "months": months, "longest": longest},
            )
        if rules.full_rate_min_working_days is not None and rules.full_rate_min_working_days > longest:
            refuse(
                "full_rate_min_working_days",
                _(
                    "The full rate from %(days)s working days is above the maximum stay "
                    "(%(months)s month(s) have at most %(longest)s working days): no stay could reach it."
                )
                % {"days": rules.full_rate_min_working_days, "months": months, "longest": longest},
            )
    for name in ("visitor_types", "host_types"):
        unknown = set(getattr(rules, name) or []) - set(OrganisationType.values)
        if unknown:
            refuse(name, _("Unknown organisation type: %(types)s.") % {"types": ", ".join(sorted(unknown))})
    if errors:
        raise ValidationError(errors)
    try:
        # Empty type lists mean the scheme's defaults (programmes/grants.py).
        rules.full_clean(exclude=["programme", "visitor_types", "host_types"])
        engine_rules(rules, caps, eligible)
    except ValueError as error:
        raise ValidationError(str(error)) from error


@transaction.atomic
def update_grant_rules(actor, programme: Programme, fields: dict, caps: dict[str, Decimal]) -> GrantRuleSet:
    """The programme's grant rules and its lump sum (cap) per host country, checked together."""
    require(actor, "programmes.change_programme", programme)
    rules = GrantRuleSet.objects.select_for_update().filter(programme=programme).first()
    rules = rules or GrantRuleSet(programme=programme)
    before = snapshot(rules, list(fields))
    before_caps = {str(c.country): c.amount_eur for c in rules.country_caps.all()} if rules.pk else {}
    apply_fields(rules, fields, RULE_FIELDS)
    caps = {str(code).upper(): amount for code, amount in caps.items()}
    check_grant_rules(rules, caps, [str(c.country) for c in programme.eligible_countries.all()])
    rules.save()
    rules.country_caps.exclude(country__in=list(caps)).delete()
    for code, amount in caps.items():
        CountryCap.objects.update_or_create(rules=rules, country=code, defaults={"amount_eur": amount})
    changes = field_changes(before, snapshot(rules, list(fields)))
    changes.update(
        field_changes(
            {f"cap {code}": amount for code, amount in before_caps.items()},
            {f"cap {code}": amount for code, amount in caps.items()},
        )
    )
    for code in sorted(set(before_caps) - set(caps)):
        changes[f"cap {code}"] = [str(before_caps[code]), ""]
    _record(actor, "rules.update", programme, changes=changes)
    return rules


# KPI targets -------------------------------------------------------------------------------------


@transaction.atomic
def add_kpi(actor, programme: Programme, fields: dict) -> KpiTarget:
    require(actor, "programmes.change_programme", programme)
    kpi = KpiTarget(programme=programme)
    apply_fields(kpi, fields, KPI_FIELDS)
    kpi.full_clean()
    kpi.save()
    _record(actor, "kpi.add", programme, kpi, field_changes({}, snapshot(kpi, list(fields))))
    return kpi


@transaction.atomic
def update_kpi(actor, kpi: KpiTarget, fields: dict) -> KpiTarget:
    require(actor, "programmes.change_programme", kpi.programme)
    before = snapshot(kpi, list(fields))
    apply_fields(kpi, fields, KPI_FIELDS)
    kpi.full_clean()
    kpi.save()
    _record(actor, "kpi.update", kpi.programme, kpi, field_changes(before, snapshot(kpi, list(fields))))
    return kpi


@transaction.atomic
def remove_kpi(actor, kpi: KpiTarget) -> None:
    require(actor, "programmes.change_programme", kpi.programme)
    _record(actor, "kpi.remove", kpi.programme, kpi)
    kpi.delete()
