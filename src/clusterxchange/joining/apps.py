from django.apps import AppConfig


class JoiningConfig(AppConfig):
    """Joining the programme: join requests and organisation registrations (no models of its own: the
    requests are the directory's records, and it appears nowhere in the admin, hence no verbose name).

    It sits above accounts and programmes because approving a request gives a membership (accounts)
    and a new organisation registers under a programme's partner cluster (programmes)."""

    name = "clusterxchange.joining"
    label = "joining"
