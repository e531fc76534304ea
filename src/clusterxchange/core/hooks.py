"""A function that a lower app calls and an app above it provides (docs/architecture.md, "Apps").

Apps import one way, top to bottom. When a lower app needs an answer only an app above it has (core
asks for a user's roles, which come from memberships), it declares a `Hook` and calls it; the upper app
registers its function in its `AppConfig.ready()`. (When the lower app only tells that something
happened, it sends a Django signal instead, and the upper app connects a receiver there.)
"""

from collections.abc import Callable


class Hook:
    def __init__(self, description: str):
        self.description = description
        self._function: Callable | None = None

    def register(self, function: Callable) -> None:
        self._function = function

    def __call__(self, *args, **kwargs):
        if self._function is None:
            raise RuntimeError(f"Nothing registered for the hook: {self.description}")
        return self._function(*args, **kwargs)
