"""Deterministic calculator: exact figures, rules as data, cited results.

numbers → parse figures (Decimal/date with units); rules → load corpus/rules/*.yaml;
engine → evaluate tiers and thresholds (and dispatch any rule); rewards → per-unit rewards with
caps, per-year totals; dates → deadlines and working days; figures → which input each figure of a
question fills (label_quantities, collect_inputs); tools → LangChain tools and the profile
self-check; cli → `assistant calc` / `assistant check`.

Heavy or optional pieces (LangChain, click) are imported from their own modules, so importing
this package stays cheap.
"""

from assistant.calc.dates import (
    DeadlineResult,
    add_working_days,
    compute_deadline,
    counting_from_text,
)
from assistant.calc.engine import (
    CalcResult,
    CombinedResult,
    CriterionResult,
    ThresholdResult,
    TierResult,
    check_thresholds,
    combine_thresholds,
    evaluate,
    evaluate_tiers,
)
from assistant.calc.figures import collect_inputs, label_quantities
from assistant.calc.numbers import (
    Quantity,
    parse_amount,
    parse_area,
    parse_count,
    parse_date,
    parse_duration,
    parse_percent,
    parse_quantity,
)
from assistant.calc.quantities_in_text import extract_quantities
from assistant.calc.rewards import PerUnitResult, PerYearResult, per_unit_reward, per_year_total
from assistant.calc.rule_inputs import INPUTS
from assistant.calc.rule_types import Rule
from assistant.calc.rules import RuleSet, get_rule, load_rules

__all__ = [
    "INPUTS",
    "CalcResult",
    "CombinedResult",
    "CriterionResult",
    "DeadlineResult",
    "PerUnitResult",
    "PerYearResult",
    "Quantity",
    "Rule",
    "RuleSet",
    "ThresholdResult",
    "TierResult",
    "add_working_days",
    "check_thresholds",
    "collect_inputs",
    "combine_thresholds",
    "compute_deadline",
    "counting_from_text",
    "evaluate",
    "evaluate_tiers",
    "extract_quantities",
    "get_rule",
    "label_quantities",
    "load_rules",
    "parse_amount",
    "parse_area",
    "parse_count",
    "parse_date",
    "parse_duration",
    "parse_percent",
    "parse_quantity",
    "per_unit_reward",
    "per_year_total",
]
