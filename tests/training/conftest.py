from tests.tandems.conftest import tw  # noqa: F401 - the shared tandems/training world
