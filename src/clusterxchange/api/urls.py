from clusterxchange.api.main import api

__all__ = ["api"]
