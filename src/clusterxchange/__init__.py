"""clusterxchange: the platform for European cluster-exchange programmes."""

__version__ = "0.1.0"
