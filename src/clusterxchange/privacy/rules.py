"""Who may see and act on a person's personal data (GDPR requests).

- the person themself (the user linked to the directory person): their own data page, export,
  consents, the log of who accessed their data, an erasure request;
- coordinators: any person's privacy page, export (on request), consents on the person's behalf,
  the access log, erasure;
- everybody else: nothing here (partner managers edit people of their members in the directory,
  but exports and erasure are the coordinator's, who answers GDPR requests for the programme).
"""

import rules
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_ONLY, refuse_with
from clusterxchange.core.roles import roles_of


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def is_the_person(user, person) -> bool:
    return person is not None and user.is_authenticated and person.user_id == user.pk


rules.add_perm("privacy.view_person_data", is_coordinator | is_the_person)
rules.add_perm("privacy.export_person", is_coordinator | is_the_person)
rules.add_perm("privacy.change_consent", is_coordinator | is_the_person)
rules.add_perm("privacy.request_erasure", is_the_person)
rules.add_perm("privacy.erase_person", is_coordinator)


# What a refused person reads (core.domain.require).
for _permission in ("privacy.view_person_data", "privacy.export_person", "privacy.change_consent"):
    refuse_with(_permission, _("Only the person and the coordinators may do this."))
refuse_with("privacy.erase_person", COORDINATORS_ONLY)
refuse_with("privacy.request_erasure", _("Only the person may ask for their data to be erased."))
