"""The texts of the notifications sent about joining an organisation or registering a new one, which
a programme may reword per language (Admin › Notification texts, core.texts.editable). They belong to
no programme, so they take the current programme's wording."""

from django.utils.translation import gettext_lazy

from clusterxchange.core.texts import editable

JOIN_ASKED = editable(
    "directory.join_asked",
    gettext_lazy("%(person)s asks to join %(organisation)s"),
    gettext_lazy("Decide on the page “Requests to decide”: %(url)s"),
    required=("person", "organisation", "url"),
)
JOIN_APPROVED = editable(
    "directory.join_approved",
    gettext_lazy("Your request to join %(organisation)s was approved"),
    gettext_lazy(
        "You are now a member of %(organisation)s: you can apply for exchanges and register for events."
    ),
)
JOIN_REFUSED = editable(
    "directory.join_refused",
    gettext_lazy("Your request to join %(organisation)s was refused"),
    gettext_lazy("Reason: %(reason)s"),
    required=("organisation", "reason"),
)
REGISTRATION_ASKED = editable(
    "directory.registration_asked",
    gettext_lazy("%(person)s registered %(organisation)s under %(cluster)s"),
    gettext_lazy("Decide on the page “Requests to decide”: %(url)s"),
    required=("person", "organisation", "url"),
)
REGISTRATION_APPROVED = editable(
    "directory.registration_approved",
    gettext_lazy("%(organisation)s was approved"),
    gettext_lazy("%(organisation)s is now in the directory, a member of %(cluster)s, and you are its admin."),
)
REGISTRATION_REFUSED = editable(
    "directory.registration_refused",
    gettext_lazy("The registration of %(organisation)s was refused"),
    gettext_lazy("Reason: %(reason)s"),
    required=("organisation", "reason"),
)
CLUSTER_ASKED = editable(
    "directory.cluster_asked",
    gettext_lazy("%(cluster)s asks %(organisation)s to become a member"),
    gettext_lazy(
        "As a member, the cluster's managers may edit the organisation's profile, people and opportunities. Accept or refuse on the page “Requests to decide”: %(url)s"
    ),
    required=("cluster", "organisation", "url"),
)
CLUSTER_APPROVED = editable(
    "directory.cluster_approved",
    gettext_lazy("%(organisation)s accepted to join %(cluster)s"),
    gettext_lazy("%(organisation)s is now a member of %(cluster)s."),
)
CLUSTER_REFUSED = editable(
    "directory.cluster_refused",
    gettext_lazy("%(organisation)s refused to join %(cluster)s"),
    gettext_lazy("Reason: %(reason)s"),
    required=("organisation", "reason"),
)
INTEREST_SENT = editable(
    "directory.interest_sent",
    gettext_lazy("%(organisation)s is interested in “%(opportunity)s”"),
    gettext_lazy("Their message:\n\n%(message)s\n\nAccept or decline it on the page “Interests”:"),
    required=("organisation", "opportunity", "message"),
)
INTEREST_ACCEPTED = editable(
    "directory.interest_accepted",
    gettext_lazy("%(owner)s accepted your interest in “%(opportunity)s”"),
    gettext_lazy("Write to them at %(email)s; they see your organisation's contact address too."),
    required=("owner", "opportunity", "email"),
)
INTEREST_DECLINED = editable(
    "directory.interest_declined",
    gettext_lazy("%(owner)s declined your interest in “%(opportunity)s”"),
    gettext_lazy("Reason: %(reason)s"),
    required=("owner", "opportunity"),
)
