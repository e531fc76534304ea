"""Demo events: EXCITE's eight company missions with their real dates and places (the project's
September 2023 news), the study visits to Sophia Antipolis and Dresden, and the Silicon Saxony Day
B2B session with ~120 participants, realistic meeting requests (from the matching engine's
suggestions), a scheduled and published agenda and feedback.

The current call (`programmes.demo.current_call`) gets events dated relative to the day the demo is
built: a mission already held in the call, two upcoming missions open for registration, the study
visit to GAIA in Bilbao that EXCITE had planned, and a B2B matchmaking day at Pôle SCS held today
and tomorrow, so that the event day (the home page's "Today" box, My agenda, the check-in and the
meeting grid) can be tried at once. Each event's programme items lie within its days, and
"Pre-arranged B2B meetings" lie exactly on the agenda's meeting sessions.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.events import questions, scheduling
from clusterxchange.events.domain import organising, registering, timetable
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    ProgrammeItem,
    Registration,
    RegistrationAnswer,
)
from clusterxchange.events.suggestions import suggestions_for
from clusterxchange.programmes.demo import current_call
from clusterxchange.programmes.models import PartnerCluster, Programme

SSD_SLUG = "silicon-saxony-day-2023"
B2B_PARTICIPANTS = 120
TODAY_B2B_PARTICIPANTS, TODAY_B2B_LOCALS, TODAY_B2B_TABLES = 40, 12, 5
DEMO_LOGINS = ["member.sme@excite.example", "member.gaia@excite.example"]
# Today's session lasts four hours around the moment the demo is built (see `session_around`).
TODAY_SESSION_MINUTES, SESSION_LEAD_MINUTES = 240, 120
MESSAGES = [
    "We saw your profile in the marketplace and would like to discuss a cooperation.",
    "Your offer matches what we are looking for. Can we meet in Dresden?",
    "We are looking for a partner for a joint project proposal; 20 minutes would be great.",
    "Interested in your technology for our next product generation.",
    "Could we explore a supplier relationship?",
    "",
]

MISSIONS = [
    dict(
        title="Smart Mobility Mission to Sophia Antipolis",
        host="Pôle SCS",
        city="Sophia Antipolis",
        country="FR",
        time_zone="Europe/Paris",
        start=date(2022, 10, 11),
        end=date(2022, 10, 14),
        venue="Pôle SCS, Sophia Antipolis",
        description="Company mission on connected and autonomous mobility: site visits, pitches and "
        "pre-arranged B2B meetings with the Sud region's mobility ecosystem.",
    ),
    dict(
        title="B2B Matchmaking Mission to SEMICON Europa",
        host="Silicon Saxony",
        city="Munich",
        country="DE",
        time_zone="Europe/Berlin",
        start=date(2022, 11, 15),
        end=date(2022, 11, 17),
        venue="Messe München",
        host_event="SEMICON Europa 2022",
        description="EXCITE delegation to Europe's semiconductor fair with B2B matchmaking on site.",
    ),
    dict(
        title="French Automotive CXC Mission to Germany",
        host="Silicon Saxony",
        city="Dresden",
        country="DE",
        time_zone="Europe/Berlin",
        start=date(2022, 11, 29),
        end=date(2022, 12, 1),
        description="French automotive suppliers meet German OEMs, tier-1s and microelectronics makers.",
        note="The source names the country only, not the cities visited: the host's city is given.",
    ),
    dict(
        title="Portuguese stakeholders to the Basque Country",
        host="GAIA",
        city="Donostia-San Sebastián",
        country="ES",
        time_zone="Europe/Madrid",
        start=date(2023, 1, 30),
        end=date(2023, 2, 2),
        description="Portuguese cluster and company representatives visit the Basque digital ecosystem.",
        note="The source names the region only, not the cities visited: the host's city is given.",
    ),
    dict(
        title="DTI mission of Bulgarian companies to Barcelona",
        host="Cluster for Digital Transformation and Innovations",
        city="Barcelona",
        country="ES",
        time_zone="Europe/Madrid",
        start=date(2023, 2, 27),
        end=date(2023, 3, 3),
        description="Bulgarian digital companies meet Catalan partners.",
        note="The project's news prints the dates as “27.02. – 03.02.2023”, an end before the start; "
        "the evident intent, 03.03.2023, is stored.",
    ),
    dict(
        title="apc|m & SSI conference, Bruges",
        host="Silicon Saxony",
        city="Bruges",
        country="BE",
        time_zone="Europe/Brussels",
        start=date(2023, 3, 28),
        end=date(2023, 3, 30),
        host_event="apc|m Europe conference",
        description="Delegation to the advanced process control and manufacturing conference.",
    ),
    dict(
        title="Silicon Saxony Day, Dresden",
        host="Silicon Saxony",
        city="Dresden",
        country="DE",
        time_zone="Europe/Berlin",
        start=date(2023, 6, 20),
        end=date(2023, 6, 22),
        venue="Internationales Congress Center Dresden",
        host_event="Silicon Saxony Day 2023",
        kind="b2b",
        slug=SSD_SLUG,
        description="Europe's largest microelectronics network meets: conference, exhibition and a B2B "
        "matchmaking session for EXCITE delegations and local companies.",
    ),
    dict(
        title="Flexible Electronics – Fascination with a Future",
        host="Silicon Saxony",
        city="Graz and Weiz",
        country="AT",
        time_zone="Europe/Vienna",
        start=date(2023, 6, 26),
        end=date(2023, 6, 30),
        description="Mission on flexible and printed electronics to Styria.",
    ),
]

STUDY_VISITS = [
    dict(
        title="Study visit to Pôle SCS, Sophia Antipolis",
        host="Pôle SCS",
        city="Sophia Antipolis",
        country="FR",
        time_zone="Europe/Paris",
        start=date(2023, 4, 18),
        end=date(2023, 4, 19),
        description="Cluster staff of the EXCITE partners learn how Pôle SCS runs its services.",
        note="Date not given in the source; illustrative.",
    ),
    dict(
        title="Study visit to Silicon Saxony, Dresden",
        host="Silicon Saxony",
        city="Dresden",
        country="DE",
        time_zone="Europe/Berlin",
        start=date(2023, 6, 19),
        end=date(2023, 6, 20),
        description="Cluster management, member services and the Silicon Saxony Day from behind the scenes.",
        note="Date not given in the source; illustrative.",
    ),
]


def _weekday_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def call_events(today: date, call_start: date) -> tuple[list[dict], list[dict]]:
    """The current call's missions and study visits, placed relative to `today` (invented)."""
    held = _weekday_after(call_start + timedelta(days=60), 1)
    vilnius = _weekday_after(today + timedelta(days=24), 1)
    sofia = _weekday_after(today + timedelta(days=66), 1)
    bilbao = _weekday_after(today + timedelta(days=45), 2)
    missions = [
        dict(
            title="Digital Industry Mission to Warsaw",
            host="Mazovia Cluster ICT",
            city="Warsaw",
            country="PL",
            time_zone="Europe/Warsaw",
            start=held,
            end=held + timedelta(days=2),
            description="Delegations of the partner clusters meet Mazovian ICT companies: site visits and "
            "pre-arranged meetings.",
            note="A demo mission of the current call.",
        ),
        dict(
            title="Baltic Digital Innovation Mission to Vilnius",
            host="Business Hive Vilnius",
            city="Vilnius",
            country="LT",
            time_zone="Europe/Vilnius",
            start=vilnius,
            end=vilnius + timedelta(days=2),
            description="Fintech, laser and software companies of Vilnius host the partner clusters' SMEs.",
            note="A demo mission of the current call; registration is open.",
        ),
        dict(
            title="Industry 4.0 Mission to Plovdiv and Sofia",
            host="Cluster for Digital Transformation and Innovations",
            city="Sofia",
            country="BG",
            time_zone="Europe/Sofia",
            start=sofia,
            end=sofia + timedelta(days=2),
            description="Manufacturers and digital innovation hubs of Bulgaria meet the partners' delegations.",
            note="A demo mission of the current call; registration is open.",
        ),
    ]
    visits = [
        dict(
            title="Study visit to GAIA, Bilbao",
            host="GAIA",
            city="Bilbao",
            country="ES",
            time_zone="Europe/Madrid",
            start=bilbao,
            end=bilbao + timedelta(days=1),
            description="Cluster staff of the partners learn how GAIA runs its member services.",
            note="Planned by EXCITE; held in the current call. The date is illustrative.",
        )
    ]
    return missions, visits


def call_b2b_event(today: date) -> dict:
    """The current call's B2B matchmaking day, held today and tomorrow at the host of the demo's
    partner cluster manager (Pôle SCS, managed by manager.scs@), whose members include member.sme@."""
    return dict(
        title="Smart Systems B2B Matchmaking Days, Sophia Antipolis",
        host="Pôle SCS",
        city="Sophia Antipolis",
        country="FR",
        time_zone="Europe/Paris",
        start=today,
        end=today + timedelta(days=1),
        venue="Pôle SCS, Sophia Antipolis",
        kind="b2b",
        description="Pre-arranged B2B meetings between the partner clusters' SMEs and the Sud region's "
        "smart systems companies.",
        note="A demo event of the current call, held on the day the demo is built.",
    )


def session_around(moment: datetime) -> tuple[time, time]:
    """Today's meeting session: four hours starting two hours before `moment` (its local time, on the
    half hour), moved to lie within the day. Built at 10:15 it runs 08:00–12:00; at 07:00, 05:00–09:00;
    at 22:00, 20:00–23:59. So the meeting grid has slots already held and slots still ahead at any hour
    but the first half hour and the last few minutes of the day; a session of fixed office hours would
    be over, or not begun, for a demo built early or late."""
    minutes = moment.hour * 60 + moment.minute
    start = min(max(minutes - minutes % 30 - SESSION_LEAD_MINUTES, 0), 24 * 60 - TODAY_SESSION_MINUTES)
    end = start + TODAY_SESSION_MINUTES
    return time(start // 60, start % 60), time(23, 59) if end >= 24 * 60 else time(end // 60, end % 60)


LEARNINGS = [
    ("How the host segments member services by company size.", "Pilot a scale-up track in our own cluster."),
    ("Their matchmaking tool asks for concrete offers, not company brochures.", "Rewrite our profile forms."),
    ("Regional funding is combined with EU calls through a single desk.", "Map our funding contacts."),
    ("Events are measured by follow-ups, not attendance.", "Add a follow-up survey to our events."),
]


def _aware(day: date, hour: int, minute: int, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), tz)


def _programme_items(event: Event, kind_default: str) -> None:
    """A welcome, the day's main item and, on later days, conference sessions and a reception; at a
    B2B event "Pre-arranged B2B meetings" are the agenda's sessions, day by day (create the sessions
    first), and a first day without sessions is the welcome and the conference."""
    tz = event.tz
    place = event.venue or event.city
    days = (event.end_date - event.start_date).days + 1
    second_day = event.start_date + timedelta(days=1)

    def item(kind, title, day, start, end, where=place):
        return ProgrammeItem(
            event=event,
            kind=kind,
            title=title,
            starts_at=_aware(day, *start, tz),
            ends_at=_aware(day, *end, tz),
            place=where,
        )

    items = []
    if kind_default != "meetings" or not event.sessions.filter(date=event.start_date).exists():
        items.append(
            item("reception", "Welcome and briefing of the delegation", event.start_date, (9, 0), (10, 0))
        )
    if kind_default == "meetings":
        if len(items) == 1:
            items.append(item("conference", "Conference sessions", event.start_date, (10, 30), (17, 0)))
        items += [
            item(
                "meetings",
                "Pre-arranged B2B meetings",
                session.date,
                (session.start_time.hour, session.start_time.minute),
                (session.end_time.hour, session.end_time.minute),
            )
            for session in event.sessions.order_by("date", "start_time")
        ]
    else:
        items.append(item(kind_default, "Site visits", event.start_date, (10, 30), (17, 0)))
        if days > 1:
            items.append(item("conference", "Conference sessions", second_day, (9, 0), (12, 30)))
    if days > 1:
        items.append(item("reception", "Networking reception", second_day, (18, 30), (21, 0), event.city))
    ProgrammeItem.objects.bulk_create(items)


def _create(programme, clusters, spec: dict, kind: str) -> Event:
    spec = dict(spec)
    slug = spec.pop("slug", None)
    event = Event(
        programme=programme,
        kind=spec.pop("kind", kind),
        title=spec["title"],
        host_cluster=clusters[spec["host"]],
        city=spec["city"],
        country=spec["country"],
        time_zone=spec["time_zone"],
        start_date=spec["start"],
        end_date=spec["end"],
        venue=spec.get("venue", ""),
        host_event=spec.get("host_event", ""),
        description=spec.get("description", ""),
        note=spec.get("note", ""),
        published=True,
        validation=Event.Validation.MANUAL,
        support_per_delegate_eur=Decimal("600") if kind != "study_visit" else Decimal("0"),
        capacity=150 if kind != "study_visit" else 12,
    )
    event.slug = slug or organising.event_slug(event.title, event.start_date)
    event.full_clean()
    event.save()
    return event


def _person_of(organisation):
    return organisation.people.order_by("pk").first()


def _delegation(context, event, partners, members_by_cluster, count: int) -> list[Registration]:
    host_id = event.host_cluster_id
    pool = [
        (partner, org)
        for partner in partners
        if partner.cluster_id != host_id
        for org in members_by_cluster.get(partner.cluster_id, [])
    ]
    chosen = context.rng.sample(pool, k=min(count, len(pool)))
    registrations = [
        Registration(
            event=event,
            organisation=org,
            person=_person_of(org),
            partner=partner,
            role=Registration.Role.DELEGATE,
            status=Registration.Status.VALIDATED,
            support_eur=event.support_per_delegate_eur or None,
            decided_at=min(
                timezone.make_aware(datetime.combine(event.start_date - timedelta(days=14), time(10))),
                timezone.now(),
            ),
            profile=org.description[:300],
        )
        for partner, org in chosen
    ]
    return Registration.objects.bulk_create(registrations)


def summary(context: DemoContext) -> None:
    context.counts["events"] = Event.objects.count()
    context.counts["meetings"] = Meeting.objects.filter(published_slot__isnull=False).count()


@register("events", order=50, summary=summary)
def load(context: DemoContext) -> None:
    programme = Programme.objects.filter(slug="excite").first()
    if programme is None:
        return
    partners = list(PartnerCluster.objects.filter(programme=programme).select_related("cluster"))
    clusters = {p.cluster.name: p.cluster for p in partners}
    members_by_cluster: dict[int, list[Organisation]] = {}
    for partner in partners:
        members_by_cluster[partner.cluster_id] = list(
            partner.cluster.cluster_members.exclude(org_type=OrganisationType.CLUSTER).order_by("pk")
        )

    for spec in MISSIONS:
        event = _create(programme, clusters, spec, "mission")
        if event.kind != "b2b":
            _programme_items(event, "site_visit")
            _delegation(context, event, partners, members_by_cluster, context.rng.randint(6, 14))
        else:
            _silicon_saxony_day(context, event, partners, members_by_cluster)
            _programme_items(event, "meetings")
    _study_visits(context, programme, clusters, partners, STUDY_VISITS)
    context.log(f"  {len(MISSIONS)} missions, {len(STUDY_VISITS)} study visits of EXCITE")
    _current_call_events(context, members_by_cluster)


def _current_call_events(context, members_by_cluster) -> None:
    """The current call's missions (one held, two open for registration), its study visit and its B2B
    matchmaking day, held today."""

    call = current_call()
    if call is None:
        return
    today = timezone.localdate()
    partners = list(PartnerCluster.objects.filter(programme=call).select_related("cluster"))
    clusters = {p.cluster.name: p.cluster for p in partners}
    missions, visits = call_events(today, call.start_date)
    for spec in missions:
        event = _create(call, clusters, spec, "mission")
        _programme_items(event, "site_visit")
        registrations = _delegation(context, event, partners, members_by_cluster, context.rng.randint(5, 9))
        if event.start_date > today:  # open: the latest applications still wait for a decision
            event.registration_deadline = _aware(event.start_date - timedelta(days=10), 23, 59, event.tz)
            event.save(update_fields=["registration_deadline"])
            waiting = [r.pk for r in registrations[len(registrations) // 2 :]]
            Registration.objects.filter(pk__in=waiting).update(
                status=Registration.Status.REGISTERED, decided_at=None, support_eur=None
            )
    _study_visits(context, call, clusters, partners, visits)
    b2b = _create(call, clusters, call_b2b_event(today), "mission")
    _b2b_today(context, b2b, partners, members_by_cluster)
    _programme_items(b2b, "meetings")
    context.log(
        f"  {len(missions)} missions, {len(visits)} study visit and a B2B matchmaking day held today "
        "in the current call"
    )


def _study_visits(context, programme, clusters, partners, specs) -> None:
    today = timezone.localdate()
    for spec in specs:
        event = _create(programme, clusters, spec, "study_visit")
        _programme_items(event, "site_visit")
        planned = event.start_date > today
        for partner in partners:
            if partner.cluster_id == event.host_cluster_id:
                continue
            manager = User.objects.filter(
                memberships__organisation=partner.cluster, memberships__role="manager"
            ).first()
            learnings, actions = context.rng.choice(LEARNINGS)
            Registration.objects.create(
                event=event,
                organisation=partner.cluster,
                user=manager,
                person=partner.cluster.contact_person,
                partner=partner,
                role=Registration.Role.DELEGATE,
                status=Registration.Status.VALIDATED,
                learnings="" if planned else learnings,
                actions="" if planned else actions,
            )


def _b2b_participants(context, event, partners, members_by_cluster, count, local_count, decided):
    """The demo logins and `count` participants in all, `local_count` of them members of the host
    cluster, the others delegates of the partners, all validated on `decided`. Returns the
    registrations and the host cluster's members left unregistered."""
    host_partner = next(p for p in partners if p.cluster_id == event.host_cluster_id)
    # The demo logins take part, so that the marketplace and the agenda can be tried.
    demo_users = list(User.objects.filter(email__in=DEMO_LOGINS))
    registrations: list[Registration] = []
    used: set[int] = set()
    for user in demo_users:
        organisation = user.memberships.first().organisation
        used.add(organisation.pk)
        registrations.append(
            Registration(
                event=event,
                user=user,
                organisation=organisation,
                person=_person_of(organisation),
                partner=registering._partner_for(event, organisation),
                role=Registration.Role.DELEGATE,
            )
        )
    locals_ = [o for o in members_by_cluster[host_partner.cluster_id] if o.pk not in used]
    visitors = [
        (partner, org)
        for partner in partners
        if partner.cluster_id != host_partner.cluster_id
        for org in members_by_cluster[partner.cluster_id]
        if org.pk not in used
    ]
    n_local = min(len(locals_), local_count)
    for org in context.rng.sample(locals_, k=n_local):
        registrations.append(
            Registration(
                event=event, organisation=org, person=_person_of(org), partner=host_partner, role="local"
            )
        )
    for partner, org in context.rng.sample(visitors, k=count - len(registrations)):
        registrations.append(
            Registration(
                event=event, organisation=org, person=_person_of(org), partner=partner, role="delegate"
            )
        )
    for registration in registrations:
        registration.status = Registration.Status.VALIDATED
        registration.decided_at = decided
        registration.profile = registration.organisation.description[:400]
        if registration.role == "delegate":
            registration.support_eur = event.support_per_delegate_eur
    return Registration.objects.bulk_create(registrations), locals_[n_local:]


def _sessions(coordinator, event, days) -> list:
    """The agenda's sessions, (name, day, start, end, break start, break end) each: 25-minute slots."""
    return [
        timetable.add_session(
            coordinator,
            event,
            {
                "name": name,
                "date": day,
                "start_time": start,
                "end_time": end,
                "slot_minutes": 25,
                "gap_minutes": 5,
                "break_start": break_start,
                "break_end": break_end,
            },
        )
        for name, day, start, end, break_start, break_end in days
    ]


def _silicon_saxony_day(context, event, partners, members_by_cluster) -> None:
    event.acceptance = Event.Acceptance.OPT_IN
    event.meeting_cap = 10
    event.save()
    coordinator = User.objects.filter(programme_roles__programme=event.programme).first()
    host_partner = next(p for p in partners if p.cluster_id == event.host_cluster_id)
    decided = timezone.make_aware(datetime(2023, 6, 5, 10, 0))
    registrations, unregistered = _b2b_participants(
        context, event, partners, members_by_cluster, B2B_PARTICIPANTS, 30, decided
    )
    # Two late registrations: one waits for the organiser, one was turned down.
    for org, status in zip(
        unregistered, (Registration.Status.REGISTERED, Registration.Status.REJECTED), strict=False
    ):
        Registration.objects.create(
            event=event,
            organisation=org,
            person=_person_of(org),
            partner=host_partner,
            role="local",
            status=status,
            reason="Registered after the deadline; the session is full." if status == "rejected" else "",
        )

    # Time grid: two days of sessions, 30 tables, three fixed to exhibitors.
    sessions = _sessions(
        coordinator,
        event,
        [
            ("Morning", date(2023, 6, 21), time(9, 0), time(12, 30), time(10, 30), time(11, 0)),
            ("Afternoon", date(2023, 6, 21), time(13, 30), time(17, 0), None, None),
            ("Morning", date(2023, 6, 22), time(9, 0), time(12, 0), None, None),
        ],
    )
    tables = timetable.set_table_count(coordinator, event, 30)
    exhibitors = [r for r in registrations if r.role == "local"][:3]
    for table, exhibitor in zip(tables, exhibitors, strict=False):
        table.owner = exhibitor
        table.label = f"Booth {table.number}: {exhibitor.organisation.name}"[:80]
        table.save()
        exhibitor.role = Registration.Role.EXHIBITOR
        exhibitor.save(update_fields=["role"])
    # Some delegates leave before the last morning.
    for registration in context.rng.sample(registrations, k=15):
        registration.unavailable_sessions.add(sessions[-1])

    _questions_and_types(context, event, coordinator, registrations)
    _requests(context, event, registrations, timezone.make_aware(datetime(2023, 6, 8, 9, 0)))
    _schedule_and_publish(event, coordinator, timezone.make_aware(datetime(2023, 6, 16, 12, 0)))
    _online_meeting(event)
    _feedback(context, event)
    _event_day(context, event, coordinator)


def _b2b_today(context, event, partners, members_by_cluster) -> None:
    """The current call's B2B day, held today: the demo logins' meetings published, today's session
    half held (see `session_around`), those who came so far checked in, the meetings already over
    marked; tomorrow's morning is still ahead. Smaller than the Silicon Saxony Day, to build fast."""
    event.acceptance = Event.Acceptance.OPT_IN
    event.meeting_cap = 6
    event.save()
    coordinator = User.objects.filter(programme_roles__programme=event.programme).first()
    now = timezone.now()
    registrations, _unregistered = _b2b_participants(
        context,
        event,
        partners,
        members_by_cluster,
        TODAY_B2B_PARTICIPANTS,
        TODAY_B2B_LOCALS,
        now - timedelta(days=12),
    )
    today = timezone.localtime(now, event.tz).date()
    start, end = session_around(timezone.localtime(now, event.tz))
    tomorrow = today + timedelta(days=1)
    _sessions(
        coordinator,
        event,
        [("Meetings", today, start, end, None, None)]
        + (
            [("Morning", tomorrow, time(9, 0), time(12, 0), None, None)] if tomorrow <= event.end_date else []
        ),
    )
    # Few tables, so that the meetings fill today's session to its end (the engine places them early).
    timetable.set_table_count(coordinator, event, TODAY_B2B_TABLES)
    _requests(context, event, registrations, now - timedelta(days=10))
    _schedule_and_publish(event, coordinator, now - timedelta(days=3))
    _event_day(context, event, coordinator)


TOPICS = ["Semiconductors", "Software", "Smart systems", "Energy"]


def _questions_and_types(context, event, coordinator, registrations) -> None:
    """The registration form's questions (with every participant's answers) and the participant
    types: technology providers meet users, users meet one another, providers do not meet providers.
    The demo logins are users, so that they may meet anyone."""
    topics = questions.add_question(
        coordinator,
        event,
        {
            "text": "Which topics interest you?",
            "kind": "multiple",
            "options": "\n".join(TOPICS),
            "required": True,
        },
    )
    dinner = questions.add_question(
        coordinator,
        event,
        {"text": "Will you join the networking dinner?", "kind": "yes_no", "required": True},
    )
    provider = questions.add_participant_type(coordinator, event, "Technology provider")
    user = questions.add_participant_type(coordinator, event, "Technology user")
    questions.set_allowed_pairs(coordinator, event, [(provider, user), (user, user)])
    answers = []
    for registration in registrations:
        registration.participant_type = (
            user if registration.user_id is not None or context.rng.random() < 0.5 else provider
        )
        chosen = context.rng.sample(TOPICS, k=context.rng.randint(1, 3))
        answers.append(
            RegistrationAnswer(
                registration=registration,
                question=topics,
                value="\n".join(t for t in TOPICS if t in chosen),
            )
        )
        answers.append(
            RegistrationAnswer(
                registration=registration,
                question=dinner,
                value="yes" if context.rng.random() < 0.7 else "no",
            )
        )
    Registration.objects.bulk_update(registrations, ["participant_type"])
    RegistrationAnswer.objects.bulk_create(answers)


def _requests(context, event, registrations, created: datetime) -> None:
    """Requests follow the matching engine's suggestions (the reasons a participant would see), sent
    on `created`."""

    by_pk = {r.pk: r for r in registrations}
    allowed = questions.allowed_pairs(event.pk)
    pairs: set[frozenset[int]] = set()
    requests = []
    for registration in registrations:
        registration.event = event
        wanted = [candidate.pk for candidate, _reasons in suggestions_for(registration, limit=6)]
        if len(wanted) < 3:
            wanted += [r.pk for r in context.rng.sample(registrations, k=4)]
        demo_login = registration.user_id is not None  # the demo logins get a full agenda to look at
        for other_pk in wanted[: 6 if demo_login else context.rng.randint(2, 4)]:
            pair = frozenset((registration.pk, other_pk))
            other = by_pk.get(other_pk)
            if (
                other is None
                or len(pair) < 2
                or pair in pairs
                or other.organisation_id == registration.organisation_id
                or not questions.may_meet(
                    registration.participant_type_id, other.participant_type_id, allowed
                )
            ):
                continue
            pairs.add(pair)
            roll = context.rng.random() * (0.7 if demo_login else 1)
            status = (
                "accepted"
                if roll < 0.78
                else "declined"
                if roll < 0.88
                else "expired"
                if roll < 0.95
                else "pending"
            )
            requests.append(
                MeetingRequest(
                    event=event,
                    requester=registration,
                    recipient=other,
                    message=context.rng.choice(MESSAGES),
                    must_meet=context.rng.random() < 0.1,
                    status=status,
                    suggested=True,
                    expires_at=created + timedelta(days=event.request_expiry_days),
                    answered_at=created + timedelta(days=1) if status in ("accepted", "declined") else None,
                )
            )
    requests = MeetingRequest.objects.bulk_create(requests)
    counts: dict[int, int] = {}
    meetings = []
    for meeting_request in requests:
        if meeting_request.status != "accepted":
            continue
        a, b = meeting_request.requester_id, meeting_request.recipient_id
        if counts.get(a, 0) >= event.meeting_cap or counts.get(b, 0) >= event.meeting_cap:
            MeetingRequest.objects.filter(pk=meeting_request.pk).update(status="declined")
            continue
        counts[a], counts[b] = counts.get(a, 0) + 1, counts.get(b, 0) + 1
        meetings.append(
            Meeting(
                event=event,
                request=meeting_request,
                first_id=a,
                second_id=b,
                must_meet=meeting_request.must_meet,
            )
        )
    Meeting.objects.bulk_create(meetings)


def _schedule_and_publish(event, coordinator, published_at: datetime) -> None:

    built = scheduling.build_instance(event)
    try:
        schedule = scheduling.solve(built)
    except (ImportError, AttributeError):  # the engine's solve API is not there yet
        return
    scheduling.apply_schedule(event, built, schedule.placements)
    meetings = list(event.meetings.filter(slot__isnull=False))
    for meeting in meetings:
        meeting.published_slot_id, meeting.published_table_id = meeting.slot_id, meeting.table_id
    Meeting.objects.bulk_update(meetings, ["published_slot", "published_table"], batch_size=1000)
    event.agenda = Event.Agenda.FINAL
    event.agenda_published_at = published_at
    event.save(update_fields=["agenda", "agenda_published_at"])


def _online_meeting(event) -> None:
    """One published meeting of a demo login takes place online, in its own room on the programme's
    video server (the programme's template; no link given), to show the link on the agenda."""
    meeting = (
        event.meetings.filter(published_slot__isnull=False, first__user__isnull=False)
        .order_by("published_slot__starts_at", "pk")
        .first()
    )
    if meeting is not None:
        meeting.online = True
        meeting.save(update_fields=["online"])


def _feedback(context, event) -> None:
    rows = []
    for meeting in event.meetings.filter(published_slot__isnull=False):
        for registration_id in (meeting.first_id, meeting.second_id):
            if context.rng.random() < 0.6:
                took_place = context.rng.random() < 0.92
                rows.append(
                    MeetingFeedback(
                        meeting=meeting,
                        registration_id=registration_id,
                        took_place=took_place,
                        usefulness=context.rng.choice([3, 4, 4, 5, 5, 2]) if took_place else None,
                        follow_up=took_place and context.rng.random() < 0.45,
                    )
                )
    MeetingFeedback.objects.bulk_create(rows)


def _event_day(context, event, coordinator) -> None:
    """The crowd checked in at the door from 45 minutes before the first session (a few never came;
    at an event under way, those not arrived yet have no check-in), and the organiser marked the
    first session's meetings that are over: held where both came, no-show where one did not."""
    now = timezone.now()
    first_session = event.sessions.order_by("date", "start_time").first()
    opening = datetime.combine(first_session.date, first_session.start_time, tzinfo=event.tz) - timedelta(
        minutes=45
    )
    validated = list(event.registrations.filter(status=Registration.Status.VALIDATED).order_by("pk"))
    absent = {r.pk for r in validated if r.user_id is None and context.rng.random() < 0.08}
    for registration in validated:
        if registration.pk in absent:
            continue
        arrival = opening + timedelta(minutes=context.rng.randint(0, 75))
        if arrival > now:
            continue
        registration.checked_in_at = arrival
        registration.checked_in_by = coordinator
    Registration.objects.bulk_update(validated, ["checked_in_at", "checked_in_by"], batch_size=500)
    marked = list(
        event.meetings.filter(
            status=Meeting.Status.ACTIVE,
            published_slot__session=first_session,
            published_slot__ends_at__lte=now,
        ).select_related("published_slot")
    )
    for meeting in marked:
        no_show = meeting.first_id in absent or meeting.second_id in absent
        meeting.attendance = Meeting.Attendance.NO_SHOW if no_show else Meeting.Attendance.HELD
        meeting.attendance_by = coordinator
        meeting.attendance_at = meeting.published_slot.ends_at
    Meeting.objects.bulk_update(marked, ["attendance", "attendance_by", "attendance_at"], batch_size=500)
