"""Who may see the reporting (pages, exports, API ask these).

- A programme's coordinators see everything of their programme: the dashboard, every partner's
  figures and records, the full data export, the progress report and its publication.
- A partner cluster manager (manager membership of a partner cluster organisation) sees the
  programme's aggregates (KPI values, tables, charts, map) and the records behind the numbers of
  its own partner only.
- An event's organisers see the follow-up answers about its meetings (`reporting.view_event_follow_up`).
- Participants, outsiders and the public see nothing here; the public site shows only the KPIs
  the coordinator published (`measures.published_kpi_figures`).
"""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_ONLY, refuse_with
from clusterxchange.core.roles import roles_of
from clusterxchange.events.rules import is_organiser
from clusterxchange.programmes.models import Programme
from clusterxchange.programmes.rules import coordinates, manages_a_partner, sees_partner


def visible_programmes(user):

    return Programme.objects.administered_by(roles_of(user))


def programme_for(user, slug: str):
    """The programme of `slug` if the user may see its reporting; otherwise a 404, for a programme the
    user may not see is not theirs to know about (pages and API alike)."""

    programme = get_object_or_404(Programme, slug=slug)
    if not user.has_perm("reporting.view_dashboard", programme):
        raise Http404
    return programme


rules.add_perm("reporting.view_dashboard", coordinates | manages_a_partner)
rules.add_perm("reporting.view_partner_records", sees_partner)
rules.add_perm("reporting.view_all_records", coordinates)
rules.add_perm("reporting.export_programme", coordinates)
rules.add_perm("reporting.view_report", coordinates | manages_a_partner)
rules.add_perm("reporting.publish_report", coordinates)
# An event's organisers (its host cluster's managers, the programme's coordinators) see the follow-up
# answers about its meetings: per meeting, the organisations and the answer, never who answered.
rules.add_perm("reporting.view_event_follow_up", is_organiser)


# What a refused person reads (core.domain.require).
for _permission in ("reporting.view_report", "reporting.view_dashboard"):
    refuse_with(_permission, _("Only the programme's coordinators and partner managers see its reports."))
for _permission in ("reporting.publish_report", "reporting.export_programme", "reporting.view_all_records"):
    refuse_with(_permission, COORDINATORS_ONLY)
