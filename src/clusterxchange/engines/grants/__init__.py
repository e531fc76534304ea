"""Pure ClusterXchange grant engine: eligibility, working days, distance and lump sum (no Django).

Use :func:`assess_grant` with a :class:`GrantRequest` and the programme's :class:`GrantRules`;
docs/grants.md explains the rules, the formula and their sources.
"""

from .assessment import GrantAssessment, GrantRequest, assess_grant
from .lump_sum import LumpSum, compute_lump_sum
from .messages import (
    APPLIED_RULE_TEMPLATES,
    REASON_TEMPLATES,
    AppliedRule,
    AppliedRuleCode,
    Reason,
    ReasonCode,
)
from .parties import Coordinates, OrganisationType, Party
from .rules import DEFAULT_HOST_TYPES, DEFAULT_MEMBERSHIP_REQUIRED_TYPES, DEFAULT_VISITOR_TYPES, GrantRules
from .working_days import PublicHoliday, WorkingDayCount, count_working_days

__all__ = [
    "APPLIED_RULE_TEMPLATES",
    "DEFAULT_HOST_TYPES",
    "DEFAULT_MEMBERSHIP_REQUIRED_TYPES",
    "DEFAULT_VISITOR_TYPES",
    "REASON_TEMPLATES",
    "AppliedRule",
    "AppliedRuleCode",
    "Coordinates",
    "GrantAssessment",
    "GrantRequest",
    "GrantRules",
    "LumpSum",
    "OrganisationType",
    "Party",
    "PublicHoliday",
    "Reason",
    "ReasonCode",
    "WorkingDayCount",
    "assess_grant",
    "compute_lump_sum",
    "count_working_days",
]
