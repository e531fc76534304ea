"""The role changes audited before the organisations' role history existed were recorded on the
membership (`accounts.membership`, its text "person – organisation (role)"); since a7cddeb each is
recorded on the organisation with the person as `subject`, which the members page lists and the
erasure finds. This moves the old entries into that form: the organisation and the person come from
the membership when it still exists, else from the entry's text when it names exactly one
organisation and one account. An entry that names none or several stays as it was (the erasure
finds it by the person's name)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Trim

ROLE_ACTIONS = ("accounts.role.assign", "accounts.role.change", "accounts.role.remove", "accounts.role.leave")


def _one(queryset):
    found = list(queryset[:2])
    return found[0] if len(found) == 1 else None


def _from_text(text: str, User, Organisation):
    """(organisation, user) named by "person – organisation (role)", each when exactly one matches."""
    person, sep, rest = text.partition(" – ")
    organisation_name = rest.rsplit(" (", 1)[0] if rest.endswith(")") else rest
    if not sep or not person or not organisation_name:
        return None, None
    organisation = _one(Organisation.objects.filter(name=organisation_name))
    # An account reads as its full name, or its address when it has no name (User.__str__).
    full_name = Trim(Concat("first_name", Value(" "), "last_name"))
    user = _one(User.objects.annotate(full_name=full_name).filter(full_name=person)) or (
        _one(User.objects.filter(email__iexact=person, first_name="", last_name=""))
        if "@" in person
        else None
    )
    return organisation, user


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    Membership = apps.get_model("accounts", "Membership")
    Organisation = apps.get_model("directory", "Organisation")
    User = apps.get_model("accounts", "User")
    old = AuditEntry.objects.filter(object_type="accounts.membership", action__in=ROLE_ACTIONS)
    memberships = {
        str(m.pk): (m.organisation, m.user_id)
        for m in Membership.objects.filter(
            pk__in=[int(pk) for pk in old.values_list("object_id", flat=True) if pk.isdigit()]
        ).select_related("organisation")
    }
    for entry in old.iterator():
        organisation, user_id = memberships.get(entry.object_id, (None, None))
        if organisation is None:
            organisation, user = _from_text(entry.object_repr, User, Organisation)
            user_id = user.pk if user else None
        if organisation is None or user_id is None:
            continue
        entry.object_type, entry.object_id = "directory.organisation", str(organisation.pk)
        entry.object_repr, entry.subject_id = organisation.name[:200], user_id
        entry.save(update_fields=["object_type", "object_id", "object_repr", "subject"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_job_details_purged_at"),
        ("core", "0010_outgoing_email_recipient_index"),
        ("directory", "0006_cluster_membership_requests"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
