"""Who may set which field: every writable field of every API operation (request body) is declared here.

`test_field_sweep.py` reads the live API schema and fails when a field has no declaration. A field is:
- in `free`: whoever the operation admits (its entry in `access/`) may set any value the schema and
  the domain's validation allow; nothing about the field depends on the caller's role; or
- probed: `Probe(field, role, value)` names a value that `role`, although admitted to the operation,
  may not set (another's object, a limit above the organiser's, a party they are not). The sweep sends
  the operation's valid body (from `access/`) with that field replaced and asserts a refusal (4xx) that
  changed nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Probe:
    field: str
    role: str
    value: Callable[[object], object]
    note: str = ""


@dataclass
class Fields:
    free: str = ""
    probes: list[Probe] = field(default_factory=list)

    def declared(self) -> set[str]:
        return set(self.free.split()) | {probe.field for probe in self.probes}


def other_partner_person(s):
    from clusterxchange.directory.models import Person

    return Person.objects.create(first_name="Other", last_name="Partner", organisation=s.w.org_b1).pk


FIELDS = {
    # directory: joining (who may decide is the operation's permission; no field depends on the role)
    ("POST", "/api/join-requests"): Fields(free="message organisation"),
    ("POST", "/api/join-requests/{request_id}/decision"): Fields(free="decision reason"),
    ("POST", "/api/organisation-registrations"): Fields(
        free="balance_sheet_eur city cluster confirm_different country message name org_type staff_count "
        "turnover_eur vat_number website"
    ),
    ("POST", "/api/organisation-registrations/{registration_id}/decision"): Fields(free="decision reason"),
    # a cluster asks an organisation to join it: on behalf of a cluster the caller manages only
    ("POST", "/api/cluster-membership-requests"): Fields(
        free="message organisation",
        probes=[Probe("cluster", "manager", lambda s: s.w.cluster_b.slug, "another partner's cluster")],
    ),
    ("POST", "/api/cluster-membership-requests/{request_id}/decision"): Fields(free="decision reason"),
    # an interest in an opportunity: for one of the caller's own organisations only
    ("POST", "/api/opportunity-interests"): Fields(
        free="message opportunity",
        probes=[
            Probe("organisation", "manager", lambda s: s.w.org_a2.slug, "an organisation not the caller's")
        ],
    ),
    ("POST", "/api/opportunity-interests/{interest_id}/decision"): Fields(free="decision reason"),
    # invitations
    ("POST", "/api/invitations"): Fields(
        free="email first_name last_name message language role_kind",
        probes=[Probe("target", "manager", lambda s: s.w.org_b1.slug, "an organisation of another partner")],
    ),
    ("POST", "/api/invitations/files"): Fields(
        free="file role_kind language message dry_run",
        probes=[Probe("target", "manager", lambda s: s.w.org_b1.slug, "an organisation of another partner")],
    ),
    # directory
    ("POST", "/api/organisations"): Fields(
        free="balance_sheet_eur city country description ecosystems email esca_label keywords latitude "
        "longitude member_count name org_type phone region sectors show_vat_number staff_count turnover_eur vat_number website",
        probes=[
            Probe("cluster", "manager", lambda s: s.w.cluster_b.slug, "a member of another partner's cluster")
        ],
    ),
    ("PATCH", "/api/organisations/{slug}"): Fields(
        free="balance_sheet_eur city country description ecosystems email esca_label keywords latitude "
        "longitude member_count name org_type phone region sectors show_vat_number staff_count turnover_eur vat_number website",
    ),
    ("POST", "/api/organisations/{slug}/opportunities"): Fields(
        free="description ecosystems expires_on keywords status title type"
    ),
    ("PATCH", "/api/opportunities/{opportunity_id}"): Fields(
        free="description ecosystems expires_on keywords status title type"
    ),
    ("POST", "/api/organisations/{slug}/people"): Fields(
        free="email first_name languages last_name listed phone position"
    ),
    ("PATCH", "/api/people/{person_id}"): Fields(
        free="email first_name languages last_name listed phone position"
    ),
    # events
    # The import's rows may name any organisation of the directory (organisers register anyone).
    ("POST", "/api/events/{slug}/imports"): Fields(free="file kind mapping"),
    ("POST", "/api/events"): Fields(
        free="acceptance capacity city country description end_date host_event kind meeting_cap "
        "meeting_reminder_minutes note published "
        "registration_deadline request_expiry_days start_date support_per_delegate_eur time_zone title "
        "validation venue",
        probes=[Probe("host_cluster", "manager", lambda s: s.w.cluster_b.slug, "another partner's cluster")],
    ),
    ("PUT", "/api/events/{slug}/availability"): Fields(
        free="unavailable_sessions",  # only the event's own sessions are taken
        probes=[Probe("meeting_cap", "owner", lambda s: 999, "above the organiser's limit")],
    ),
    ("POST", "/api/events/{slug}/meetings/{meeting_id}/lock"): Fields(free="locked"),
    ("POST", "/api/events/{slug}/programme"): Fields(free="description ends_at kind place starts_at title"),
    ("POST", "/api/events/{slug}/publish"): Fields(free="final"),
    ("POST", "/api/events/{slug}/registrations"): Fields(
        # the domain keeps only the organisation's own opportunities; the answers and the type must be
        # the event's own (validation, whatever the caller's role)
        free="profile role opportunities answers participant_type",
        probes=[
            Probe(
                "organisation", "outsider", lambda s: s.w.org_a1.slug, "an organisation they do not belong to"
            ),
            Probe(
                "organisation", "owner", lambda s: s.w.org_b1.slug, "an organisation they do not belong to"
            ),
        ],
    ),
    ("POST", "/api/events/{slug}/registrations/{registration_id}/decision"): Fields(free="decision reason"),
    ("POST", "/api/events/{slug}/requests"): Fields(free="message must_meet recipient"),
    ("POST", "/api/events/{slug}/requests/{request_id}/answer"): Fields(free="answer"),
    ("POST", "/api/events/{slug}/sessions"): Fields(
        free="break_end break_start date end_time gap_minutes name online slot_minutes start_time"
    ),
    ("PUT", "/api/events/{slug}/tables"): Fields(free="count"),
    # Either party (or an organiser) sets their meeting online with any http(s) link.
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/video"): Fields(free="online video_link"),
    # The event day: a code is checked by its signature; registrations of another event are ignored
    # (only this event's are released).
    ("POST", "/api/events/{slug}/checkin"): Fields(free="code"),
    # the event day's staff: organisers only; the email names an account, whichever role it has
    ("POST", "/api/events/{slug}/staff"): Fields(free="email"),
    # registration questions and participant types: organisers only, nothing refers to another's record
    ("POST", "/api/events/{slug}/questions"): Fields(free="kind options position required text"),
    ("PATCH", "/api/events/{slug}/questions/{question_id}"): Fields(free="options position required text"),
    ("POST", "/api/events/{slug}/participant-types"): Fields(free="name"),
    ("PUT", "/api/events/{slug}/participant-types/pairs"): Fields(free="pairs"),
    # the event's own question ids and types, checked by validation for whoever may answer
    ("PUT", "/api/events/{slug}/registrations/{registration_id}/answers"): Fields(
        free="answers participant_type"
    ),
    # organisers acting for participants: every reference must be of this event (validation)
    ("POST", "/api/events/{slug}/on-behalf/registrations"): Fields(free="organisation person role"),
    ("POST", "/api/events/{slug}/on-behalf/requests"): Fields(free="book message recipient requester"),
    ("POST", "/api/events/{slug}/meetings/{meeting_id}/cancel"): Fields(free="reason"),
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/place"): Fields(free="slot table"),
    ("POST", "/api/events/{slug}/absent/release"): Fields(free="registrations"),
    ("PUT", "/api/events/{slug}/meetings/{meeting_id}/attendance"): Fields(free="attendance"),
    # exchanges
    ("POST", "/api/exchanges"): Fields(
        free="end_date goals motivation preferences programme start_date",
        probes=[
            Probe("visitor_organisation", "outsider", lambda s: s.w.org_a1.slug, "another's organisation"),
            Probe("visitor_person", "owner", other_partner_person, "a person of another organisation"),
        ],
    ),
    ("PATCH", "/api/exchanges/{reference}"): Fields(
        free="end_date goals motivation preferences start_date",
        probes=[Probe("visitor_person", "owner", other_partner_person, "a person of another organisation")],
    ),
    ("POST", "/api/exchanges/{reference}/actions/{action}"): Fields(free="amount comment paid_on"),
    ("PATCH", "/api/exchanges/{reference}/agreement"): Fields(free="agenda goals objectives"),
    ("POST", "/api/exchanges/{reference}/agreement/signatures"): Fields(
        free="code document_sha256 password",
        probes=[Probe("party", "owner", lambda s: "host", "the visitor signing for the host")],
    ),
    ("POST", "/api/exchanges/{reference}/evidence"): Fields(free="file kind"),
    ("POST", "/api/exchanges/{reference}/host-requests"): Fields(free="host message"),
    ("POST", "/api/exchanges/{reference}/host-requests/{request_id}/answer"): Fields(free="accept response"),
    ("PATCH", "/api/exchanges/{reference}/report"): Fields(
        free="activities follow_up results testimonial testimonial_consent"
    ),
    # messaging
    ("POST", "/api/messaging/messages"): Fields(
        free="body subject",
        probes=[
            Probe(
                "audience",
                "manager",
                lambda s: f"partner_members:{s.w.programme.partners.get(cluster=s.w.cluster_b).pk}",
                "another partner's members",
            ),
            Probe(
                "audience", "manager", lambda s: f"course_authors:{s.w.programme.pk}", "a coordinators' group"
            ),
        ],
    ),
    ("POST", "/api/messaging/bounces"): Fields(free="address detail reason"),
    # news
    ("POST", "/api/news/articles"): Fields(free="body_markdown programme summary title"),
    ("PATCH", "/api/news/articles/{slug}"): Fields(free="body_markdown image_alt summary title"),
    ("POST", "/api/news/articles/{slug}/publish"): Fields(free="published_at"),
    ("POST", "/api/news/testimonials"): Fields(
        free="author_name author_position consent event_id programme text",
        probes=[
            Probe("organisation_id", "outsider", lambda s: s.w.org_a1.pk, "another's organisation"),
            Probe("exchange_id", "outsider", lambda s: s.certified.pk, "another's exchange"),
        ],
    ),
    ("POST", "/api/news/testimonials/{testimonial_id}/moderate"): Fields(free="action reason"),
    # tandems and training
    ("POST", "/api/tandems/"): Fields(
        free="end_date goals participants programme start_date status title topic"
    ),
    ("PATCH", "/api/tandems/{tandem_id}"): Fields(free="end_date goals start_date status title"),
    ("POST", "/api/tandems/{tandem_id}/sessions"): Fields(free="agenda date location mode title video_link"),
    ("POST", "/api/tandems/{tandem_id}/outcomes"): Fields(
        free="description kind launched_on service",
        probes=[Probe("partner_id", "manager", lambda s: s.t.partner_b.pk, "a partner outside the tandem")],
    ),
    ("POST", "/api/tandems/sessions/{session_id}/log"): Fields(free="attendees held notes"),
    ("POST", "/api/tandems/assessments"): Fields(
        free="period_id ratings",
        probes=[Probe("partner_id", "manager", lambda s: s.t.partner_c.pk, "another partner's assessment")],
    ),
    ("POST", "/api/tandems/strategy-reviews"): Fields(
        free="findings recommendations review_date reviewed_id reviewer_cluster_ids reviewers status strategy_title"
    ),
    ("PATCH", "/api/tandems/strategy-reviews/{review_id}"): Fields(
        free="findings recommendations review_date reviewer_cluster_ids reviewers status strategy_title"
    ),
    ("POST", "/api/training/entries"): Fields(
        free="certificate cost_eur description duration_hours format languages level link provider recurrence "
        "sessions title topics"
    ),
    ("POST", "/api/training/entries/{entry_id}/moderation"): Fields(free="note publish"),
    ("POST", "/api/training/records"): Fields(
        free="completed_on enrolled_on entry_id notes person_id status",
        probes=[Probe("partner_id", "manager", lambda s: s.t.partner_c.pk, "another partner's staff record")],
    ),
    ("PATCH", "/api/training/records/{record_id}"): Fields(free="completed_on enrolled_on notes status"),
    # programmes: the coordinator of the programme sets any valid value (the domain validates the set-up)
    ("POST", "/api/programmes"): Fields(
        free="acronym booking_reminder_days contact_email default_language end_date follow_up_months grant_budget_eur languages name start_date video_link_template website"
    ),
    ("PATCH", "/api/programmes/{slug}"): Fields(
        free="acronym booking_reminder_days contact_email default_language end_date follow_up_months grant_budget_eur languages name start_date video_link_template website"
    ),
    ("POST", "/api/programmes/{slug}/copy"): Fields(free="acronym default_language end_date name start_date"),
    ("PUT", "/api/programmes/{slug}/texts/{language}"): Fields(free="description name"),
    ("POST", "/api/programmes/{slug}/partners"): Fields(free="cluster grant_budget_eur is_coordinator"),
    ("PATCH", "/api/programmes/{slug}/partners/{partner_id}"): Fields(free="grant_budget_eur is_coordinator"),
    ("PUT", "/api/programmes/{slug}/grant-rules"): Fields(
        free="caps daily_rate_eur full_rate_min_distance_km full_rate_min_working_days halving_factor host_types "
        "max_stay_months min_working_days visit_once visitor_types"
    ),
    ("POST", "/api/programmes/{slug}/periods"): Fields(free="end_date name start_date"),
    ("PATCH", "/api/programmes/{slug}/periods/{period_id}"): Fields(free="end_date name start_date"),
    ("PUT", "/api/programmes/{slug}/eligible-countries"): Fields(free="countries"),
    ("POST", "/api/programmes/{slug}/kpi-targets"): Fields(
        free="code measure name names position published target"
    ),
    ("PATCH", "/api/programmes/{slug}/kpi-targets/{kpi_id}"): Fields(
        free="code measure name names position published target"
    ),
    ("POST", "/api/programmes/{slug}/grant-rules/preview"): Fields(free="rules stay"),
    # accounts (members and roles)
    ("POST", "/api/memberships"): Fields(
        free="email role",
        probes=[
            Probe("organisation", "manager", lambda s: s.w.org_b1.slug, "an organisation of another partner")
        ],
    ),
    ("PATCH", "/api/memberships/{membership_id}"): Fields(free="role"),
    ("POST", "/api/memberships/leave"): Fields(free="organisation successor_email"),
    ("POST", "/api/programmes/{slug}/coordinators"): Fields(free="email"),
    ("PUT", "/api/people/{person_id}/account"): Fields(
        probes=[
            Probe(
                "email", "manager", lambda s: s.users["outsider"].email, "an account of another organisation"
            )
        ]
    ),
}
