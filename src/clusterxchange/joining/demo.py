"""The expressions-of-interest part of the demo: the two participant logins each have an interest
waiting for them or from them, and one accepted (so the contact addresses show), written by the real
domain actions. Their notification emails are marked delivered (the demo sends no email)."""

from django.db.models import Max
from django.utils import timezone

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import DemoContext, register
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.directory.models import Opportunity
from clusterxchange.joining import domain
from clusterxchange.programmes.demo import MEMBER_EMAIL, OTHER_MEMBER_EMAIL

MESSAGES = [
    "We have worked on a similar problem with two customers and would be glad to compare notes. "
    "Could we have a short call next week?",
    "Our team builds exactly this kind of solution; we would like to learn more about your needs and "
    "see whether a joint project under the next call makes sense.",
    "We are looking for a partner with your profile for an Horizon Europe proposal and would like to "
    "meet at the next B2B event.",
]


def _open_opportunities(exclude_organisation_ids):
    return (
        Opportunity.objects.visible_to_public()
        .exclude(organisation_id__in=exclude_organisation_ids)
        .select_related("organisation")
        .order_by("pk")
    )


@register("interests", order=45)
def load(context: DemoContext) -> None:
    sme_member = User.objects.filter(email=MEMBER_EMAIL).first()
    other_member = User.objects.filter(email=OTHER_MEMBER_EMAIL).first()
    coordinator = User.objects.filter(email="coordinator@excite.example").first()
    if sme_member is None or other_member is None or coordinator is None:
        return
    sme = sme_member.memberships.select_related("organisation").first().organisation
    other = other_member.memberships.select_related("organisation").first().organisation
    last_email = OutgoingEmail.objects.aggregate(last=Max("pk"))["last"] or 0
    created = []
    received = Opportunity.objects.visible_to_public().filter(organisation=sme).order_by("pk").first()
    if received is not None:  # waiting for the SME member's answer
        created.append(domain.send_interest(other_member, received, other, MESSAGES[0]))
    elsewhere = list(_open_opportunities({sme.pk, other.pk})[:2])
    if elsewhere:  # accepted by the coordinator: both sides now see the other's contact address
        accepted = domain.send_interest(sme_member, elsewhere[0], sme, MESSAGES[1])
        created.append(domain.decide_interest(coordinator, accepted, accept=True))
    if len(elsewhere) > 1:  # sent by the SME member, not yet answered
        created.append(domain.send_interest(sme_member, elsewhere[1], sme, MESSAGES[2]))
    OutgoingEmail.objects.filter(pk__gt=last_email, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), attempts=1, next_attempt_at=None
    )
    context.log(f"  {len(created)} expressions of interest in cooperation opportunities")
