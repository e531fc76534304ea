"""`{% invite_link target %}`: the "Invite people" button of a programme, organisation or event page,
shown only to those who may invite someone there (accounts.rules.may_grant). `{{ invitation|role_label }}`:
the role an invitation is for, named for the kind of organisation it invites into."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clusterxchange.accounts.invitations import KINDS_FOR, role_label
from clusterxchange.accounts.rules import may_grant

register = template.Library()


@register.simple_tag(takes_context=True)
def invite_link(context, target, css: str = "secondary") -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    target_type = type(target)._meta.model_name if target is not None else ""
    if user is None or not user.is_authenticated or target_type not in KINDS_FOR:
        return ""
    if not any(may_grant(user, kind, target) for kind in KINDS_FOR[target_type]):
        return ""
    url = reverse("invitations:invite", args=[target_type, target.slug])
    return format_html('<a href="{}" role="button" class="{}">{}</a>', url, css, _("Invite people"))


@register.filter(name="role_label")
def role_label_filter(invitation) -> str:
    return str(role_label(invitation.role_kind, invitation.target))
