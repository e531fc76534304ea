"""Host profiles: an organisation offers to host visitors in a programme; its partnership validates.

Same style as `domain.py`: each action checks permission, validates, writes in one transaction and
records an audit entry.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import Refused, require
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import sentence
from clusterxchange.directory.models import Organisation
from clusterxchange.exchanges.models import HostProfile
from clusterxchange.programmes.models import PartnerCluster, Programme

HOST_PROFILE_FIELDS = ["offer", "topics", "available_from", "available_until"]


@transaction.atomic
def register_host_profile(
    actor, programme: Programme, organisation: Organisation, fields: dict, languages=()
) -> HostProfile:
    """Create the organisation's host profile, or update and resubmit it (a validated one goes back
    to the partnership for validation)."""
    if organisation.pk not in roles_of(actor).organisation_ids:
        raise PermissionDenied(_("Only members of %(name)s register it as a host.") % {"name": organisation})
    if PartnerCluster.objects.responsible_for(programme, organisation) is None:
        raise ValidationError(
            {
                "organisation": sentence(
                    _("%(name)s is not a member of a partner cluster of %(programme)s."),
                    name=organisation.name,
                    programme=programme,
                )
            }
        )
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and end < start:
        raise ValidationError(
            {"available_until": _("The end of the availability cannot be before its start.")}
        )
    profile = (
        HostProfile.objects.select_for_update().filter(programme=programme, organisation=organisation).first()
    )
    created = profile is None
    if created:
        profile = HostProfile(programme=programme, organisation=organisation, created_by=actor)
    from_state = "" if created else profile.status
    for name in HOST_PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, fields[name])
    profile.status = HostProfile.Status.SUBMITTED
    profile.validated_at = None
    profile.full_clean()
    profile.save()
    profile.languages.set(languages)
    audit.record(
        actor,
        "exchanges.register_host_profile",
        profile,
        from_state=from_state,
        to_state=profile.status,
    )
    return profile


@transaction.atomic
def decide_host_profile(actor, profile: HostProfile, *, accept: bool, comment: str = "") -> HostProfile:
    """The partnership validates (or declines, with a reason) a submitted host profile."""
    profile = (
        HostProfile.objects.select_for_update().select_related("programme", "organisation").get(pk=profile.pk)
    )
    require(
        actor,
        "exchanges.validate_host_profile",
        profile,
        message=_("Only the organisation's partnership validates its host profile."),
    )
    if profile.status != HostProfile.Status.SUBMITTED:
        raise Refused(
            _("This host profile is “%(status)s”; only a submitted profile can be validated or declined.")
            % {"status": profile.get_status_display()}
        )
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Please give a reason.")})
    from_state = profile.status
    if accept:
        profile.status = HostProfile.Status.VALIDATED
        profile.validated_at = timezone.now()
    else:
        profile.status = HostProfile.Status.DECLINED
    profile.save(update_fields=["status", "validated_at"])
    audit.record(
        actor,
        "exchanges.validate_host_profile" if accept else "exchanges.decline_host_profile",
        profile,
        from_state=from_state,
        to_state=profile.status,
        comment=comment,
    )
    return profile
