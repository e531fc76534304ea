"""Demo KPI definitions of EXCITE and of the current call: what is counted and the targets (the project's published targets
where it had one — 96 exchange participants, 12 staff trained, 6 strategies reviewed — and invented
demo targets for the rest)."""

from datetime import date

from clusterxchange.core.demo import DemoContext, register
from clusterxchange.programmes.demo import current_call
from clusterxchange.programmes.models import KpiMeasure, KpiTarget, Programme
from clusterxchange.reporting.measures import MEASURES, Scope

# (code, name, measure, target, published on the public site)
KPIS = [
    ("exchanges", "Cluster exchanges", KpiMeasure.EXCHANGES, 96, True),
    ("sme-exchanges", "Exchanges of SMEs", KpiMeasure.SME_EXCHANGES, 48, True),
    ("exchange-participants", "Participants in exchanges", KpiMeasure.EXCHANGE_PARTICIPANTS, 96, True),
    ("missions", "Company missions", KpiMeasure.MISSIONS, 8, True),
    ("study-visits", "Study visits", KpiMeasure.STUDY_VISITS, 3, True),
    ("tandems", "Learning tandems", KpiMeasure.TANDEMS, 4, False),
    ("staff-trained", "Cluster management staff trained", KpiMeasure.STAFF_TRAINED, 12, False),
    ("strategies-reviewed", "Cluster strategies reviewed", KpiMeasure.STRATEGIES_REVIEWED, 6, False),
    ("b2b-meetings", "B2B meetings held", KpiMeasure.B2B_MEETINGS, 300, False),
    ("countries-reached", "Countries reached", KpiMeasure.COUNTRIES_REACHED, 15, True),
    ("agreements-reached", "Agreements reached", KpiMeasure.AGREEMENTS_REACHED, 40, False),
    ("follow-ups-answered", "Follow-ups answered", KpiMeasure.FOLLOW_UPS_ANSWERED, 150, False),
]
# The KPIs named otherwise than their measure, in each of the demo programmes' languages (the others
# read as their measure's label, translated by the catalogues: KpiTarget.display_name).
NAMES = {
    "exchanges": {
        "en": "Cluster exchanges",
        "de": "Cluster-Austausche",
        "fr": "Échanges entre clusters",
        "es": "Intercambios entre clústeres",
        "pl": "Wymiany klastrów",
        "lt": "Klasterių mainai",
        "bg": "Обмени между клъстери",
    },
    "exchange-participants": {
        "en": "Participants in exchanges",
        "de": "Teilnehmende der Austausche",
        "fr": "Participants des échanges",
        "es": "Participantes de los intercambios",
        "pl": "Uczestnicy wymian",
        "lt": "Dalyviai mainuose",
        "bg": "Участници в обмените",
    },
}


def ensure_kpis(programme: Programme) -> None:
    """Idempotent: keeps targets already entered, fills in how each KPI is counted, its order and its
    names in the programme's languages."""
    for position, (code, name, measure, target, published) in enumerate(KPIS, start=1):
        kpi, created = KpiTarget.objects.get_or_create(
            programme=programme,
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "target": target,
                "published": published,
                "position": position,
            },
        )
        names = {lang: text for lang, text in NAMES.get(code, {}).items() if lang in programme.languages}
        if not created or names:
            kpi.measure = kpi.measure or measure
            kpi.position = position
            kpi.published = kpi.published or published
            kpi.names = {**names, **kpi.names}
            kpi.save(update_fields=["measure", "position", "published", "names"])


def summary(context: DemoContext) -> None:
    """EXCITE's exchanges counted as the project reported them (the demo exchanges reproduce them)."""
    programme = Programme.objects.filter(slug="excite").first()
    if programme is None:
        return
    september = Scope(end=date(2023, 9, 30))
    exchanges = MEASURES[KpiMeasure.EXCHANGES].value(programme, september)
    smes = MEASURES[KpiMeasure.SME_EXCHANGES].value(programme, september)
    context.counts["EXCITE exchanges carried out from the start to 30.09.2023 (the project reported 60)"] = (
        exchanges
    )
    context.counts["  of which by SMEs (the project reported 27)"] = smes


@register("reporting", order=90, summary=summary)
def load(context: DemoContext) -> None:

    for programme in (Programme.objects.filter(slug="excite").first(), current_call()):
        if programme is None:
            continue
        ensure_kpis(programme)
        if not programme.contact_email:
            programme.contact_email = "excite@silicon-saxony.example"
            programme.save(update_fields=["contact_email"])
