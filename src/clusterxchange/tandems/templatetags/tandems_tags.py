from django import template

from clusterxchange.tandems.rules import staff_cluster_ids

register = template.Library()


@register.filter
def works_for_a_cluster(user) -> bool:
    """Whether the user is staff (member or manager) of a cluster organisation: sees tandems."""
    return bool(staff_cluster_ids(user))
