"""The site's main menu: groups by job (Directory, Exchanges, Events, Learning, Reporting, Admin), each
link shown only to the roles its page lets in (tests/security/test_links.py follows every link as
every role), the current place marked, and the user's roles and programme for the header.

The conditions mirror the pages' rules (`*/rules.py` and the views' permission checks); they are kept
as cheap role tests because the menu is built on every page.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterxchange.core.roles import roles_of
from clusterxchange.joining.rules import interest_oversight, may_decide_anything, pending_decision_count
from clusterxchange.programmes.models import Programme


@dataclass
class MenuItem:
    label: str
    url_name: str
    current: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class MenuGroup:
    key: str
    label: str
    namespaces: tuple[str, ...]
    items: list[MenuItem] = field(default_factory=list)
    current: bool = False


class Menu:
    """Built lazily from the request: only pages that show the header pay for it."""

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)
        self.roles = roles_of(self.user)

    @cached_property
    def groups(self) -> list[MenuGroup]:
        match = getattr(self.request, "resolver_match", None)
        view_name = match.view_name if match else ""
        namespace = match.namespace if match else ""
        groups = [group for group in self._groups() if group.items]
        for group in groups:
            group.current = namespace in group.namespaces or any(
                item.url_name == view_name for item in group.items
            )
            for item in group.items:
                item.current = item.url_name == view_name
        return groups

    def _groups(self) -> list[MenuGroup]:
        roles, user = self.roles, self.user
        logged_in = bool(user and user.is_authenticated)
        partner = roles.is_coordinator or roles.is_cluster_manager
        cluster_staff = roles.is_coordinator or bool(
            roles.organisation_ids & (roles.cluster_ids | roles.managed_cluster_ids)
        )
        directory = MenuGroup("directory", _("Directory"), ("directory",))
        directory.items += [
            MenuItem(_("Organisations"), "directory:organisations"),
            MenuItem(_("Clusters"), "directory:clusters"),
            MenuItem(_("People"), "directory:people"),
            MenuItem(_("Opportunities"), "directory:opportunities"),
        ]
        if roles.organisation_ids or interest_oversight(user):
            directory.items.append(MenuItem(_("Interests"), "join:interests"))
        if partner:
            directory.items.append(MenuItem(_("Import"), "directory:import"))
        if may_decide_anything(user):
            waiting = pending_decision_count(user)  # one count query, only for admins and coordinators
            label = _("Requests to decide")
            directory.items.append(MenuItem(f"{label} ({waiting})" if waiting else label, "join:requests"))
        exchanges = MenuGroup("exchanges", _("Exchanges"), ("exchanges",))
        if logged_in:
            exchanges.items += [
                MenuItem(_("Exchanges"), "exchanges:list"),
                MenuItem(_("Host profiles"), "exchanges:host_profiles"),
            ]
        if partner:
            exchanges.items.append(MenuItem(_("Budget"), "exchanges:budget"))
        events = MenuGroup("events", _("Events"), ("events", "news", "site", "messaging"))
        events.items += [
            MenuItem(_("Events"), "events:list"),
            MenuItem(_("News"), "news:list"),
            MenuItem(_("Testimonials"), "news:testimonials"),
        ]
        if partner:
            events.items.append(MenuItem(_("Group messages"), "messaging:list"))
        learning = MenuGroup("learning", _("Learning"), ("tandems", "training"))
        learning.items.append(MenuItem(_("Training"), "training:catalogue"))
        if cluster_staff:
            learning.items += [
                MenuItem(_("Tandems"), "tandems:list"),
                MenuItem(_("Capabilities"), "tandems:capabilities"),
                MenuItem(_("Strategy reviews"), "tandems:reviews"),
            ]
        if cluster_staff:
            learning.items.append(MenuItem(_("Training records"), "training:records"))
        if partner:
            learning.items.append(MenuItem(_("Course suggestions"), "training:suggestions"))
        reporting = MenuGroup("reporting", _("Reporting"), ("reporting",))
        if partner:
            reporting.items += [
                MenuItem(_("Dashboard"), "reporting:index"),
                MenuItem(_("News and testimonials"), "news:manage"),
                MenuItem(_("Testimonials to moderate"), "news:moderation"),
            ]
        admin = MenuGroup("admin", pgettext_lazy("menu", "Admin"), ("admin", "privacy", "programmes"))
        if partner or (user is not None and user.is_superuser):
            admin.items.append(MenuItem(_("Programme set-up"), "programmes:list"))
        if roles.is_coordinator:
            admin.items += [
                MenuItem(_("Erasure requests"), "privacy:requests"),
                MenuItem(_("Training moderation"), "training:moderation"),
                MenuItem(_("Training import"), "training:import"),
                MenuItem(_("Notification texts"), "messaging:texts"),
            ]
        if roles.is_coordinator or (user is not None and user.is_superuser):
            admin.items.append(MenuItem(_("Undelivered emails"), "messaging:undelivered"))
        if roles.is_coordinator or roles.managed_organisation_ids:
            admin.items.append(MenuItem(_("Members and roles"), "accounts:members"))
        if partner or roles.managed_organisation_ids:
            admin.items.append(MenuItem(_("Invitations"), "invitations:list"))
        if user is not None and user.is_staff:
            admin.items.append(MenuItem(_("Administration"), "admin:index"))
        return [directory, exchanges, events, learning, reporting, admin]

    @cached_property
    def role_labels(self) -> list[str]:
        roles = self.roles
        labels = []
        if roles.is_coordinator:
            labels.append(_("Coordinator"))
        if roles.is_cluster_manager:
            labels.append(_("Cluster manager"))
        if roles.organisation_ids and not labels:
            labels.append(_("Member"))
        return [str(label) for label in labels]

    @cached_property
    def programme(self):

        return Programme.objects.current()
