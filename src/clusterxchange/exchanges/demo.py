"""Demo exchanges of EXCITE: budgets, reporting periods, KPI targets, grant rules, host profiles and
exchanges in every state across the six partners.

What is real and what is invented:
- the KPI targets and the reported figures are EXCITE's (see docs: 38 exchanges incl. 19 SMEs by
  Mar 2023, 60 incl. 27 SMEs by Sep 2023); the missions are the project's published missions;
- the four reporting periods, the budgets and the **per-country grant caps are invented demo
  values** (the real caps are not public); the caps respect the published maximum of EUR 1,100 and
  the quoted EUR 780 full rate / EUR 390 halved;
- every organisation, person and exchange is invented.

Exchanges in the past cannot be created through the domain actions (they refuse past dates), so
they are written here directly, consistent with the rules: an eligible pair (another country,
eligible types, cluster members), at least 3 working days, each organisation visiting once, the
grant frozen from the engine's own assessment (`exchanges.grants.assess`), four signatures,
payment mostly within 10 days of the validated report, a certificate code, and audit entries for
each step so that the timelines are not empty.

KPI counting (`reporting/measures.py`): an exchange counts once, for the visitor's partnership,
once carried out (validated, not cancelled, its stay begun), dated by its first day on site; a
visitor counts as an SME when its figures meet the EU definition (`Organisation.is_sme`).

EXCITE's exchanges all lie in its programme time (2022–2024). The exchanges of today — applications,
matching, agreements, stays and closings under way, and some already completed — belong to the
partners' current call (`programmes.demo.current_call`), dated relative to the day the demo is built.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import slugify

from clusterxchange.accounts.models import Membership, User
from clusterxchange.core.demo import DEMO_PASSWORD, DemoContext, record_role_given, register
from clusterxchange.core.engine_messages import stored_applied_rule
from clusterxchange.core.models import AuditEntry, Language
from clusterxchange.directory import demo_content as content
from clusterxchange.directory.models import ClusterMembership, Organisation, OrganisationType
from clusterxchange.exchanges import agreement, grants
from clusterxchange.exchanges.models import (
    AgreementSignature,
    Evidence,
    Exchange,
    ExchangeState,
    HostProfile,
    HostRequest,
    new_verification_code,
)
from clusterxchange.programmes.demo import MEMBER_EMAIL, OTHER_MEMBER_EMAIL, current_call, months_later
from clusterxchange.programmes.models import (
    CountryCap,
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ReportingPeriod,
)

S = ExchangeState
HOST_EMAIL = "host@excite.example"
VISITOR_EMAIL = "visitor@excite.example"

# Invented demo periods (EXCITE ran from Feb 2022 to mid-2024).
PERIODS = [
    ("1st period", date(2022, 2, 1), date(2022, 9, 30)),
    ("2nd period", date(2022, 10, 1), date(2023, 3, 31)),
    ("3rd period", date(2023, 4, 1), date(2023, 9, 30)),
    ("4th period", date(2023, 10, 1), date(2024, 7, 31)),
]
KPI_TARGETS = [
    ("exchange-participants", "Participants in exchanges", 96),
    ("staff-trained", "Cluster management staff trained", 12),
    ("strategies-reviewed", "Cluster strategies reviewed", 6),
]
# The current call's invented targets.
CALL_KPI_TARGETS = [("exchange-participants", "Participants in exchanges", 40)]
# Exchanges of the current call already completed (besides those under way): certified, paid, validated.
CALL_DONE_STATES = [S.CERTIFIED] * 4 + [S.PAID] * 2 + [S.REPORT_VALIDATED] * 2
# Invented demo caps per host country (EUR); every other eligible country gets DEFAULT_CAP.
COUNTRY_CAPS = {"DE": 1100, "FR": 1100, "ES": 980, "PL": 780, "LT": 780, "BG": 680}
DEFAULT_CAP = 880
PROGRAMME_BUDGET = Decimal("150000")
PARTNER_BUDGET = Decimal("25000")

# Counted exchanges per window of first days: (start, end, total, SMEs). Cumulative: 14/7 by
# Sep 2022, 38/19 by Mar 2023 and 60/27 by Sep 2023 (EXCITE's reported figures), 98/65 by Mar 2024
# (EXCITE reported 98 incl. 71 SMEs, which cannot follow from 60 incl. 27 when each organisation
# visits once: the non-SMEs would fall from 33 to 27), 104 by the end of the programme.
WINDOWS = [
    (date(2022, 4, 4), date(2022, 9, 30), 14, 7),
    (date(2022, 10, 1), date(2023, 3, 31), 24, 12),
    (date(2023, 4, 1), date(2023, 9, 30), 22, 8),
    (date(2023, 10, 1), date(2024, 3, 31), 38, 38),
    (date(2024, 4, 1), date(2024, 7, 15), 6, 6),
]
# EXCITE's published missions: (name, host country, visitor countries or None, first day, last day, exchanges)
MISSIONS = [
    ("Smart Mobility Mission to Sophia Antipolis", "FR", None, date(2022, 10, 11), date(2022, 10, 14), 5),
    (
        "B2B Matchmaking Mission to SEMICON Europa, Munich",
        "DE",
        None,
        date(2022, 11, 15),
        date(2022, 11, 17),
        4,
    ),
    ("French Automotive CXC Mission to Germany", "DE", ["FR"], date(2022, 11, 29), date(2022, 12, 1), 4),
    ("DTI mission of Bulgarian companies to Barcelona", "ES", ["BG"], date(2023, 2, 27), date(2023, 3, 3), 4),
    ("Silicon Saxony Day, Dresden", "DE", None, date(2023, 6, 20), date(2023, 6, 22), 5),
]
# Invented larger research and technology organisations (not SMEs) that visit: the ~200 demo
# members hold too few non-SME visitors for EXCITE's share of SMEs (27 of 60).
EXTRA_NON_SMES = [
    ("FR", OrganisationType.RESEARCH, "Institut Méditerranéen des Systèmes Communicants"),
    ("FR", OrganisationType.SCALING_UP, "Centre Technologique Azur Microélectronique"),
    ("FR", OrganisationType.RESEARCH, "Laboratoire Provençal d'Intelligence Artificielle"),
    ("FR", OrganisationType.SCALING_UP, "Plateforme d'Innovation Numérique Sud"),
    ("DE", OrganisationType.RESEARCH, "Sächsisches Institut für Halbleitertechnik"),
    ("DE", OrganisationType.SCALING_UP, "Technologiezentrum Mitteldeutschland"),
    ("DE", OrganisationType.RESEARCH, "Forschungszentrum Smarte Systeme Chemnitz"),
    ("ES", OrganisationType.RESEARCH, "Centro Tecnológico Vasco de Electrónica"),
    ("ES", OrganisationType.SCALING_UP, "Parque Digital Gipuzkoa"),
    ("LT", OrganisationType.RESEARCH, "Baltijos Skaitmeninių Technologijų Institutas"),
    ("LT", OrganisationType.SCALING_UP, "Vilniaus Inovacijų Centras"),
    ("PL", OrganisationType.RESEARCH, "Mazowiecki Instytut Technologii Cyfrowych"),
    ("BG", OrganisationType.RESEARCH, "Institute for Digital Manufacturing Sofia"),
    ("BG", OrganisationType.SCALING_UP, "Plovdiv Industry 4.0 Technology Centre"),
]
VISITOR_TYPES = [
    OrganisationType.CLUSTER,
    OrganisationType.SME,
    OrganisationType.SCALING_UP,
    OrganisationType.RESEARCH,
]
ALL_TYPES = [t.value for t in OrganisationType]
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
MOTIVATIONS = [
    "Meet the host's engineering team and learn how they test {topic} products for export.",
    "Find partners for a joint Horizon Europe proposal on {topic}.",
    "Understand the host market before opening a sales office; discuss {topic} pilots.",
    "Learn the host's methods in {topic} and bring them back to our cluster members.",
    "Prepare a cross-border pilot in {topic} with the host and its customers.",
]
TESTIMONIALS = [
    "Five intense days that opened a new market for us.",
    "We came for a visit and left with a pilot customer.",
    "The host's team shared everything: methods, contacts and good coffee.",
    "ClusterXchange made a cooperation possible that we had postponed for years.",
]


@dataclass
class Slot:
    start: date | None
    end: date | None
    state: str
    sme: bool | None = None
    visitor_countries: list[str] | None = None
    host_country: str | None = None
    mission: str = ""
    window: int | None = None
    visitor: Organisation | None = None
    host: Organisation | None = None
    tags: set[str] = field(default_factory=set)


class DemoBuilder:
    def __init__(self, context: DemoContext, programme: Programme):
        self.context = context
        self.rng = context.rng
        self.programme = programme
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.partners = {p.cluster_id: p for p in programme.partners.select_related("cluster")}
        self.managers = {
            m.organisation_id: m.user
            for m in Membership.objects.filter(
                role="manager", organisation_id__in=self.partners
            ).select_related("user")
        }
        self.users: dict[int, User] = {}
        self.audit: list[tuple[AuditEntry, datetime]] = []
        self.used_visitors: set[int] = set()
        self.rules = None

    # Set-up ------------------------------------------------------------------------------------

    def setup_programme(self, periods, kpi_targets) -> None:
        programme = self.programme
        programme.grant_budget_eur = PROGRAMME_BUDGET
        programme.contact_email = programme.contact_email or "exchanges@excite.example"
        programme.save()
        PartnerCluster.objects.filter(programme=programme).update(grant_budget_eur=PARTNER_BUDGET)
        ReportingPeriod.objects.bulk_create(
            [ReportingPeriod(programme=programme, name=n, start_date=s, end_date=e) for n, s, e in periods]
        )
        KpiTarget.objects.bulk_create(
            [KpiTarget(programme=programme, code=c, name=n, target=t) for c, n, t in kpi_targets]
        )
        ruleset, _created = GrantRuleSet.objects.update_or_create(
            programme=programme,
            defaults={
                "min_working_days": 3,
                "max_stay_months": 1,
                "full_rate_min_working_days": 5,
                "full_rate_min_distance_km": Decimal(200),
                "halving_factor": Decimal("0.50"),
                "daily_rate_eur": None,
                "visit_once": True,
                "visitor_types": [str(t) for t in VISITOR_TYPES],
                "host_types": ALL_TYPES,
            },
        )
        countries = [str(c.country) for c in programme.eligible_countries.all()]
        CountryCap.objects.bulk_create(
            [
                CountryCap(
                    rules=ruleset, country=code, amount_eur=Decimal(COUNTRY_CAPS.get(code, DEFAULT_CAP))
                )
                for code in countries
            ]
        )
        self.rules = grants.rules_for(programme)

    def add_extra_organisations(self) -> None:
        clusters = {str(p.cluster.country): p.cluster for p in self.partners.values()}
        for country, org_type, name in EXTRA_NON_SMES:
            city, region, lat, lon = self.rng.choice(content.CITIES[country])
            staff = self.rng.randint(260, 900)
            org = Organisation(
                name=name,
                org_type=org_type,
                country=country,
                region=region,
                city=city,
                latitude=round(lat + self.rng.uniform(-0.03, 0.03), 4),
                longitude=round(lon + self.rng.uniform(-0.03, 0.03), 4),
                website=f"https://www.{slugify(name)[:40]}.example",
                email=f"contact@{slugify(name)[:40]}.example",
                description="Applied research and technology transfer for industry; a demo organisation.",
                keywords="applied research, technology transfer, pilot lines, digital transformation",
                staff_count=staff,
                turnover_eur=Decimal(staff * self.rng.randint(90_000, 140_000)),
                balance_sheet_eur=Decimal(staff * self.rng.randint(60_000, 120_000)),
            )
            org.slug = slugify(f"{name}-{country}")[:200]
            org.save()
            ClusterMembership.objects.create(cluster=clusters[country], member=org, since=date(2015, 1, 1))

    # Users ---------------------------------------------------------------------------------------

    def user_of(self, org: Organisation) -> User:
        """A member of the organisation (created for the demo, without a usable password)."""
        if org.pk in self.users:
            return self.users[org.pk]
        membership = Membership.objects.filter(organisation=org).select_related("user").first()
        if membership is not None:
            user = membership.user
        else:
            person = org.people.order_by("pk").first()
            first, last = (person.first_name, person.last_name) if person else ("Contact", org.name[:30])
            email = f"{slugify(first)}.{slugify(last)}.{org.pk}@members.excite.example"
            user = User(email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, organisation=org, role="member")
            record_role_given(None, user, org, "member", self.programme.start_date)
        self.users[org.pk] = user
        return user

    def manager_of(self, partner: PartnerCluster) -> User:
        return self.managers[partner.cluster_id]

    # Audit -----------------------------------------------------------------------------------------

    def record(self, exchange, when: datetime, actor, action, from_state, to_state, comment="", **changes):
        entry = AuditEntry(
            actor=actor,
            action=f"exchanges.{action}",
            object_type="exchanges.exchange",
            object_id=str(exchange.pk),
            object_repr=str(exchange)[:200],
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            changes={key: str(value) for key, value in changes.items()},
        )
        self.audit.append((entry, when))

    def flush_audit(self) -> None:
        entries = AuditEntry.objects.bulk_create([entry for entry, _when in self.audit])
        for entry, (_entry, when) in zip(entries, self.audit, strict=True):
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
        self.audit = []

    # Choosing -----------------------------------------------------------------------------------

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(8, 17) if hour is None else hour
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randint(0, 59))))

    def stay(self, window_start: date, window_end: date, short: bool | None = None) -> tuple[date, date]:
        """A first day (Mon–Wed) in the window and a last day giving 3 to 10 working days."""
        for _ in range(100):
            start = window_start + timedelta(days=self.rng.randint(0, (window_end - window_start).days))
            if start.weekday() <= 2 and start <= window_end:
                break
        days = self.rng.choice(
            [3, 4] if short else [5, 5, 5, 6, 8, 10] if short is False else [3, 4, 5, 5, 6, 8]
        )
        end, counted = start, 1
        while counted < days:
            end += timedelta(days=1)
            if end.weekday() < 5:
                counted += 1
        return start, end

    def assess(self, visitor, host, start, end):
        return grants.assess(self.programme, visitor, host, start, end, rules=self.rules)

    def eligible_stay(self, visitor, host, start, end):
        """The stay, stretched by a day at a time if public holidays leave too few working days."""
        for _ in range(6):
            assessment = self.assess(visitor, host, start, end)
            if assessment.eligible:
                return start, end, assessment
            end += timedelta(days=1)
        raise RuntimeError(f"No eligible stay for {visitor} at {host} from {start}: {assessment.reasons}")

    # Building one exchange ------------------------------------------------------------------------

    def build(self, slot: Slot) -> Exchange:
        visitor, host = slot.visitor, slot.host
        partner = PartnerCluster.objects.responsible_for(self.programme, visitor)
        visitor_user = self.user_of(visitor)
        manager = self.manager_of(partner)
        topic = (visitor.keyword_list or ["digital transformation"])[0]
        motivation = self.rng.choice(MOTIVATIONS).format(topic=topic)
        if slot.mission:
            motivation = f"Part of the {slot.mission} ({slot.start:%d.%m.}–{slot.end:%d.%m.%Y}). {motivation}"
        assessment = None
        start, end = slot.start, slot.end
        if host is not None:
            start, end, assessment = self.eligible_stay(visitor, host, start, end)
        exchange = Exchange.objects.create(
            programme=self.programme,
            visitor_organisation=visitor,
            visitor_person=visitor.people.order_by("pk").first(),
            visitor_partner=partner,
            motivation=motivation,
            goals=f"Meet two potential partners in {topic}; agree on a follow-up.",
            preferences=f"A host in {slot.host_country or 'another partner country'} working on {topic}.",
            start_date=start,
            end_date=end,
            state=slot.state,
            created_by=visitor_user,
        )
        self.used_visitors.add(visitor.pk)
        updates: dict = {}
        state = slot.state
        past = end < self.today
        # Dates of the steps, backwards from the stay (or from today for those still to come).
        anchor = min(start, self.today)
        created = self.at(anchor - timedelta(days=self.rng.randint(45, 70)))
        if not past and slot.state in {S.DRAFT, S.SUBMITTED, S.VALIDATED}:
            created = self.at(self.today - timedelta(days=self.rng.randint(14, 24)))
        updates["created_at"] = created
        self.record(exchange, created, visitor_user, "create", "", S.DRAFT)
        t = created
        if state == S.DRAFT:
            return self._finish(exchange, updates, t)
        t = self._step(t, 1, 3)
        self.record(exchange, t, visitor_user, "submit", S.DRAFT, S.SUBMITTED)
        if state == S.SUBMITTED:
            return self._finish(exchange, updates, t)
        if state == S.DECLINED:
            t = self._step(t, 2, 6)
            reason = "The organisation is not yet a member of a partner cluster's programme activities."
            self.record(exchange, t, manager, "decline", S.SUBMITTED, S.DECLINED, reason)
            updates["closing_reason"] = reason
            return self._finish(exchange, updates, t)
        if state == S.WITHDRAWN and "early" in slot.tags:
            t = self._step(t, 2, 6)
            reason = "Our project plans changed; we will apply again later."
            self.record(exchange, t, visitor_user, "withdraw", S.SUBMITTED, S.WITHDRAWN, reason)
            updates["closing_reason"] = reason
            return self._finish(exchange, updates, t)
        t = self._step(t, 2, 6)
        self.record(exchange, t, manager, "validate", S.SUBMITTED, S.VALIDATED)
        if state == S.VALIDATED:
            if "pending" in slot.tags and host is not None:
                t = self._step(t, 1, 2)
                self._host_request(exchange, host, visitor_user, t, HostRequest.Status.PENDING)
                self.record(exchange, t, visitor_user, "request_host", S.VALIDATED, S.VALIDATED, host=host)
            return self._finish(exchange, updates, t)
        if state == S.WITHDRAWN:
            t = self._step(t, 2, 8)
            reason = "The travelling colleague left the company."
            self.record(exchange, t, visitor_user, "withdraw", S.VALIDATED, S.WITHDRAWN, reason)
            updates["closing_reason"] = reason
            return self._finish(exchange, updates, t)

        # Matched: the host accepted a request.
        host_partner = PartnerCluster.objects.responsible_for(self.programme, host)
        host_user = self.user_of(host)
        t = self._step(t, 1, 3)
        request = self._host_request(exchange, host, visitor_user, t, HostRequest.Status.ACCEPTED)
        self.record(exchange, t, visitor_user, "request_host", S.VALIDATED, S.VALIDATED, host=host)
        t = self._step(t, 1, 4)
        HostRequest.objects.filter(pk=request.pk).update(
            responded_at=t, responded_by=host_user, response="Welcome! We look forward to your visit."
        )
        self.record(exchange, t, host_user, "match", S.VALIDATED, S.MATCHED, host=host)
        updates |= {"host_organisation": host, "host_partner": host_partner}
        if state == S.CANCELLED:
            t = self._step(t, 2, 10)
            reason = "The visitor fell ill shortly before the stay; the exchange cannot take place."
            self.record(exchange, t, manager, "cancel", S.MATCHED, S.CANCELLED, reason)
            updates["closing_reason"] = reason
            return self._finish(exchange, updates, t)
        if state == S.MATCHED and "unapproved" in slot.tags:
            return self._finish(exchange, updates, t)

        # The grant, frozen from the engine's assessment.
        t = self._step(t, 1, 3)
        updates |= {
            "grant_amount_eur": assessment.lump_sum,
            "grant_working_days": assessment.working_days,
            "grant_distance_km": grants.distance_or_none(assessment.distance_km),
            "grant_rules_applied": [stored_applied_rule(rule) for rule in assessment.applied_rules],
            "grant_rules_snapshot": grants.rules_snapshot(self.rules),
            "grant_approved_at": t,
            "grant_approved_by": manager,
            "agreement_goals": f"Learn how {host.name} works on {topic}; meet its partners.",
            "agreement_objectives": "Two partner meetings; one joint project idea; a written follow-up plan.",
            "agreement_agenda": "Day 1: introduction and lab tour. Middle days: work with the host's team and "
            "partner visits. Last day: results and next steps.",
        }
        self.record(exchange, t, manager, "approve_grant", S.MATCHED, S.MATCHED, amount=assessment.lump_sum)
        signers = [
            (AgreementSignature.Party.VISITOR, visitor_user),
            (AgreementSignature.Party.HOST, host_user),
            (AgreementSignature.Party.VISITOR_PARTNERSHIP, manager),
            (AgreementSignature.Party.HOST_PARTNERSHIP, self.manager_of(host_partner)),
        ]
        if state == S.MATCHED:  # partly signed: the partnerships have signed, visitor and host not yet
            signers = signers[2:]
        as_signed = copy.copy(exchange)  # the agreement as signed: the updates are saved at the end
        for name, value in updates.items():
            setattr(as_signed, name, value)
        signed_sha256 = agreement.document_sha256(as_signed)
        for party, user in signers:
            t = self._step(t, 0, 3)
            name = f"{user.first_name} {user.last_name}".strip() or user.email
            signature = AgreementSignature.objects.create(
                exchange=exchange,
                party=party,
                signed_by=user,
                signatory_name=name,
                document_sha256=signed_sha256,
            )
            AgreementSignature.objects.filter(pk=signature.pk).update(signed_at=t)
            to_state = S.AGREEMENT_SIGNED if party == signers[-1][0] and state != S.MATCHED else S.MATCHED
            self.record(exchange, t, user, "sign_agreement", S.MATCHED, to_state, party=party, name=name)
        if state in {S.MATCHED, S.AGREEMENT_SIGNED}:
            return self._finish(exchange, updates, t)

        # The stay.
        t = self.at(start, 9)
        self.record(exchange, t, visitor_user, "start", S.AGREEMENT_SIGNED, S.IN_PROGRESS)
        if state == S.IN_PROGRESS:
            return self._finish(exchange, updates, t)

        # Closing.
        room = max(1, (self.today - end).days - 1)
        confirmed = self.at(end + timedelta(days=self.rng.randint(1, min(5, room))))
        submitted = self.at(end + timedelta(days=self.rng.randint(1, min(9, room))))
        evidence = Evidence(
            exchange=exchange,
            kind=Evidence.Kind.TRAVEL,
            original_name="boarding-pass.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=len(SMALL_PDF),
            uploaded_by=visitor_user,
        )
        evidence.file.save("boarding-pass.pdf", ContentFile(SMALL_PDF), save=False)
        evidence.save()
        Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=submitted - timedelta(minutes=20))
        self.record(
            exchange,
            submitted - timedelta(minutes=20),
            visitor_user,
            "add_evidence",
            S.IN_PROGRESS,
            S.IN_PROGRESS,
            file=evidence.original_name,
        )
        consent = self.rng.random() < 0.6
        updates |= {
            "report_activities": f"Worked with {host.name}'s team; visited two of its partners; presented "
            f"{visitor.name} at a members' meeting.",
            "report_results": "One pilot project agreed; two further contacts for a joint proposal.",
            "report_follow_up": "A return visit of the host is planned; a call together in the next months.",
            "testimonial": self.rng.choice(TESTIMONIALS),
            "testimonial_consent": consent,
            "report_submitted_at": submitted,
        }
        self.record(exchange, submitted, visitor_user, "submit_report", S.IN_PROGRESS, S.REPORT_SUBMITTED)
        if state == S.REPORT_SUBMITTED and "unconfirmed" in slot.tags:
            return self._finish(exchange, updates, submitted)
        updates |= {"host_confirmed_at": confirmed, "host_confirmed_by": host_user}
        self.record(exchange, confirmed, host_user, "confirm_by_host", S.IN_PROGRESS, S.IN_PROGRESS)
        t = max(submitted, confirmed)
        if state == S.REPORT_SUBMITTED:
            return self._finish(exchange, updates, t)
        t = self._step(t, 1, 5)
        updates["report_validated_at"] = t
        self.record(exchange, t, manager, "validate_report", S.REPORT_SUBMITTED, S.REPORT_VALIDATED)
        if state == S.REPORT_VALIDATED:
            return self._finish(exchange, updates, t)
        late = "late" in slot.tags
        paid_on = t.date() + timedelta(days=self.rng.randint(12, 16) if late else self.rng.randint(2, 9))
        t = self.at(paid_on)
        updates |= {"paid_amount_eur": assessment.lump_sum, "paid_on": paid_on}
        self.record(
            exchange,
            t,
            manager,
            "record_payment",
            S.REPORT_VALIDATED,
            S.PAID,
            paid_amount_eur=assessment.lump_sum,
            paid_on=paid_on,
            late=late,
        )
        if state == S.PAID:
            return self._finish(exchange, updates, t)
        t = self._step(t, 1, 4)
        code = new_verification_code()
        updates |= {"certificate_code": code, "certified_at": t}
        self.record(exchange, t, manager, "certify", S.PAID, S.CERTIFIED, certificate_code=code)
        return self._finish(exchange, updates, t)

    def _step(self, t: datetime, low: int, high: int) -> datetime:
        day = t.date() + timedelta(days=self.rng.randint(low, high))
        return max(t + timedelta(minutes=5), self.at(day))

    def _host_request(self, exchange, host, user, when, status) -> HostRequest:
        request = HostRequest.objects.create(
            exchange=exchange,
            host_organisation=host,
            message=f"Dear {host.name} team, we would like to spend a few days with you to learn and to "
            "explore a cooperation. Would the proposed dates suit you?",
            status=status,
            created_by=user,
        )
        HostRequest.objects.filter(pk=request.pk).update(created_at=when)
        return request

    def _finish(self, exchange: Exchange, updates: dict, last: datetime) -> Exchange:
        updates["updated_at"] = min(last, self.now)
        Exchange.objects.filter(pk=exchange.pk).update(**updates)
        exchange.refresh_from_db()
        return exchange


# Planning ------------------------------------------------------------------------------------------


def _visitor_pools(builder: DemoBuilder, excluded: set[int]) -> tuple[list, list]:
    candidates = list(
        Organisation.objects.filter(org_type__in=VISITOR_TYPES)
        .exclude(pk__in=excluded)
        .filter(Q(org_type=OrganisationType.CLUSTER) | Q(memberships_as_member__isnull=False))
        .distinct()
        .order_by("pk")
    )
    smes = [o for o in candidates if o.is_sme is True]
    others = [o for o in candidates if o.is_sme is not True]
    builder.rng.shuffle(smes)
    builder.rng.shuffle(others)
    return smes, others


def _take(pool: list, countries: list[str] | None) -> Organisation | None:
    for index, org in enumerate(pool):
        if countries is None or str(org.country) in countries:
            return pool.pop(index)
    return None


def _host_for(builder: DemoBuilder, hosts: list[Organisation], visitor: Organisation, country: str | None):
    choices = [
        h
        for h in hosts
        if str(h.country) != str(visitor.country) and (country is None or str(h.country) == country)
    ]
    return builder.rng.choice(choices)


def _past_slots(builder: DemoBuilder) -> list[Slot]:
    """The counted exchanges of the programme's time, window by window (missions first)."""
    partner_countries = list(COUNTRY_CAPS)
    slots: list[Slot] = []
    for index, (window_start, window_end, total, _smes) in enumerate(WINDOWS):
        window: list[Slot] = []
        for name, country, visitor_countries, start, end, count in MISSIONS:
            if window_start <= start <= window_end:
                countries = visitor_countries or [c for c in partner_countries if c != country]
                window += [
                    Slot(start, end, S.CERTIFIED, None, countries, country, name, index) for _ in range(count)
                ]
        while len(window) < total:
            start, end = builder.stay(window_start, window_end)
            window.append(Slot(start, end, S.CERTIFIED, window=index))
        slots += window
    # Closing states: the programme is over, so every exchange is paid; most are certified, the
    # latest six not yet, and some were paid late.
    by_start = sorted(slots, key=lambda slot: slot.start)
    latest, earlier = by_start[-6:], by_start[:-6]
    for slot in latest:
        slot.state = S.PAID
    for index, slot in enumerate(builder.rng.sample(earlier, 12)):
        slot.state = S.PAID
        if index < 2:
            slot.tags.add("late")
    return slots


def _assign_visitors(builder: DemoBuilder, slots: list[Slot], smes: list, others: list) -> None:
    """Visitors for the slots, so that each window has exactly its number of SMEs.

    Slots tied to countries (missions, the current exchanges of Pôle SCS members) choose first;
    non-SME visitors are scarce, so only the counted windows take them.
    """
    need = {
        index: {True: smes_needed, False: total - smes_needed}
        for index, (*_, total, smes_needed) in enumerate(WINDOWS)
    }

    def take_for(slot: Slot, countries):
        if slot.window is None:
            return _take(smes, countries) if countries else _take(smes, None) or _take(others, None)
        quota = need[slot.window]
        order = [False, True] if quota[False] > 0 else [True]
        if countries is None and quota[True] > 0 and quota[False] > 0:
            weight = quota[True] / (quota[True] + quota[False])
            order = [True, False] if builder.rng.random() < weight else [False, True]
        for sme in order:
            if quota[sme] <= 0:
                continue
            visitor = _take(smes if sme else others, countries)
            if visitor is not None:
                quota[sme] -= 1
                return visitor
        return None

    constrained = [slot for slot in slots if slot.visitor_countries]
    free = [slot for slot in slots if not slot.visitor_countries]
    builder.rng.shuffle(free)
    for slot in constrained:
        slot.visitor = take_for(slot, slot.visitor_countries) or (
            take_for(slot, None) if slot.window is None else None
        )
    for slot in free:
        slot.visitor = take_for(slot, None)
    missing = [slot for slot in slots if slot.visitor is None]
    if missing or any(count for quota in need.values() for count in quota.values()):
        raise RuntimeError(f"The demo could not find visitors for {len(missing)} exchanges: {need}")


def _closed_slots(builder: DemoBuilder) -> list[Slot]:
    """Declined, withdrawn and cancelled exchanges during the programme (they never count)."""
    specs = [
        (S.DECLINED, date(2022, 5, 2), date(2022, 7, 29), set()),
        (S.DECLINED, date(2023, 1, 9), date(2023, 3, 24), set()),
        (S.WITHDRAWN, date(2022, 9, 5), date(2022, 11, 25), {"early"}),
        (S.WITHDRAWN, date(2023, 5, 8), date(2023, 7, 28), set()),
        (S.CANCELLED, date(2023, 2, 6), date(2023, 3, 24), set()),
        (S.CANCELLED, date(2023, 11, 6), date(2024, 1, 26), set()),
    ]
    slots = []
    for state, low, high, tags in specs:
        start, end = builder.stay(low, high, short=False)
        slots.append(Slot(start, end, state, sme=True, tags=set(tags)))
    return slots


def _current_slots(builder: DemoBuilder) -> list[Slot]:
    """Exchanges of today: applications, matching, agreements, stays and closings under way."""
    today = builder.today

    def ahead(low, high, short=None):
        return builder.stay(today + timedelta(days=low), today + timedelta(days=high), short)

    def running():
        start = today - timedelta(days=1)
        while start.weekday() >= 5:
            start -= timedelta(days=1)
        end = today + timedelta(days=6)
        return start, end

    def ended(days):
        end = today - timedelta(days=days)
        while end.weekday() >= 5:
            end -= timedelta(days=1)
        return end - timedelta(days=4), end

    fr = ["FR"]
    specs = [
        (S.DRAFT, ahead(40, 60), fr, set()),
        (S.DRAFT, ahead(45, 70), None, set()),
        (S.SUBMITTED, ahead(30, 50), fr, set()),
        (S.SUBMITTED, ahead(30, 50), fr, set()),
        (S.SUBMITTED, ahead(30, 50), None, set()),
        (S.VALIDATED, ahead(25, 45, False), None, {"pending", "demo-host"}),
        (S.VALIDATED, ahead(25, 45), fr, set()),
        (S.VALIDATED, ahead(25, 45), None, set()),
        (S.MATCHED, ahead(20, 35), fr, {"unapproved"}),
        (S.MATCHED, ahead(20, 35, False), None, {"demo-host", "demo-visitor"}),
        (S.AGREEMENT_SIGNED, ahead(8, 20), None, set()),
        (S.AGREEMENT_SIGNED, ahead(8, 20), fr, set()),
        (S.IN_PROGRESS, running(), None, {"demo-host"}),
        (S.IN_PROGRESS, running(), fr, set()),
        (S.REPORT_SUBMITTED, ended(9), fr, set()),
        (S.REPORT_SUBMITTED, ended(5), None, {"unconfirmed", "demo-host"}),
        (S.DECLINED, ahead(30, 50), None, set()),
        (S.WITHDRAWN, ahead(20, 40), None, {"early"}),
        (S.CANCELLED, ahead(15, 30), None, set()),
    ]
    slots = [
        Slot(s, e, state, sme=True, visitor_countries=c, tags=set(tags)) for state, (s, e), c, tags in specs
    ]
    # Completed in the call's first months (created ~2 months before the stay, so after its start).
    call = builder.programme
    for state in CALL_DONE_STATES:
        start, end = builder.stay(call.start_date + timedelta(days=75), today - timedelta(days=30))
        slots.append(Slot(start, end, state, sme=True))
    return slots


def call_periods(call: Programme) -> list[tuple[str, date, date]]:
    """Two reporting periods of the current call, split at its seventh month."""

    middle = months_later(call.start_date, 6)
    return [
        ("1st period", call.start_date, middle - timedelta(days=1)),
        ("2nd period", middle, call.end_date),
    ]


# The demo part -----------------------------------------------------------------------------------------


def summary(context: DemoContext) -> None:

    programme = Programme.objects.filter(slug="excite").first()
    if programme is None:
        return
    context.counts["organisations"] = Organisation.objects.count()  # with the extra visitors added here
    call = current_call()
    calls = [("EXCITE 2022–2024", programme)] + ([(f"{call.acronym} (current call)", call)] if call else [])
    for label, call in calls:
        exchanges = Exchange.objects.filter(programme=call)
        context.counts[f"exchanges in {label}"] = exchanges.count()
        by_state = dict(exchanges.order_by().values_list("state").annotate(n=Count("pk")))
        for state in ExchangeState:
            if by_state.get(state):
                context.counts[f"  {label}: {str(state.label).lower()}"] = by_state[state]
    for label, email in (
        ("Host of exchanges", HOST_EMAIL),
        ("Visitor with an agreement to sign", VISITOR_EMAIL),
    ):
        membership = Membership.objects.filter(user__email=email).select_related("organisation").first()
        if membership:
            context.logins.append((f"{label} ({membership.organisation.name})", email))


def _host_profiles(builder: DemoBuilder, hosts: list, languages: dict, since: date, until: date) -> None:
    """A host profile in the builder's programme for each host (every 12th only submitted)."""
    for index, org in enumerate(hosts):
        status = HostProfile.Status.VALIDATED if index % 12 else HostProfile.Status.SUBMITTED
        profile = HostProfile.objects.create(
            programme=builder.programme,
            organisation=org,
            offer=f"{org.name} welcomes visitors for 3 days to a month: {org.description[:200]}",
            topics=org.keywords[:300],
            available_from=since,
            available_until=until,
            status=status,
            created_by=builder.user_of(org),
        )
        profile.languages.set(
            [
                languages[code]
                for code in ("en", content.LANGUAGES.get(str(org.country), "en"))
                if code in languages
            ]
        )
        created = builder.at(min(since + timedelta(days=builder.rng.randint(0, 60)), builder.today))
        HostProfile.objects.filter(pk=profile.pk).update(
            created_at=created,
            validated_at=created + timedelta(days=3) if status == HostProfile.Status.VALIDATED else None,
        )


@register("exchanges", order=30, summary=summary)
def load(context: DemoContext) -> None:

    programme = Programme.objects.get(slug="excite")
    builder = DemoBuilder(context, programme)
    builder.setup_programme(PERIODS, KPI_TARGETS)
    builder.add_extra_organisations()
    call = current_call()
    call_builder = DemoBuilder(context, call)
    call_builder.setup_programme(call_periods(call), CALL_KPI_TARGETS)

    # The demo members' own organisations stay free to apply.
    excluded = set(
        Membership.objects.filter(user__email__in=[MEMBER_EMAIL, OTHER_MEMBER_EMAIL]).values_list(
            "organisation_id", flat=True
        )
    )
    # Hosts: a validated host profile for about 45 organisations of every type and country.
    languages = {lang.code: lang for lang in Language.objects.all()}
    host_candidates = list(
        Organisation.objects.filter(memberships_as_member__isnull=False)
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("pk")
    )
    builder.rng.shuffle(host_candidates)
    hosts = []
    for country in COUNTRY_CAPS:
        in_country = [o for o in host_candidates if str(o.country) == country]
        hosts += in_country[:8]
    demo_host = next(h for h in hosts if h.org_type == OrganisationType.SME and str(h.country) == "DE")
    _host_profiles(builder, hosts, languages, programme.start_date, programme.end_date)
    _host_profiles(call_builder, hosts, languages, call.start_date, call.end_date)
    validated_hosts = [h for i, h in enumerate(hosts) if i % 12]
    if demo_host not in validated_hosts:
        validated_hosts.append(demo_host)
        HostProfile.objects.filter(organisation=demo_host).update(
            status=HostProfile.Status.VALIDATED, validated_at=builder.now
        )

    smes, others = _visitor_pools(builder, excluded | {demo_host.pk})
    slots = _past_slots(builder) + _closed_slots(builder)
    call_slots = _current_slots(call_builder)
    _assign_visitors(builder, slots + call_slots, smes, others)
    for slot in slots + call_slots:
        visitor = slot.visitor
        needs_host = slot.state not in {S.DRAFT, S.SUBMITTED, S.VALIDATED, S.DECLINED, S.WITHDRAWN}
        if "pending" in slot.tags:
            needs_host = True
        if not needs_host:
            continue
        if "demo-host" in slot.tags and str(visitor.country) != str(demo_host.country):
            slot.host = demo_host
        else:
            slot.host = _host_for(builder, validated_hosts, visitor, slot.host_country)

    demo_visitor = None
    for slot_builder, some in ((builder, slots), (call_builder, call_slots)):
        for slot in sorted(some, key=lambda s: (s.start, s.visitor.pk)):
            exchange = slot_builder.build(slot)
            if "demo-visitor" in slot.tags:
                demo_visitor = exchange.visitor_organisation
        slot_builder.flush_audit()

    # Demo logins for a host and a visitor, with the shared demo password.
    for email, first, last, org in (
        (HOST_EMAIL, "Hannah", "Schubert", demo_host),
        (VISITOR_EMAIL, "Vilma", "Jankauskaitė", demo_visitor),
    ):
        if org is None:
            continue
        user = User(email=email, first_name=first, last_name=last)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, organisation=org, role="member")
        record_role_given(None, user, org, "member", programme.start_date)

    _check_budgets(programme)
    _check_budgets(call)
    context.log(
        f"  {Exchange.objects.filter(programme=programme).count()} EXCITE exchanges, "
        f"{Exchange.objects.filter(programme=call).count()} in the current call, {len(hosts)} hosts"
    )


def _check_budgets(programme: Programme) -> None:
    committed = Exchange.objects.committed().filter(programme=programme)
    for partner in programme.partners.all():
        total = committed.filter(visitor_partner=partner).aggregate(t=Sum("grant_amount_eur"))["t"] or 0
        if total > partner.grant_budget_eur:
            raise RuntimeError(f"Demo grants of {partner} exceed its budget: {total}")
    total = committed.aggregate(t=Sum("grant_amount_eur"))["t"] or 0
    if total > programme.grant_budget_eur:
        raise RuntimeError(f"Demo grants exceed the programme's budget: {total}")
