"""Demo programmes: EXCITE (2022–2024, historical) and the same partners' current call, dated
around the day the demo is built, with their partners, and one login per role.

The current call is invented: it starts five months before the first of the month the demo is
built in and runs fourteen months, so that a demo built in any year has a call under way with
exchanges behind it and missions ahead.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from clusterxchange.core.demo import DEMO_PASSWORD, DemoContext, record_role_given, register
from clusterxchange.directory.demo_content import (
    COORDINATOR_CLUSTER,
    EXCITE_ELIGIBLE_COUNTRIES,
    PARTNER_CLUSTERS,
)
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.programmes.models import (
    EligibleCountry,
    PartnerCluster,
    Programme,
    ProgrammeRole,
    ProgrammeText,
)

COORDINATOR_EMAIL = "coordinator@excite.example"
MANAGER_EMAIL = "manager.scs@excite.example"
MEMBER_EMAIL = "member.sme@excite.example"
OTHER_MEMBER_EMAIL = "member.gaia@excite.example"
CURRENT_SLUG = "excite-next"
CALL_MONTHS_BEFORE, CALL_MONTHS = 5, 14

# Online meetings of the demo get a room on the public Jitsi Meet server (events.demo: one online meeting).
DEMO_VIDEO_SERVER = "https://meet.jit.si"

User = get_user_model()

# The partners' languages (Germany, France, Spain, Poland, Lithuania, Bulgaria) and English, the default.
EXCITE_LANGUAGES = ["en", "de", "fr", "es", "pl", "lt", "bg"]
EXCITE_TEXTS = {
    "en": "Six European cluster organisations move SMEs and cluster staff across Europe on the EU's "
    "ClusterXchange scheme: short-term exchanges with a grant, company missions with B2B meetings, study "
    "visits and learning tandems.",
    "de": "Sechs europäische Clusterorganisationen bringen KMU und Clusterpersonal mit dem EU-Programm "
    "ClusterXchange quer durch Europa: bezuschusste Kurzaustausche, Unternehmensreisen mit B2B-Gesprächen, "
    "Studienbesuche und Lern-Tandems.",
    "fr": "Six organisations de clusters européennes font voyager PME et équipes de clusters à travers l'Europe "
    "avec le dispositif européen ClusterXchange : échanges de courte durée avec une subvention, missions "
    "d'entreprises avec rendez-vous B2B, visites d'étude et tandems d'apprentissage.",
    "es": "Seis organizaciones clúster europeas llevan a pymes y personal de clústeres por toda Europa con el "
    "programa ClusterXchange de la UE: intercambios de corta duración con subvención, misiones empresariales "
    "con reuniones B2B, visitas de estudio y tándems de aprendizaje.",
    "pl": "Sześć europejskich organizacji klastrowych wysyła MŚP i pracowników klastrów w podróże po Europie "
    "w ramach unijnego programu ClusterXchange: krótkie wymiany z dofinansowaniem, misje gospodarcze ze "
    "spotkaniami B2B, wizyty studyjne i tandemy edukacyjne.",
    "lt": "Šešios Europos klasterių organizacijos pagal ES programą „ClusterXchange“ siunčia MVĮ ir klasterių "
    "darbuotojus po visą Europą: trumpalaikiai mainai su dotacija, verslo misijos su B2B susitikimais, "
    "mokomieji vizitai ir mokymosi tandemai.",
    "bg": "Шест европейски клъстерни организации изпращат МСП и служители на клъстери из цяла Европа по "
    "схемата ClusterXchange на ЕС: краткосрочен обмен с безвъзмездна помощ, бизнес мисии с B2B срещи, "
    "учебни посещения и учебни тандеми.",
}
CALL_TEXTS = {
    "en": "The EXCITE partners' current call (a demo programme dated around today): short-term exchanges "
    "with a grant, company missions with B2B meetings and study visits, open for applications.",
    "de": "Die laufende Ausschreibung der EXCITE-Partner (ein Demo-Programm, datiert um den heutigen Tag): "
    "bezuschusste Kurzaustausche, Unternehmensreisen mit B2B-Gesprächen und Studienbesuche, offen für "
    "Bewerbungen.",
    "fr": "L'appel en cours des partenaires d'EXCITE (un programme de démonstration daté autour "
    "d'aujourd'hui) : échanges de courte durée avec une subvention, missions d'entreprises avec rendez-vous "
    "B2B et visites d'étude, ouvert aux candidatures.",
    "es": "La convocatoria en curso de los socios de EXCITE (un programa de demostración fechado en torno a "
    "hoy): intercambios de corta duración con subvención, misiones empresariales con reuniones B2B y visitas "
    "de estudio, abierta a solicitudes.",
    "pl": "Bieżący nabór partnerów EXCITE (program demonstracyjny datowany wokół dnia dzisiejszego): krótkie "
    "wymiany z dofinansowaniem, misje gospodarcze ze spotkaniami B2B i wizyty studyjne, otwarty na "
    "zgłoszenia.",
    "lt": "Dabartinis EXCITE partnerių kvietimas (demonstracinė programa, datuota apie šiandieną): "
    "trumpalaikiai mainai su dotacija, verslo misijos su B2B susitikimais ir mokomieji vizitai; paraiškos "
    "priimamos.",
    "bg": "Текущата покана на партньорите в EXCITE (демонстрационна програма с дати около днешния ден): "
    "краткосрочен обмен с безвъзмездна помощ, бизнес мисии с B2B срещи и учебни посещения, отворена за "
    "кандидатстване.",
}


def months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def current_call_dates(today: date) -> tuple[date, date]:
    """First and last day of the demo's current call around `today`."""
    start = months_later(today.replace(day=1), -CALL_MONTHS_BEFORE)
    return start, months_later(start, CALL_MONTHS) - timedelta(days=1)


def current_call() -> Programme | None:
    return Programme.objects.filter(slug=CURRENT_SLUG).first()


def _user(email: str, first: str, last: str, **extra) -> User:
    user = User(email=email, first_name=first, last_name=last, **extra)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _texts(programme: Programme, descriptions: dict[str, str]) -> None:
    ProgrammeText.objects.bulk_create(
        ProgrammeText(programme=programme, language=code, description=text)
        for code, text in descriptions.items()
    )


def summary(context: DemoContext) -> None:
    def org_of(email: str) -> str:
        organisation = Organisation.objects.filter(user_memberships__user__email=email).first()
        return organisation.name if organisation else ""

    context.logins.extend(
        [
            ("Programme coordinator of both programmes (Silicon Saxony)", COORDINATOR_EMAIL),
            ("Partner cluster manager (Pôle SCS)", MANAGER_EMAIL),
            (f"Participant, SME member ({org_of(MEMBER_EMAIL)})", MEMBER_EMAIL),
            (f"Participant of another cluster ({org_of(OTHER_MEMBER_EMAIL)})", OTHER_MEMBER_EMAIL),
        ]
    )


@register("programmes", order=20, summary=summary)
def load(context: DemoContext) -> None:
    programme = Programme.objects.create(
        name="EXCITE – Exchange of Clusters using Digital Transformation for Excellence",
        acronym="EXCITE",
        slug="excite",
        start_date=date(2022, 2, 1),
        end_date=date(2024, 7, 31),
        languages=EXCITE_LANGUAGES,
        video_link_template=DEMO_VIDEO_SERVER,
    )
    _texts(programme, EXCITE_TEXTS)
    clusters = {
        c.name: c
        for c in Organisation.objects.filter(
            org_type=OrganisationType.CLUSTER, name__in=[spec["name"] for spec in PARTNER_CLUSTERS]
        )
    }
    for spec in PARTNER_CLUSTERS:
        PartnerCluster.objects.create(
            programme=programme,
            cluster=clusters[spec["name"]],
            is_coordinator=spec["name"] == COORDINATOR_CLUSTER,
        )
    EligibleCountry.objects.bulk_create(
        [EligibleCountry(programme=programme, country=code) for code in EXCITE_ELIGIBLE_COUNTRIES]
    )

    # The roles are created directly; their history (members pages, programme set-up) is written as
    # accounts.domain would have: set-up first, then the coordinator appoints the partner managers, who
    # give their members' roles.
    coordinator = _user(COORDINATOR_EMAIL, "Katrin", "Vogel", is_staff=True)
    ProgrammeRole.objects.create(programme=programme, user=coordinator, role=ProgrammeRole.Role.COORDINATOR)
    coordinator.memberships.create(organisation=clusters[COORDINATOR_CLUSTER], role="manager")
    opened = programme.start_date - timedelta(days=30)
    record_role_given(None, coordinator, programme, "coordinator", opened)
    record_role_given(None, coordinator, clusters[COORDINATOR_CLUSTER], "manager", opened)

    manager_names = {
        "Pôle SCS": ("Claire", "Martin", MANAGER_EMAIL),
        "GAIA": ("Ane", "Etxeberria", "manager.gaia@excite.example"),
        "Mazovia Cluster ICT": ("Tomasz", "Nowak", "manager.mazovia@excite.example"),
        "Business Hive Vilnius": ("Rūta", "Kazlauskienė", "manager.vilnius@excite.example"),
        "Cluster for Digital Transformation and Innovations": (
            "Georgi",
            "Petrov",
            "manager.dti@excite.example",
        ),
    }
    managers = {}
    for days, (cluster_name, (first, last, email)) in enumerate(manager_names.items(), start=1):
        manager = managers[cluster_name] = _user(email, first, last)
        manager.memberships.create(organisation=clusters[cluster_name], role="manager")
        record_role_given(
            coordinator, manager, clusters[cluster_name], "manager", opened + timedelta(days=days)
        )

    def first_sme_of(cluster: Organisation) -> Organisation:
        return cluster.cluster_members.filter(org_type=OrganisationType.SME).order_by("pk").first()

    for days, (email, first, last, cluster_name) in enumerate(
        [(MEMBER_EMAIL, "Julien", "Bernard", "Pôle SCS"), (OTHER_MEMBER_EMAIL, "Mikel", "Agirre", "GAIA")],
        start=20,
    ):
        organisation = first_sme_of(clusters[cluster_name])
        member = _user(email, first, last)
        member.memberships.create(organisation=organisation, role="member")
        record_role_given(
            managers[cluster_name], member, organisation, "member", opened + timedelta(days=days)
        )

    start, end = current_call_dates(timezone.localdate())
    call = Programme.objects.create(
        name=f"EXCITE Next – ClusterXchange call {start.year}–{end.year}",
        acronym="EXCITE Next",
        slug=CURRENT_SLUG,
        start_date=start,
        end_date=end,
        languages=EXCITE_LANGUAGES,
        contact_email="exchanges@excite.example",
    )
    _texts(call, CALL_TEXTS)
    for spec in PARTNER_CLUSTERS:
        PartnerCluster.objects.create(
            programme=call, cluster=clusters[spec["name"]], is_coordinator=spec["name"] == COORDINATOR_CLUSTER
        )
    EligibleCountry.objects.bulk_create(
        [EligibleCountry(programme=call, country=code) for code in EXCITE_ELIGIBLE_COUNTRIES]
    )
    ProgrammeRole.objects.create(programme=call, user=coordinator, role=ProgrammeRole.Role.COORDINATOR)
    record_role_given(coordinator, coordinator, call, "coordinator", call.start_date - timedelta(days=30))
