"""Engine tests rank lexically unless a test installs an encoder itself (the model is an optional extra)."""

import pytest

from clusterxchange.engines.matching import semantic


@pytest.fixture(autouse=True)
def lexical_by_default():
    semantic.set_default_store(None, "semantic ranking is off in the engine tests")
    yield
    semantic.reset_default_store()
