"""Demo tandems: the EXCITE partners' self-assessments (two periods), four learning tandems on the
EXCITE topics with sessions and outcomes, and two cluster strategy reviews. Written through the
domain actions, as the programme coordinator."""

from datetime import date

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.programmes.models import KpiTarget, PartnerCluster, Programme, ReportingPeriod
from clusterxchange.tandems import domain
from clusterxchange.tandems.models import StrategyReview, Tandem, TandemStatus, Topic

COORDINATOR_EMAIL = "coordinator@excite.example"
PERIODS = [
    ("Period 1", date(2022, 2, 1), date(2023, 3, 31)),
    ("Period 2", date(2023, 4, 1), date(2023, 9, 30)),
    ("Period 3", date(2023, 10, 1), date(2024, 7, 31)),
]
SS, SCS, GAIA, MAZ, BHV, DTI = (
    "Silicon Saxony",
    "Pôle SCS",
    "GAIA",
    "Mazovia Cluster ICT",
    "Business Hive Vilnius",
    "Cluster for Digital Transformation and Innovations",
)
# Level at the start (period 1) per cluster and topic; the last period shows what the tandems changed.
STRENGTHS = {
    SS: {"digital-transformation": 5, "cluster-excellence": 5, "cybersecurity": 2, "cluster-branding": 4},
    SCS: {"digital-transformation": 4, "cluster-excellence": 4, "cybersecurity": 3, "cluster-branding": 2},
    GAIA: {"digital-transformation": 4, "cluster-excellence": 5, "cybersecurity": 3, "cluster-branding": 3},
    MAZ: {"digital-transformation": 3, "cluster-excellence": 2, "cybersecurity": 5, "cluster-branding": 2},
    BHV: {"digital-transformation": 3, "cluster-excellence": 2, "cybersecurity": 2, "cluster-branding": 4},
    DTI: {"digital-transformation": 2, "cluster-excellence": 3, "cybersecurity": 3, "cluster-branding": 2},
}
GROWTH = {
    (DTI, "digital-transformation"): 2,
    (BHV, "cluster-excellence"): 2,
    (MAZ, "cluster-excellence"): 1,
    (SS, "cybersecurity"): 2,
    (SCS, "cluster-branding"): 2,
}

TANDEMS = [
    {
        "topic": "digital-transformation",
        "title": "Digital maturity services for cluster members",
        "goals": "DTI learns how Silicon Saxony assesses the digital maturity of its members and turns the "
        "results into matchmaking and training offers; DTI launches its own digital maturity check.",
        "start_date": date(2022, 5, 2),
        "end_date": date(2022, 12, 16),
        "status": TandemStatus.COMPLETED,
        "participants": [(SS, "mentor"), (DTI, "learner")],
        "sessions": [
            ("Kick-off and goals", "virtual", "", date(2022, 5, 10), True),
            (
                "Digital maturity check in practice",
                "on_site",
                "Silicon Saxony office, Dresden",
                date(2022, 6, 21),
                True,
            ),
            ("Tool set-up and data model", "virtual", "", date(2022, 9, 13), True),
            ("First results from Bulgarian members", "virtual", "", date(2022, 11, 29), True),
        ],
        "outcomes": [
            (
                DTI,
                "new",
                "Digital maturity check for members",
                "A 40-question online self-check with a "
                "benchmark report and a follow-up call; 35 members took it in the first quarter.",
                date(2023, 1, 23),
            ),
        ],
    },
    {
        "topic": "cluster-excellence",
        "title": "On the way to the ESCA Silver label",
        "goals": "GAIA shares its cluster management practice (service portfolio, member feedback, KPIs, "
        "governance); Business Hive Vilnius and Mazovia Cluster ICT prepare their ESCA benchmarking.",
        "start_date": date(2022, 9, 1),
        "end_date": date(2023, 6, 30),
        "status": TandemStatus.COMPLETED,
        "participants": [(GAIA, "mentor"), (BHV, "learner"), (MAZ, "learner")],
        "sessions": [
            ("Cluster management self-check", "virtual", "", date(2022, 9, 20), True),
            (
                "Study visit: GAIA's service portfolio",
                "on_site",
                "GAIA, Donostia-San Sebastián",
                date(2022, 11, 8),
                True,
            ),
            ("Member satisfaction surveys and KPIs", "virtual", "", date(2023, 2, 14), True),
            ("Mock ESCA interview", "virtual", "", date(2023, 5, 23), True),
        ],
        "outcomes": [
            (
                BHV,
                "improved",
                "Member onboarding and service catalogue",
                "A structured onboarding with a "
                "welcome call, a needs check and a published catalogue of 12 member services.",
                date(2023, 5, 8),
            ),
            (
                MAZ,
                "improved",
                "Annual member satisfaction survey",
                "A yearly survey with the ESCA indicators, results shared with the board and the members.",
                date(2023, 6, 12),
            ),
        ],
    },
    {
        "topic": "cybersecurity",
        "title": "Cybersecurity support for SME members",
        "goals": "Mazovia Cluster ICT shows how it runs cybersecurity awareness and audits for SMEs; Silicon "
        "Saxony adapts the programme for its members in microelectronics and software.",
        "start_date": date(2023, 2, 1),
        "end_date": date(2023, 11, 30),
        "status": TandemStatus.COMPLETED,
        "participants": [(MAZ, "mentor"), (SS, "learner")],
        "sessions": [
            ("Threat landscape for SMEs", "virtual", "", date(2023, 2, 16), True),
            ("Awareness workshop format", "on_site", "Mazovia Cluster ICT, Warsaw", date(2023, 4, 19), True),
            ("NIS2 obligations of members", "virtual", "", date(2023, 7, 4), True),
            ("Pilot with five Saxon SMEs: lessons", "virtual", "", date(2023, 10, 24), True),
        ],
        "outcomes": [
            (
                SS,
                "new",
                "Cybersecurity awareness programme for SMEs",
                "Four half-day workshops and a "
                "quick audit for SME members, with partners from the Saxon security community.",
                date(2023, 10, 5),
            ),
        ],
    },
    {
        "topic": "cluster-branding",
        "title": "Branding clusters abroad",
        "goals": "Business Hive Vilnius and Pôle SCS compare how they present their ecosystems abroad and "
        "build a shared toolkit for international fairs and missions.",
        "start_date": date(2023, 9, 1),
        "end_date": date(2024, 6, 28),
        "status": TandemStatus.ACTIVE,
        "participants": [(BHV, "mutual"), (SCS, "mutual")],
        "sessions": [
            ("Brand audit of both clusters", "virtual", "", date(2023, 9, 26), True),
            ("Storytelling workshop", "on_site", "Business Hive, Vilnius", date(2023, 12, 6), True),
            (
                "Joint booth concept for trade fairs",
                "on_site",
                "Pôle SCS, Sophia Antipolis",
                date(2024, 3, 19),
                True,
            ),
            ("Toolkit review", "virtual", "", date(2024, 6, 18), False),
        ],
        "outcomes": [
            (
                SCS,
                "improved",
                "International brand toolkit",
                "Templates, key messages in four languages and a photo library for missions and fairs.",
                date(2024, 5, 15),
            ),
        ],
    },
]

REVIEWS = [
    {
        "reviewed": SS,
        "reviewers": [GAIA, SCS],
        "reviewer_names": "Ane Etxeberria, GAIA\nClaire Martin, Pôle SCS",
        "strategy_title": "Silicon Saxony Strategy 2030",
        "review_date": date(2023, 6, 21),
        "findings": "A clear focus on microelectronics value chains and skills; international activities are "
        "strong but measured mainly by event counts.",
        "recommendations": "Add outcome indicators for international cooperation (projects started, exchanges "
        "completed); give SMEs a simpler entry point to the working groups.",
    },
    {
        "reviewed": DTI,
        "reviewers": [MAZ, SS],
        "reviewer_names": "Tomasz Nowak, Mazovia Cluster ICT\nKatrin Vogel, Silicon Saxony",
        "strategy_title": "DTI strategy 2023–2027",
        "review_date": date(2023, 11, 15),
        "findings": "Ambitious digital transformation goals; the member service portfolio is still small and "
        "depends on project funding.",
        "recommendations": "Turn the digital maturity check into a paid service for non-members; prepare the "
        "ESCA Bronze benchmarking in 2024; share a roadmap with the members.",
    },
]


def summary(context: DemoContext) -> None:
    context.counts["tandems"] = Tandem.objects.count()
    context.counts["strategy reviews"] = StrategyReview.objects.count()


def _periods(programme) -> list[ReportingPeriod]:
    if not programme.periods.exists():
        for name, start, end in PERIODS:
            ReportingPeriod.objects.create(programme=programme, name=name, start_date=start, end_date=end)
    return list(programme.periods.order_by("start_date"))


@register("tandems", order=40, summary=summary)
def load(context: DemoContext) -> None:
    programme = Programme.objects.filter(slug="excite").first()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if programme is None or coordinator is None:
        return
    KpiTarget.objects.get_or_create(
        programme=programme,
        code="strategies-reviewed",
        defaults={"name": "Cluster strategies reviewed", "target": 6},
    )
    periods = _periods(programme)
    partners = {
        p.cluster.name: p
        for p in PartnerCluster.objects.filter(programme=programme).select_related("cluster")
    }
    topics = {t.code: t for t in Topic.objects.all()}

    for name, partner in partners.items():
        base = {code: context.rng.randint(2, 4) for code in topics} | STRENGTHS.get(name, {})
        for index, period in enumerate((periods[0], periods[-1])):
            ratings = []
            for code, topic in topics.items():
                level = min(5, base[code] + (GROWTH.get((name, code), 0) if index else 0))
                ratings.append(
                    domain.Rating(
                        topic=topic,
                        level=level,
                        wants_to_learn=level <= 2 or (level == 3 and context.rng.random() < 0.4),
                        can_teach=level >= 4,
                    )
                )
            domain.assess_capabilities(coordinator, partner, period, ratings)

    for spec in TANDEMS:
        tandem = domain.create_tandem(
            coordinator,
            programme,
            topics[spec["topic"]],
            {key: spec[key] for key in ("title", "goals", "start_date", "end_date", "status")},
            [domain.Participation(partners[name], role) for name, role in spec["participants"]],
        )
        for title, mode, location, day, held in spec["sessions"]:
            session = domain.plan_session(
                coordinator,
                tandem,
                {"title": title, "mode": mode, "location": location, "date": day, "agenda": ""},
            )
            if held:
                attendees = "\n".join(
                    f"{partners[name].cluster.contact_person or partners[name].cluster.name} ({partners[name].cluster.name})"
                    for name, _role in spec["participants"]
                )
                domain.log_session(
                    coordinator,
                    session,
                    held=True,
                    attendees=attendees,
                    notes=f"{title}: presentations, discussion and agreed next steps.",
                )
        for name, kind, service, description, launched in spec["outcomes"]:
            domain.record_outcome(
                coordinator,
                tandem,
                partners[name],
                {"kind": kind, "service": service, "description": description, "launched_on": launched},
            )

    for spec in REVIEWS:
        domain.create_review(
            coordinator,
            partners[spec["reviewed"]],
            [partners[name] for name in spec["reviewers"]],
            {
                "strategy_title": spec["strategy_title"],
                "reviewers": spec["reviewer_names"],
                "review_date": spec["review_date"],
                "findings": spec["findings"],
                "recommendations": spec["recommendations"],
                "status": "completed",
            },
        )
