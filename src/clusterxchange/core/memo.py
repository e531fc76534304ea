"""Answers kept on the object they are about, so that a question asked once per row of a page costs one
query, not one per row: a user's roles, the clusters an organisation belongs to, a user's registration
for an event. Users and records are loaded once per request, so an answer lives as long as the request.

    @cached_on_object
    def member_cluster_ids(organisation) -> frozenset[int]:
        ...

The answer is kept on the first argument, per the other arguments (a record counts by its primary key,
so an event and its id are the same question). An action that changes what an answer depends on
forgets it: `member_cluster_ids.forget(organisation)` for one function, `forget_cached(user)` for every
answer kept on the user (after a role changed). Guards that need no query (an anonymous user, a missing
record) belong in the caller, before the cached function: an anonymous user is never the first argument.
"""

import functools
from collections.abc import Callable

from django.utils.functional import LazyObject, empty

_STORE = "_cx_cached"


def _holder(obj):
    """The object itself: `request.user` is a lazy stand-in, and the permission backends get the
    user it stands for; answers kept on the stand-in would be asked again for the user."""
    if isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        return obj._wrapped
    return obj


def cached_on_object(function: Callable) -> Callable:
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def cached(obj, *args):
        answers = _holder(obj).__dict__.setdefault(_STORE, {}).setdefault(name, {})
        key = tuple(getattr(arg, "pk", arg) for arg in args)
        if key not in answers:
            answers[key] = function(obj, *args)
        return answers[key]

    def forget(obj) -> None:
        if obj is not None:
            _holder(obj).__dict__.get(_STORE, {}).pop(name, None)

    cached.forget = forget
    return cached


def forget_cached(*objects) -> None:
    """Drop every answer kept on these objects (a user whose roles changed)."""
    for obj in objects:
        if obj is not None:
            _holder(obj).__dict__.pop(_STORE, None)
