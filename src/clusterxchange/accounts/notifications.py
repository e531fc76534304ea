"""The texts of the notifications sent about an account (roles, person records, API tokens,
invitations), which a programme may reword per language (Admin › Notification texts,
core.texts.editable). Those that belong to no programme take the current programme's wording."""

from django.utils.translation import gettext_lazy

from clusterxchange.core.texts import editable

ROLE_GIVEN = editable(
    "accounts.role_given",
    gettext_lazy("You are now %(role)s of %(target)s"),
    gettext_lazy("%(actor)s gave you this role."),
)
ROLE_CHANGED = editable(
    "accounts.role_changed",
    gettext_lazy("You are now %(role)s of %(target)s"),
    gettext_lazy("%(actor)s changed your role."),
)
ADMIN_NAMED = editable(
    "accounts.admin_named",
    gettext_lazy("You are now %(role)s of %(target)s"),
    gettext_lazy("%(actor)s left the organisation and named you its admin."),
)
ROLE_REMOVED = editable(
    "accounts.role_removed",
    gettext_lazy("You are no longer %(role)s of %(target)s"),
    gettext_lazy("%(actor)s removed this role."),
)
ROLE_REMOVED_WITH_REASON = editable(
    "accounts.role_removed_with_reason",
    gettext_lazy("You are no longer %(role)s of %(target)s"),
    gettext_lazy("%(actor)s removed this role: %(reason)s"),
)
LEFT = editable(
    "accounts.left",
    gettext_lazy("You left %(organisation)s"),
    gettext_lazy("Its pages and records are no longer open to you as one of its people."),
)
PERSON_LINKED = editable(
    "accounts.person_linked",
    gettext_lazy("Your account is linked to the person record %(person)s of %(organisation)s"),
    gettext_lazy("%(actor)s linked it."),
)
PERSON_UNLINKED = editable(
    "accounts.person_unlinked",
    gettext_lazy("Your account is no longer linked to the person record %(person)s of %(organisation)s"),
    gettext_lazy("%(actor)s unlinked it."),
)
TOKENS_REVOKED = editable(
    "accounts.tokens_revoked",
    gettext_lazy("Your API tokens were revoked"),
    gettext_lazy(
        "These API tokens of your account were revoked:\n\n%(tokens)s\n\n%(reason)s\n\n"
        "Programs that used them can no longer reach the API. Create new tokens under Account › API tokens."
    ),
    required=("tokens",),
)
INVITATION = editable(
    "accounts.invitation",
    gettext_lazy("[%(site)s] %(inviter)s invites you to %(target)s"),
    gettext_lazy("%(inviter)s invites you to %(site)s as %(role)s of %(target)s."),
    required=("inviter", "target"),
)
