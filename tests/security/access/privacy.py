"""Privacy: the owner is made the person Amélie Durand (person_a1) for these checks; only the
person and coordinators see or export a person's data; erasure is the coordinator's (tests/privacy
has the full matrices, with a partner manager and a same-cluster member too)."""

from tests.security.access import E, Url, action

SELF_OR_COORDINATOR = E(ok="coordinator owner", login="anonymous", rest="forbidden")
COORDINATOR = E(ok="coordinator", login="anonymous", rest="forbidden")


def person(s):
    """Amélie Durand, linked to the owner's login (the person themself)."""
    amelie = s.w.person_a1
    if amelie.user_id != s.users["owner"].pk:
        amelie.user = s.users["owner"]
        amelie.save()
    return {"pk": amelie.pk}


def erasure_request(s):
    from clusterxchange.privacy.models import ErasureRequest

    request, _ = ErasureRequest.objects.get_or_create(person=s.w.person_a1, status="open")
    return {"pk": request.pk}


URLS = {
    "privacy:me": Url(get=E(login="anonymous", rest="ok")),
    "privacy:person": Url(get=SELF_OR_COORDINATOR, kwargs=person),
    "privacy:export": Url(get=SELF_OR_COORDINATOR, kwargs=person),
    "privacy:consent": action(
        E(redirect="coordinator owner", login="anonymous", rest="forbidden"),
        kwargs=person,
        data=lambda s: {"purpose": "directory_listing", "given": "0"},
    ),
    "privacy:request_erasure": action(
        E(redirect="owner", login="anonymous", rest="forbidden"),
        kwargs=person,
        data=lambda s: {"message": "Please erase my data"},
    ),
    "privacy:erase": Url(
        get=COORDINATOR,
        post=E(redirect="coordinator", login="anonymous", rest="forbidden"),
        kwargs=person,
        data=lambda s: {"confirm": "on", "reason": "asked by email"},
    ),
    "privacy:requests": Url(get=COORDINATOR),
    "privacy:refuse": action(
        E(redirect="coordinator", login="anonymous", rest="forbidden"),
        kwargs=erasure_request,
        data=lambda s: {"reason": "The grant audit is running"},
    ),
}
