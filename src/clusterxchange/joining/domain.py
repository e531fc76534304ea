"""Joining the programme: a person finds their organisation and asks to join it, or registers a new one
under a partner cluster; the organisation's admins (or the cluster's managers and the programme's
coordinators) approve or refuse with a reason. Who decides what: `rules.py`.

A registered organisation is not in the directory until it is approved: the registration keeps its
figures, and the approval creates the organisation (through `directory.domain.create_organisation`), its
membership of the cluster, and makes the person its admin (`accounts.domain.assign_role`).

Duplicates: the same VAT number, or the same name in the same country, as an organisation of the
directory or a pending registration is refused; the same website domain or a very similar name in the
same country is a warning the person confirms ("it is a different organisation") or follows (ask to join
that one instead).
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.domain import assign_role
from clusterxchange.accounts.language import preferred_language, programme_of_email
from clusterxchange.accounts.models import Membership
from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.roles import roles_of
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EditableText, sentence
from clusterxchange.directory import domain as directory
from clusterxchange.directory.models import (
    ClusterMembership,
    ClusterMembershipRequest,
    JoinRequest,
    Opportunity,
    OpportunityInterest,
    OpportunityStatus,
    Organisation,
    OrganisationRegistration,
    OrganisationType,
    RequestStatus,
    website_domain,
)
from clusterxchange.directory.sme import sme_declaration_problems
from clusterxchange.joining.notifications import (
    CLUSTER_APPROVED,
    CLUSTER_ASKED,
    CLUSTER_REFUSED,
    INTEREST_ACCEPTED,
    INTEREST_DECLINED,
    INTEREST_SENT,
    JOIN_APPROVED,
    JOIN_ASKED,
    JOIN_REFUSED,
    REGISTRATION_APPROVED,
    REGISTRATION_ASKED,
    REGISTRATION_REFUSED,
)
from clusterxchange.joining.rules import organisation_has_admin, stand_in_deciders, stands_in_for_own_request
from clusterxchange.programmes.models import PartnerCluster

REGISTRATION_FIELDS = [
    "name",
    "org_type",
    "country",
    "city",
    "website",
    "vat_number",
    "staff_count",
    "turnover_eur",
    "balance_sheet_eur",
]
SEARCH_LIMIT = 20
SIMILAR_NAME_RATIO = 0.85
SIMILAR_CANDIDATES = 200
# Legal forms left out when names are compared ("Alpha Sensors SAS" is "Alpha Sensors").
LEGAL_FORMS = frozenset(
    [
        "ab",
        "ag",
        "as",
        "asbl",
        "bv",
        "co",
        "company",
        "corp",
        "cv",
        "eg",
        "ev",
        "gmbh",
        "inc",
        "kg",
        "kft",
        "llc",
        "ltd",
        "limited",
        "nv",
        "oy",
        "plc",
        "sa",
        "sarl",
        "sas",
        "sasu",
        "sl",
        "sp",
        "spa",
        "sprl",
        "srl",
        "sro",
        "ug",
        "zoo",
    ]
)


# Search -----------------------------------------------------------------------------------------------


def normalise_vat(text: str) -> str:
    """A VAT number as compared: upper case, without spaces, dots, dashes or slashes ("fr 12.345" → "FR12345")."""
    return re.sub(r"[\s.\-/]", "", text or "").upper()


def _looks_like_vat(text: str) -> bool:
    vat = normalise_vat(text)
    return bool(re.fullmatch(r"[A-Z]{2}[0-9A-Z]{6,14}", vat)) and any(char.isdigit() for char in vat)


def _looks_like_domain(text: str) -> bool:
    return " " not in text.strip() and "." in text and bool(website_domain(text))


def find_organisations(query: str, limit: int = SEARCH_LIMIT):
    """Organisations matching `query`: by VAT number, website domain (both exact, indexed) or words of
    the name (the directory's search document, trigram-indexed on PostgreSQL); at most `limit`."""
    query = (query or "").strip()[:200]
    if not query:
        return Organisation.objects.none()
    condition = Q()
    if _looks_like_vat(query):
        vat = normalise_vat(query)
        condition |= Q(vat_number__in={vat, query.strip()})
    if _looks_like_domain(query):
        condition |= Q(website_domain=website_domain(query))
    terms = [term for term in query.lower().split() if term][:10]
    words = Q()
    for term in terms:
        words &= Q(search_document__contains=term)
    condition |= words
    return Organisation.objects.filter(condition).order_by("name")[:limit]


# Duplicates ---------------------------------------------------------------------------------------------


def comparable_name(name: str) -> str:
    """A name as compared: no accents, punctuation or legal form, lower case, single spaces."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in LEGAL_FORMS]
    return " ".join(words)


@dataclass(frozen=True)
class Similar:
    organisation: Organisation
    why: str  # "website" or "name"


def similar_organisations(name: str, country: str, website: str) -> list[Similar]:
    """Organisations that may be the same: the same website domain, or a very similar name in the same
    country (the duplicate warning). Indexed lookups only: the domain, then the words of the name."""
    found: dict[int, Similar] = {}
    domain_name = website_domain(website)
    if domain_name:
        for organisation in Organisation.objects.filter(website_domain=domain_name)[:10]:
            found[organisation.pk] = Similar(organisation, "website")
    wanted = comparable_name(name)
    words = [
        word
        for word in re.split(r"\W+", (name or "").lower())
        if len(word) >= 3 and comparable_name(word) not in ("", *LEGAL_FORMS)
    ]
    if wanted and words and country:
        # Names with every word first (a few rows), then with the longest word (catches a typo elsewhere).
        for query_words in (words, [max(words, key=len)]):
            candidates = Organisation.objects.filter(country=country)
            for word in query_words:
                candidates = candidates.filter(search_document__contains=word)
            for organisation in candidates.only("pk", "name", "slug", "country", "city")[:SIMILAR_CANDIDATES]:
                other = comparable_name(organisation.name)
                if organisation.pk not in found and (
                    other == wanted or SequenceMatcher(None, wanted, other).ratio() >= SIMILAR_NAME_RATIO
                ):
                    found[organisation.pk] = Similar(organisation, "name")
            if any(item.why == "name" for item in found.values()):
                break
    return list(found.values())


def _duplicate_refusals(fields: dict, registration_pk: int | None = None) -> list[str]:
    """Why `fields` would duplicate an organisation or a pending registration (not `registration_pk`)."""
    reasons = []
    pending = OrganisationRegistration.objects.filter(status=RequestStatus.PENDING).exclude(
        pk=registration_pk
    )
    vat = normalise_vat(fields.get("vat_number", ""))
    if vat:
        existing = Organisation.objects.filter(vat_number__in={vat, fields["vat_number"]}).first()
        if existing is not None:
            reasons.append(
                _("%(name)s is already registered with the VAT number %(vat)s: ask to join it instead.")
                % {"name": existing.name, "vat": vat}
            )
        elif pending.filter(vat_number=vat).exists():
            reasons.append(
                _("An organisation with the VAT number %(vat)s is already waiting for approval.")
                % {"vat": vat}
            )
    name, country = fields.get("name", ""), fields.get("country", "")
    if name and country and not reasons:
        existing = Organisation.objects.filter(name__iexact=name.strip(), country=country).first()
        if existing is not None:
            reasons.append(
                _("%(name)s is already in the directory in this country: ask to join it instead.")
                % {"name": existing.name}
            )
        elif pending.filter(name__iexact=name.strip(), country=country).exists():
            reasons.append(
                _("An organisation named %(name)s in this country is already waiting for approval.")
                % {"name": name.strip()}
            )
    return reasons


# Who decides ---------------------------------------------------------------------------------------------


def partner_clusters():
    """The clusters a new organisation may register under: the partners of the programmes."""
    return Organisation.objects.filter(
        pk__in=PartnerCluster.objects.values("cluster_id"), org_type=OrganisationType.CLUSTER
    ).order_by("name")


def deciders_of_join_request(join_request: JoinRequest | ClusterMembershipRequest) -> str:
    """Who decides a request to join an organisation (a person's, or a cluster's), in a sentence for the
    requester."""
    organisation = join_request.organisation
    if organisation_has_admin(organisation):
        return _("The admins of %(organisation)s decide.") % {"organisation": organisation.name}
    clusters = list(
        Organisation.objects.filter(memberships_as_cluster__member=organisation).values_list(
            "name", flat=True
        )
    )
    if clusters:
        return _(
            "%(organisation)s has no admin yet: the managers of %(clusters)s or the programme's coordinators decide."
        ) % {"organisation": organisation.name, "clusters": ", ".join(clusters)}
    return _("%(organisation)s has no admin yet: the programme's coordinators decide.") % {
        "organisation": organisation.name
    }


def deciders_of_registration(registration: OrganisationRegistration) -> str:
    return _("The managers of %(cluster)s or the programme's coordinators decide.") % {
        "cluster": registration.cluster.name
    }


def _decider_users(organisation: Organisation | None = None, cluster: Organisation | None = None):
    """Who is told of a new request: to join `organisation`, its admins (without any, its clusters'
    managers); a registration under `cluster`, the cluster's managers."""
    managers = Membership.objects.filter(role=Membership.Role.MANAGER).select_related("user")
    if organisation is not None:
        admins = [m.user for m in managers.filter(organisation=organisation)]
        if admins:
            return admins
        clusters = ClusterMembership.objects.filter(member=organisation).values("cluster_id")
        return [m.user for m in managers.filter(organisation_id__in=clusters)]
    return [m.user for m in managers.filter(organisation=cluster)]


# Emails -----------------------------------------------------------------------------------------------------


def _email(users, text: EditableText, values: dict, page: str = "join:welcome") -> int:
    """Email each user in their language (else the current programme's default) the notification
    `text` filled with `values` (the current programme's wording, else the shipped one: joining
    belongs to no programme), with a link to the page named `page`."""
    headline, body = text.parts(None, **values)
    link = site_link(reverse(page))

    def render() -> tuple[str, str]:
        subject = f"[{settings.SITE_NAME}] {headline}"
        text = "\n".join(str(part) for part in (headline, "", body, "", link) if str(part))
        return subject, text

    programme = programme_of_email(None)
    return send_in_languages(
        [(user.email, preferred_language(user, programme)) for user in users if user.email], render
    )


# Join requests -------------------------------------------------------------------------------------------


@transaction.atomic
def ask_to_join(actor, organisation: Organisation, message: str = "") -> JoinRequest:
    require(actor, "directory.add_joinrequest")
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise Refused(
            sentence(_("You are already a member of %(organisation)s."), organisation=organisation.name)
        )
    if JoinRequest.objects.filter(
        user=actor, organisation=organisation, status=RequestStatus.PENDING
    ).exists():
        raise Refused(
            _("You have already asked to join %(organisation)s; the request is pending.")
            % {"organisation": organisation.name}
        )
    join_request = JoinRequest(user=actor, organisation=organisation, message=(message or "").strip())
    join_request.full_clean()
    join_request.save()
    audit.record(actor, "directory.joinrequest.create", join_request, to_state=RequestStatus.PENDING)
    _email(
        _decider_users(organisation=organisation),
        JOIN_ASKED,
        {"person": str(actor), "organisation": organisation.name, "url": _decide_url()},
    )
    return join_request


def _decide_url() -> str:
    return site_link(reverse("join:requests"))


def _locked_pending(model, pk):
    obj = model.objects.select_for_update().get(pk=pk)
    if obj.status != RequestStatus.PENDING:
        raise Refused(
            _("This request is no longer pending (%(status)s).")
            % {"status": obj.get_status_display().lower()}
        )
    return obj


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is refused: the person reads it.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most 2,000 characters.")})
    return reason


def _close(obj, actor, status: str, reason: str, action: str) -> None:
    """A pending request ends (approved, refused or withdrawn) and the audit says so under `action`."""
    obj.status = status
    obj.decided_by = actor if status != RequestStatus.WITHDRAWN else None
    obj.decided_at = timezone.now()
    obj.reason = reason
    obj.save()
    audit.record(actor, action, obj, from_state=RequestStatus.PENDING, to_state=status, comment=reason)


def _decision(approve: bool) -> str:
    return RequestStatus.APPROVED if approve else RequestStatus.REFUSED


def _withdraw(actor, request, permission: str, action: str):
    """The person who asked withdraws a pending request (to join, or to register an organisation)."""
    require(actor, permission, request)
    request = _locked_pending(type(request), request.pk)
    _close(request, actor, RequestStatus.WITHDRAWN, "", action)
    return request


@transaction.atomic
def decide_join_request(actor, join_request: JoinRequest, approve: bool, reason: str = "") -> JoinRequest:
    """Approve (the person becomes a member of the organisation) or refuse (with a reason)."""
    require(actor, "directory.decide_joinrequest", join_request)
    join_request = _locked_pending(JoinRequest, join_request.pk)
    reason = (reason or "").strip() if approve else _require_reason(reason)
    organisation = join_request.organisation
    if approve:
        assign_role(
            join_request.user,
            "organisation-member",
            organisation,
            by=actor,
            reason=reason or _("join request approved"),
        )
    _close(join_request, actor, _decision(approve), reason, "directory.joinrequest.decide")
    _email(
        [join_request.user],
        JOIN_APPROVED if approve else JOIN_REFUSED,
        {"organisation": organisation.name, "reason": reason},
    )
    return join_request


@transaction.atomic
def withdraw_join_request(actor, join_request: JoinRequest) -> JoinRequest:
    return _withdraw(actor, join_request, "directory.withdraw_joinrequest", "directory.joinrequest.withdraw")


# Organisation registrations ------------------------------------------------------------------------------


@transaction.atomic
def register_organisation(
    actor,
    fields: dict,
    cluster: Organisation | None,
    *,
    message: str = "",
    confirm_different: bool = False,
) -> OrganisationRegistration:
    """Register a new organisation under a partner cluster, to be approved. Bad or impossible figures are
    bad input (field by field); a duplicate is refused; a similar organisation must be confirmed different."""
    require(actor, "directory.add_organisationregistration")
    registration = OrganisationRegistration(user=actor, message=(message or "").strip())
    for name, value in fields.items():
        if name not in REGISTRATION_FIELDS:
            raise ValueError(f"Unknown field: {name}")
        setattr(
            registration, name, "" if value is None and name in {"city", "website", "vat_number"} else value
        )
    registration.name = (registration.name or "").strip()
    registration.vat_number = normalise_vat(registration.vat_number)
    errors: dict[str, list[str]] = {}
    if cluster is None or not partner_clusters().filter(pk=cluster.pk).exists():
        errors["cluster"] = [_("Choose the partner cluster of the programme your organisation belongs to.")]
    else:
        registration.cluster = cluster
    try:
        registration.full_clean(exclude=["cluster", "user"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    for field, problem in sme_declaration_problems(
        registration.org_type,
        registration.staff_count,
        registration.turnover_eur,
        registration.balance_sheet_eur,
    ).items():
        if field not in errors:
            errors[field] = [problem]
    if errors:
        raise ValidationError(errors)
    refusals = _duplicate_refusals({name: getattr(registration, name) for name in REGISTRATION_FIELDS})
    if refusals:
        raise Refused(*refusals)
    similar = similar_organisations(registration.name, str(registration.country), registration.website)
    if similar and not confirm_different:
        raise Refused(
            *[
                _(
                    "%(name)s (%(city)s) looks like the same organisation: ask to join it, or confirm that yours is different."
                )
                % {
                    "name": item.organisation.name,
                    "city": item.organisation.city or item.organisation.country.name,
                }
                for item in similar
            ]
        )
    registration.confirmed_different = bool(similar)
    registration.save()
    audit.record(actor, "directory.registration.create", registration, to_state=RequestStatus.PENDING)
    _email(
        _decider_users(cluster=registration.cluster),
        REGISTRATION_ASKED,
        {
            "person": str(actor),
            "organisation": registration.name,
            "cluster": registration.cluster.name,
            "url": _decide_url(),
        },
    )
    return registration


@transaction.atomic
def decide_registration(
    actor, registration: OrganisationRegistration, approve: bool, reason: str = ""
) -> OrganisationRegistration:
    """Approve (the organisation is created in the directory, joins the cluster, and the person becomes
    its admin) or refuse (with a reason)."""
    require(actor, "directory.decide_organisationregistration", registration)
    registration = _locked_pending(OrganisationRegistration, registration.pk)
    reason = (reason or "").strip() if approve else _require_reason(reason)
    if approve:
        refusals = _duplicate_refusals(
            {name: getattr(registration, name) for name in ("name", "country")}
            | {"vat_number": registration.vat_number},
            registration.pk,
        )
        if refusals:
            raise Refused(*refusals)
        organisation = directory.create_organisation(
            actor,
            {name: getattr(registration, name) for name in REGISTRATION_FIELDS},
            cluster=registration.cluster,
            check_permission=False,
        )
        assign_role(
            registration.user,
            "organisation-admin",
            organisation,
            by=actor,
            reason=reason or _("organisation registration approved"),
        )
        registration.organisation = organisation
    _close(registration, actor, _decision(approve), reason, "directory.registration.decide")
    _email(
        [registration.user],
        REGISTRATION_APPROVED if approve else REGISTRATION_REFUSED,
        {"organisation": registration.name, "cluster": registration.cluster.name, "reason": reason},
    )
    return registration


@transaction.atomic
def withdraw_registration(actor, registration: OrganisationRegistration) -> OrganisationRegistration:
    return _withdraw(
        actor, registration, "directory.withdraw_organisationregistration", "directory.registration.withdraw"
    )


# A cluster asks an organisation of the directory to join it ----------------------------------------------


@transaction.atomic
def ask_to_join_cluster(
    actor, cluster: Organisation, organisation: Organisation, message: str = ""
) -> ClusterMembershipRequest:
    """The cluster's manager (or a coordinator) asks `organisation` to become a member of `cluster`; its
    admins (without an admin, the deciders of a request to join it) are emailed and decide."""
    require(actor, "directory.add_clustermembershiprequest", cluster)
    if organisation.pk == cluster.pk:
        raise Refused(_("A cluster cannot be a member of itself."))
    if ClusterMembership.objects.filter(cluster=cluster, member=organisation).exists():
        raise Refused(
            sentence(
                _("%(organisation)s is already a member of %(cluster)s."),
                organisation=organisation.name,
                cluster=cluster.name,
            )
        )
    if ClusterMembershipRequest.objects.filter(
        cluster=cluster, organisation=organisation, status=RequestStatus.PENDING
    ).exists():
        raise Refused(
            _("%(organisation)s has already been asked to join %(cluster)s; the request is pending.")
            % {"organisation": organisation.name, "cluster": cluster.name}
        )
    if (
        not organisation_has_admin(organisation)
        and not stand_in_deciders(organisation).exclude(pk=actor.pk).exists()
    ):
        raise Refused(_nobody_else_decides(organisation))
    cluster_request = ClusterMembershipRequest(
        user=actor, cluster=cluster, organisation=organisation, message=(message or "").strip()
    )
    cluster_request.full_clean()
    cluster_request.save()
    audit.record(actor, "directory.clusterrequest.create", cluster_request, to_state=RequestStatus.PENDING)
    _email(
        _decider_users(organisation=organisation),
        CLUSTER_ASKED,
        {"cluster": cluster.name, "organisation": organisation.name, "url": _decide_url()},
    )
    return cluster_request


def _nobody_else_decides(organisation: Organisation) -> str:
    """Why a request nobody but its asker could decide is not sent: who asks does not decide."""
    if ClusterMembership.objects.filter(member=organisation).exists():
        return _(
            "%(organisation)s has no admin, and nobody but you manages its clusters or coordinates their programme: the one who asks does not decide. Invite an admin of %(organisation)s, or appoint another coordinator, then ask again."
        ) % {"organisation": organisation.name}
    return _(
        "%(organisation)s has no admin and is in no cluster, so a coordinator other than the one who asks decides, and you are the only coordinator. Invite an admin of %(organisation)s, or appoint another coordinator, then ask again."
    ) % {"organisation": organisation.name}


@transaction.atomic
def decide_cluster_request(
    actor, cluster_request: ClusterMembershipRequest, approve: bool, reason: str = ""
) -> ClusterMembershipRequest:
    """Approve (the organisation becomes a member of the cluster) or refuse (with a reason); the person
    who asked is emailed either way. Who asked decides only as the organisation's admin."""
    if stands_in_for_own_request(actor, cluster_request):
        raise Refused(
            _(
                "You asked %(organisation)s to join %(cluster)s, so you do not decide for it: another coordinator or manager of its clusters decides."
            )
            % {"organisation": cluster_request.organisation.name, "cluster": cluster_request.cluster.name}
        )
    require(actor, "directory.decide_clustermembershiprequest", cluster_request)
    cluster_request = _locked_pending(ClusterMembershipRequest, cluster_request.pk)
    reason = (reason or "").strip() if approve else _require_reason(reason)
    cluster, organisation = cluster_request.cluster, cluster_request.organisation
    if approve and not ClusterMembership.objects.filter(cluster=cluster, member=organisation).exists():
        directory.add_cluster_member(actor, cluster, organisation, check_permission=False)
    _close(cluster_request, actor, _decision(approve), reason, "directory.clusterrequest.decide")
    _email(
        [cluster_request.user],
        CLUSTER_APPROVED if approve else CLUSTER_REFUSED,
        {"cluster": cluster.name, "organisation": organisation.name, "reason": reason},
    )
    return cluster_request


@transaction.atomic
def withdraw_cluster_request(actor, cluster_request: ClusterMembershipRequest) -> ClusterMembershipRequest:
    return _withdraw(
        actor,
        cluster_request,
        "directory.withdraw_clustermembershiprequest",
        "directory.clusterrequest.withdraw",
    )


# Expressions of interest in a cooperation opportunity --------------------------------------------------------


def _open_for_interest(opportunity: Opportunity) -> None:
    """Refused unless the opportunity is published and not expired, saying which."""
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise Refused(
            _("“%(opportunity)s” is not open for interest: it is %(status)s.")
            % {"opportunity": opportunity.title, "status": opportunity.get_status_display().lower()}
        )
    if opportunity.is_expired:
        raise Refused(
            _("“%(opportunity)s” expired on %(date)s: it takes no more interest.")
            % {"opportunity": opportunity.title, "date": opportunity.expires_on.isoformat()}
        )


@transaction.atomic
def send_interest(
    actor, opportunity: Opportunity, organisation: Organisation, message: str
) -> OpportunityInterest:
    """A member of `organisation` tells the opportunity's organisation it is interested; its admins
    (without any, its members) are emailed the message."""
    require(actor, "directory.add_opportunityinterest", opportunity)
    if (
        organisation.pk == opportunity.organisation_id
        or organisation.pk not in roles_of(actor).organisation_ids
    ):
        raise ValidationError(
            {"organisation": _("Choose one of your organisations other than the opportunity's.")}
        )
    opportunity = (
        Opportunity.objects.select_for_update().select_related("organisation").get(pk=opportunity.pk)
    )
    _open_for_interest(opportunity)
    if OpportunityInterest.objects.filter(
        opportunity=opportunity, organisation=organisation, status=RequestStatus.PENDING
    ).exists():
        raise Refused(
            _(
                "%(organisation)s has already expressed its interest in this opportunity; it is waiting for an answer."
            )
            % {"organisation": organisation.name}
        )
    interest = OpportunityInterest(
        opportunity=opportunity, organisation=organisation, user=actor, message=(message or "").strip()
    )
    interest.full_clean()
    interest.save()
    audit.record(actor, "directory.opportunityinterest.create", interest, to_state=RequestStatus.PENDING)
    owner = opportunity.organisation
    members = Membership.objects.filter(organisation=owner).select_related("user")
    admins = [m.user for m in members if m.role == Membership.Role.MANAGER] or [m.user for m in members]
    _email(
        admins,
        INTEREST_SENT,
        {"organisation": organisation.name, "opportunity": opportunity.title, "message": interest.message},
        page="join:interests",
    )
    return interest


@transaction.atomic
def decide_interest(
    actor, interest: OpportunityInterest, accept: bool, reason: str = ""
) -> OpportunityInterest:
    """Accept (each organisation then sees the other's contact email) or decline (the reason, if any, is
    sent); the person who sent it is emailed either way."""
    require(actor, "directory.decide_opportunityinterest", interest)
    interest = _locked_pending(OpportunityInterest, interest.pk)
    reason = "" if accept else (reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most 2,000 characters.")})
    _close(interest, actor, _decision(accept), reason, "directory.opportunityinterest.decide")
    owner = interest.opportunity.organisation
    values = {"owner": owner.name, "opportunity": interest.opportunity.title}
    if accept:
        values["email"] = owner.email or gettext_lazy("(no contact address in its profile)")
    else:
        values["reason"] = reason or gettext_lazy("none given")
    _email([interest.user], INTEREST_ACCEPTED if accept else INTEREST_DECLINED, values, page="join:interests")
    return interest


@transaction.atomic
def withdraw_interest(actor, interest: OpportunityInterest) -> OpportunityInterest:
    return _withdraw(
        actor, interest, "directory.withdraw_opportunityinterest", "directory.opportunityinterest.withdraw"
    )
