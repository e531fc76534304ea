"""Demo news and testimonials of the EXCITE consortium.

Articles follow the project's published milestones (the Sep 2023 news of 60 exchanges incl. 27
SMEs, the missions); one draft shows the editing flow. Testimonials come from visitors of finished
exchanges and a mission participant: most consented and approved (one featured), one waiting for
moderation, one given without consent (never public). Every change goes through the domain actions.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.events.models import Registration
from clusterxchange.exchanges.models import Exchange
from clusterxchange.news import domain
from clusterxchange.news.models import NewsArticle, Testimonial
from clusterxchange.programmes.demo import current_call
from clusterxchange.programmes.models import Programme

ARTICLES = [
    (
        datetime(2022, 10, 17, 10),
        "Smart Mobility Mission to Sophia Antipolis",
        "Companies from four partner regions met the Sophia Antipolis mobility ecosystem.",
        "From 11 to 14 October 2022 the first EXCITE mission took SMEs working on connected and "
        "autonomous mobility to **Pôle SCS** in Sophia Antipolis.\n\n"
        "## Programme\n\n- site visits of test tracks and laboratories\n- pre-arranged B2B meetings\n"
        "- a networking evening with the local cluster members\n\n"
        "Read more about [ClusterXchange](https://clustercollaboration.eu/clusterxchange/about).",
    ),
    (
        datetime(2023, 3, 31, 9),
        "38 exchanges in the first year",
        "EXCITE supported 38 cluster exchanges, 19 of them by SMEs.",
        "One year after the start, the six partner clusters supported **38 exchanges**, "
        "including **19 SMEs**. Most visitors stayed five working days with their host.\n\n"
        "> The exchange opened doors we did not know existed.\n\n"
        "The next call for exchanges is open until the end of the year.",
    ),
    (
        datetime(2023, 6, 26, 14),
        "Silicon Saxony Day: 222 B2B meetings in Dresden",
        "120 participants, a study visit and a day of matchmaking at Europe's largest microelectronics cluster.",
        "On 20–22 June 2023 the EXCITE delegation joined the **Silicon Saxony Day** in Dresden. "
        "The matchmaking scheduled 222 meetings between 120 participants.\n\n"
        "A study visit for the partner clusters' staff took place at the same time.",
    ),
    (
        datetime(2023, 9, 29, 11),
        "60 cluster exchanges, 27 with SMEs",
        "With 18 months into the project, EXCITE supported 60 cluster exchanges.",
        "With 18 months into the project, the consortium counts the support of **60 cluster "
        "exchanges (incl. 27 SMEs)**, eight company missions and two study visits.\n\n"
        "| partner | country |\n|---|---|\n| Silicon Saxony | DE |\n| Pôle SCS | FR |\n| GAIA | ES |\n"
        "| Mazovia Cluster ICT | PL |\n| Business Hive Vilnius | LT |\n| DTI | BG |",
    ),
]
# The current call's news, dated from the call's start and from today when the demo is built.
CURRENT_CALL_ARTICLES = [
    (
        "call_start",
        "The new call for exchanges is open",
        "SMEs, cluster staff and scaling-up support organisations can apply for a stay abroad with a grant.",
        "The six EXCITE partner clusters open a new **ClusterXchange call**. Apply for a stay of three "
        "working days to a month with a host in another participating country; the grant covers "
        "travel and accommodation.\n\n"
        "1. complete your organisation's profile\n2. find a host with the suggestions\n"
        "3. apply: your partner cluster validates within two weeks",
    ),
    (
        "two_weeks_ago",
        "Register now for the next company missions",
        "Missions to Vilnius and to Plovdiv and Sofia with pre-arranged B2B meetings are open for registration.",
        "Two company missions of the current call are open for registration: the **Baltic Digital "
        "Innovation Mission** to Vilnius and the **Industry 4.0 Mission** to Plovdiv and Sofia. "
        "Registered delegates choose whom to meet in the marketplace; the agenda follows a week "
        "before the mission.",
    ),
]
DRAFT = (
    "Progress report: March 2024 (draft)",
    "98 exchanges incl. 71 SMEs and 5 study visits.",
    "Figures of the third reporting period, to be checked before publication.",
)

TESTIMONIALS = [
    (
        "The week at our host's lab gave us two pilot customers and a partner for our next EU proposal.",
        "Managing director",
        True,
        "approved",
    ),
    (
        "Well organised from the first call to the certificate. The grant covered the trip and the hotel.",
        "Project manager",
        True,
        "approved",
    ),
    (
        "Meeting the Basque machine-tool cluster in person changed how we plan our exports.",
        "CEO",
        True,
        "approved",
    ),
    (
        "Five days were too short: we are already planning a second visit as hosts.",
        "Engineer",
        True,
        "pending",
    ),
    ("Internal feedback: the reimbursement forms were hard to find.", "Office manager", False, "pending"),
]


def summary(context: DemoContext) -> None:
    context.counts["news articles"] = NewsArticle.objects.count()
    context.counts["public testimonials"] = Testimonial.objects.publishable().count()


@register("news", order=60, summary=summary)
def load(context: DemoContext) -> None:
    programme = Programme.objects.filter(acronym="EXCITE").first()
    coordinator = User.objects.filter(programme_roles__programme=programme).order_by("pk").first()
    if programme is None or coordinator is None:
        return
    for published_at, title, summary, body in ARTICLES:
        article = domain.create_article(
            coordinator, programme, {"title": title, "summary": summary, "body_markdown": body}
        )
        domain.publish_article(coordinator, article, at=timezone.make_aware(published_at))
    title, summary, body = DRAFT
    domain.create_draft_article(coordinator, programme, title=title, body_markdown=body, summary=summary)
    NewsArticle.objects.filter(programme=programme).update(is_demo=True)
    _current_call_news(coordinator)
    _testimonials(context, programme, coordinator)
    context.log(
        f"  {NewsArticle.objects.filter(programme=programme).count()} news articles, "
        f"{Testimonial.objects.filter(programme=programme).count()} testimonials"
    )


def _current_call_news(coordinator) -> None:
    call = current_call()
    if call is None:
        return
    today = timezone.localdate()
    days = {
        "call_start": min(call.start_date + timedelta(days=3), today),
        "two_weeks_ago": today - timedelta(days=14),
    }
    for when, title, summary, body in CURRENT_CALL_ARTICLES:
        article = domain.create_article(
            coordinator, call, {"title": title, "summary": summary, "body_markdown": body}
        )
        published_at = timezone.make_aware(datetime.combine(days[when], time(10)))
        domain.publish_article(coordinator, article, at=published_at)
    NewsArticle.objects.filter(programme=call).update(is_demo=True)


def _testimonials(context: DemoContext, programme, coordinator) -> None:

    finished = (
        Exchange.objects.filter(programme=programme, state__in=["paid", "certified"])
        .filter(visitor_organisation__user_memberships__isnull=False, visitor_person__isnull=False)
        .select_related("visitor_organisation", "visitor_person")
        .order_by("end_date", "pk")
        .distinct()
    )
    exchanges = list(finished[: len(TESTIMONIALS)])
    for index, (exchange, (text, position, consent, status)) in enumerate(
        zip(exchanges, TESTIMONIALS, strict=False)
    ):
        author = (
            User.objects.filter(memberships__organisation=exchange.visitor_organisation)
            .order_by("pk")
            .first()
        )
        testimonial = domain.submit_testimonial(
            author,
            programme,
            text=text,
            author_name=str(exchange.visitor_person),
            author_position=exchange.visitor_person.position or position,
            organisation=exchange.visitor_organisation,
            exchange=exchange,
            consent=consent,
            is_demo=True,
        )
        when = timezone.make_aware(
            datetime.combine(exchange.end_date, datetime.min.time())
        ) + timezone.timedelta(days=3)
        Testimonial.objects.filter(pk=testimonial.pk).update(
            submitted_at=when, consent_given_at=when if consent else None
        )
        testimonial.refresh_from_db()
        if status == "approved":
            domain.approve_testimonial(coordinator, testimonial, featured=index == 0)
    _mission_testimonial(programme, coordinator)


def _mission_testimonial(programme, coordinator) -> None:
    """The demo participant's word on the Silicon Saxony Day (they took part in it)."""

    registration = (
        Registration.objects.filter(event__programme=programme, user__email="member.sme@excite.example")
        .filter(~Q(status="cancelled"))
        .select_related("event", "organisation", "user")
        .order_by("event__start_date")
        .first()
    )
    if registration is None:
        return
    user = registration.user
    testimonial = domain.submit_testimonial(
        user,
        programme,
        text="Twelve meetings in two days, every one of them prepared. Two became projects.",
        author_name=user.get_full_name(),
        author_position="Business development",
        organisation=registration.organisation,
        event=registration.event,
        consent=True,
        is_demo=True,
    )
    domain.approve_testimonial(coordinator, testimonial)
