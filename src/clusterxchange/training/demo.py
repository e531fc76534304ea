"""Demo training catalogue: 44 online courses for cluster managers from invented providers (each
entry is flagged as demo data and its link points to a reserved .example address), dated sessions
in the coming months, cluster staff and their training records."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.core.models import Language
from clusterxchange.directory.models import Person
from clusterxchange.programmes.models import KpiTarget, PartnerCluster, Programme
from clusterxchange.tandems.models import Topic
from clusterxchange.training import domain
from clusterxchange.training.models import TrainingEntry

COORDINATOR_EMAIL = "coordinator@excite.example"
PROVIDERS = [
    "Cluster Academy Europe",
    "Nordlicht Digital Campus",
    "Baltic Management School Online",
    "Instituto Iberia de Innovación",
    "CyberSafe Learning Hub",
    "BrandWorks Academy",
    "Green Cluster Lab",
    "EU Funding Navigator",
    "Danube Leadership Institute",
    "Académie des Réseaux d'Entreprises",
]
# (title, topic codes, format, level, hours, cost, certificate, languages, description)
COURSES = [
    (
        "Digital transformation for cluster managers",
        ["digital-transformation"],
        "live_online",
        "beginner",
        12,
        290,
        True,
        ["en"],
        "Map your members' digital maturity and design services that move them forward.",
    ),
    (
        "Running a digital maturity assessment",
        ["digital-transformation"],
        "webinar",
        "intermediate",
        2,
        0,
        False,
        ["en"],
        "Questionnaires, benchmarks and how to follow up with members.",
    ),
    (
        "CRM and member data for clusters",
        ["digital-transformation", "member-services"],
        "self_paced",
        "beginner",
        6,
        0,
        True,
        ["en", "de"],
        "Choosing a CRM, cleaning member data and using it for services.",
    ),
    (
        "AI tools in the cluster office",
        ["digital-transformation"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en"],
        "Practical uses of generative AI for newsletters, matchmaking and reports.",
    ),
    (
        "Data spaces and the role of clusters",
        ["digital-transformation", "innovation-support"],
        "live_online",
        "advanced",
        10,
        450,
        True,
        ["en"],
        "How clusters can initiate and operate sector data spaces.",
    ),
    (
        "Digital event formats that work",
        ["digital-transformation", "member-services"],
        "self_paced",
        "beginner",
        3,
        0,
        False,
        ["en", "fr"],
        "Hybrid B2B meetings, online pitches and virtual study visits.",
    ),
    (
        "Digital innovation hubs and clusters",
        ["digital-transformation", "innovation-support"],
        "webinar",
        "intermediate",
        2,
        0,
        True,
        ["en", "es"],
        "Working with European Digital Innovation Hubs on member services.",
    ),
    (
        "Automating the cluster back office",
        ["digital-transformation"],
        "self_paced",
        "intermediate",
        4,
        49,
        False,
        ["en"],
        "Forms, workflows and dashboards without custom software.",
    ),
    (
        "Cluster excellence: the ESCA benchmarking explained",
        ["cluster-excellence"],
        "webinar",
        "beginner",
        2,
        0,
        False,
        ["en"],
        "The ESCA indicators, the interview and how to prepare for a label.",
    ),
    (
        "Strategic management of cluster organisations",
        ["cluster-excellence"],
        "live_online",
        "advanced",
        24,
        890,
        True,
        ["en"],
        "Strategy, governance, financing and impact measurement for experienced managers.",
    ),
    (
        "Leadership skills for cluster managers",
        ["cluster-excellence", "skills-talent"],
        "live_online",
        "intermediate",
        16,
        520,
        True,
        ["en", "de"],
        "Leading a team, a board and a community of competitors.",
    ),
    (
        "Measuring cluster impact",
        ["cluster-excellence"],
        "self_paced",
        "intermediate",
        5,
        0,
        True,
        ["en"],
        "KPIs, member surveys and impact stories that funders understand.",
    ),
    (
        "Designing a cluster service portfolio",
        ["cluster-excellence", "member-services"],
        "live_online",
        "intermediate",
        8,
        240,
        True,
        ["en", "fr"],
        "From member needs to a priced catalogue of services.",
    ),
    (
        "Governance and boards of cluster organisations",
        ["cluster-excellence"],
        "webinar",
        "advanced",
        2,
        0,
        False,
        ["en"],
        "Roles of board, management and members; conflicts of interest.",
    ),
    (
        "Cluster management basics",
        ["cluster-excellence"],
        "self_paced",
        "beginner",
        8,
        0,
        True,
        ["en", "es", "pl"],
        "What a cluster organisation does, for whom, and how it is financed.",
    ),
    (
        "Facilitation skills for working groups",
        ["cluster-excellence", "skills-talent"],
        "live_online",
        "beginner",
        6,
        180,
        False,
        ["en"],
        "Running productive working groups and member meetings.",
    ),
    (
        "Cybersecurity awareness for SME networks",
        ["cybersecurity"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en"],
        "The most common attacks on SMEs and what a cluster can offer.",
    ),
    (
        "NIS2 for cluster managers",
        ["cybersecurity"],
        "live_online",
        "intermediate",
        6,
        190,
        True,
        ["en", "de"],
        "Who is covered by NIS2, what it requires, and how to help members comply.",
    ),
    (
        "Setting up a cybersecurity service for members",
        ["cybersecurity", "member-services"],
        "live_online",
        "advanced",
        12,
        480,
        True,
        ["en"],
        "Audits, awareness programmes and partner networks.",
    ),
    (
        "Security basics for the cluster office",
        ["cybersecurity"],
        "self_paced",
        "beginner",
        3,
        0,
        True,
        ["en", "fr", "lt"],
        "Passwords, phishing, backups and safe collaboration tools.",
    ),
    (
        "Incident response exercises for SMEs",
        ["cybersecurity"],
        "webinar",
        "intermediate",
        2,
        0,
        False,
        ["en"],
        "How to run a tabletop exercise with member companies.",
    ),
    (
        "Cyber Resilience Act: what changes for product makers",
        ["cybersecurity", "innovation-support"],
        "webinar",
        "intermediate",
        1.5,
        0,
        False,
        ["en", "de"],
        "Obligations for hardware and software products and support for members.",
    ),
    (
        "Cluster branding essentials",
        ["cluster-branding"],
        "self_paced",
        "beginner",
        4,
        0,
        True,
        ["en"],
        "Positioning, key messages and a visual identity for a cluster.",
    ),
    (
        "Storytelling for ecosystems",
        ["cluster-branding"],
        "live_online",
        "intermediate",
        6,
        210,
        False,
        ["en", "fr"],
        "Telling the story of a regional ecosystem to investors and partners.",
    ),
    (
        "Social media for cluster organisations",
        ["cluster-branding"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en", "es"],
        "Channels, formats and a realistic publishing plan.",
    ),
    (
        "International branding of clusters",
        ["cluster-branding", "internationalisation"],
        "live_online",
        "advanced",
        8,
        350,
        True,
        ["en"],
        "Presenting a cluster abroad: fairs, missions, joint pavilions.",
    ),
    (
        "Measuring brand awareness",
        ["cluster-branding"],
        "self_paced",
        "intermediate",
        3,
        29,
        False,
        ["en"],
        "Simple surveys and web analytics for cluster communication.",
    ),
    (
        "Writing for members: newsletters that get read",
        ["cluster-branding", "member-services"],
        "webinar",
        "beginner",
        1,
        0,
        False,
        ["en", "de"],
        "Structure, tone and frequency of member newsletters.",
    ),
    (
        "Internationalisation strategies for clusters",
        ["internationalisation"],
        "live_online",
        "intermediate",
        10,
        320,
        True,
        ["en"],
        "Choosing target markets and partner clusters; EU instruments.",
    ),
    (
        "Organising company missions abroad",
        ["internationalisation", "member-services"],
        "webinar",
        "beginner",
        2,
        0,
        False,
        ["en", "fr"],
        "From recruitment of companies to B2B agendas and follow-up.",
    ),
    (
        "B2B matchmaking events step by step",
        ["internationalisation", "member-services"],
        "self_paced",
        "beginner",
        3,
        0,
        True,
        ["en"],
        "Profiles, meeting requests, scheduling and follow-up.",
    ),
    (
        "Working with the Enterprise Europe Network",
        ["internationalisation"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en"],
        "Partnership profiles and joint services with EEN partners.",
    ),
    (
        "Member services that members pay for",
        ["member-services"],
        "live_online",
        "advanced",
        8,
        390,
        True,
        ["en"],
        "Pricing, packaging and selling cluster services.",
    ),
    (
        "Member engagement and retention",
        ["member-services"],
        "self_paced",
        "intermediate",
        4,
        0,
        False,
        ["en", "pl"],
        "Onboarding, engagement ladders and renewal.",
    ),
    (
        "Writing successful EU project proposals",
        ["funding"],
        "live_online",
        "intermediate",
        16,
        560,
        True,
        ["en"],
        "Horizon Europe, SMP and Interreg proposals for cluster organisations.",
    ),
    (
        "EU project management for clusters",
        ["funding"],
        "self_paced",
        "intermediate",
        10,
        120,
        True,
        ["en", "es"],
        "Reporting, budgets, lump sums and audits.",
    ),
    (
        "Funding opportunities for cluster organisations",
        ["funding"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en", "bg"],
        "An overview of EU, national and regional funding.",
    ),
    (
        "Lump-sum grants in practice",
        ["funding"],
        "webinar",
        "advanced",
        2,
        0,
        False,
        ["en"],
        "Work packages, deliverables and payment of lump-sum projects.",
    ),
    (
        "Green transition services for members",
        ["green-transition", "member-services"],
        "live_online",
        "intermediate",
        8,
        260,
        True,
        ["en", "de"],
        "Carbon footprints, circular economy and energy efficiency offers.",
    ),
    (
        "Sustainability reporting for SMEs (VSME)",
        ["green-transition"],
        "webinar",
        "beginner",
        2,
        0,
        False,
        ["en"],
        "The voluntary SME standard and how clusters can support members.",
    ),
    (
        "Skills partnerships and the Pact for Skills",
        ["skills-talent"],
        "webinar",
        "beginner",
        1.5,
        0,
        False,
        ["en"],
        "Large-scale skills partnerships and what clusters contribute.",
    ),
    (
        "Talent attraction for regional ecosystems",
        ["skills-talent", "cluster-branding"],
        "live_online",
        "intermediate",
        6,
        150,
        False,
        ["en", "lt"],
        "Employer branding and talent programmes run by clusters.",
    ),
    (
        "Technology transfer for cluster managers",
        ["innovation-support"],
        "self_paced",
        "intermediate",
        6,
        0,
        True,
        ["en"],
        "Working with research organisations, IP basics and licensing.",
    ),
    (
        "Open innovation challenges",
        ["innovation-support", "member-services"],
        "live_online",
        "beginner",
        4,
        95,
        False,
        ["en", "fr"],
        "Running challenges between large companies and start-ups.",
    ),
]
STAFF = {
    "DE": [
        ("Jana", "Krüger", "Project manager"),
        ("Felix", "Lehmann", "Innovation manager"),
        ("Sophie", "Wagner", "Community manager"),
    ],
    "FR": [
        ("Léa", "Moreau", "Chargée de projets européens"),
        ("Hugo", "Lefèvre", "Business developer"),
        ("Camille", "Roux", "Communication"),
    ],
    "ES": [
        ("Itziar", "Goikoetxea", "Project manager"),
        ("Jon", "Arrieta", "Internationalisation"),
        ("Maite", "Zubiaurre", "Innovation"),
    ],
    "PL": [
        ("Agnieszka", "Kowalska", "Project manager"),
        ("Piotr", "Wiśniewski", "Member services"),
        ("Kasia", "Zielińska", "Communication"),
    ],
    "LT": [
        ("Ieva", "Jankauskaitė", "Project manager"),
        ("Mantas", "Petrauskas", "Business developer"),
        ("Gintarė", "Vaitkutė", "Communication"),
    ],
    "BG": [
        ("Maria", "Ivanova", "Project manager"),
        ("Nikolay", "Dimitrov", "Digital services"),
        ("Elena", "Georgieva", "Communication"),
    ],
}


def summary(context: DemoContext) -> None:
    context.counts["training courses"] = TrainingEntry.objects.count()


@register("training", order=41, summary=summary)
def load(context: DemoContext) -> None:
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if coordinator is None:
        return
    topics = {t.code: t for t in Topic.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    entries = []
    for index, (title, codes, fmt, level, hours, cost, certificate, langs, description) in enumerate(COURSES):
        provider = PROVIDERS[index % len(PROVIDERS)]
        sessions = []
        if fmt != "self_paced":
            first = today + timedelta(days=context.rng.randint(5, 60))
            count = 1 if fmt == "webinar" else context.rng.randint(2, 4)
            start_hour = context.rng.choice([9, 10, 14, 15])
            length = timedelta(hours=float(hours) / count if fmt == "live_online" else float(hours))
            for n in range(count):
                day = first + timedelta(weeks=n)
                starts = datetime.combine(day, time(start_hour), tzinfo=tz)
                sessions.append((starts, starts + length))
        recurrence = {
            "self_paced": "Any time, at your own pace",
            "webinar": "Repeated every quarter",
            "live_online": "Two runs a year (spring and autumn)",
        }[fmt]
        fields = {
            "title": title,
            "provider": provider,
            "link": f"https://{slugify(provider)}.example/courses/{slugify(title)}",
            "description": f"{description}\n\nDemo data: the provider is invented.",
            "level": level,
            "format": fmt,
            "duration_hours": Decimal(str(hours)),
            "cost_eur": Decimal(cost),
            "certificate": certificate,
            "recurrence": recurrence,
            "is_demo": True,
        }
        entries.append(
            domain.submit_entry(
                coordinator,
                fields,
                topics=[topics[code] for code in codes],
                languages=[languages[code] for code in langs if code in languages],
                sessions=sessions,
            )
        )

    programme = Programme.objects.filter(slug="excite").first()
    if programme is None:
        return
    KpiTarget.objects.get_or_create(
        programme=programme,
        code="staff-trained",
        defaults={"name": "Cluster management staff trained", "target": 12},
    )
    for partner in PartnerCluster.objects.filter(programme=programme).select_related("cluster"):
        cluster = partner.cluster
        for position, (first, last, role) in enumerate(STAFF.get(str(cluster.country), [])):
            person = Person.objects.create(
                first_name=first,
                last_name=last,
                position=role,
                organisation=cluster,
                email=f"{slugify(first)}.{slugify(last)}@{slugify(cluster.name)}.example",
            )
            entry = context.rng.choice(entries)
            enrolled = programme.start_date + timedelta(days=context.rng.randint(60, 800))
            completed = position < 2
            domain.enrol(
                coordinator,
                partner,
                person,
                entry,
                {
                    "status": "completed" if completed else "enrolled",
                    "enrolled_on": enrolled,
                    "completed_on": enrolled + timedelta(days=context.rng.randint(7, 60))
                    if completed
                    else None,
                    "notes": "",
                },
            )
