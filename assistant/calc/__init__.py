"""Deterministic calculator: exact figures, rules as data, cited results.

numbers → parse figures (Decimal/date with units); rules → load corpus/rules/*.yaml;
engine → evaluate tiers, thresholds, per-unit rewards; dates → deadlines and working days;
tools → LangChain tools, the profile self-check, figures in a question (label_quantities); cli → `assistant calc` / `assistant check`.

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
    PerUnitResult,
    ThresholdResult,
    TierResult,
    check_thresholds,
    combine_thresholds,
    evaluate,
    evaluate_tiers,
    per_unit_reward,
)
from assistant.calc.numbers import (
    Quantity,
    extract_quantities,
    parse_amount,
    parse_area,
    parse_count,
    parse_date,
    parse_duration,
    parse_percent,
    parse_quantity,
)
from assistant.calc.rules import INPUTS, Rule, RuleSet, get_rule, load_rules

__all__ = [
    "INPUTS",
    "CalcResult",
    "CombinedResult",
    "CriterionResult",
    "DeadlineResult",
    "PerUnitResult",
    "Quantity",
    "Rule",
    "RuleSet",
    "ThresholdResult",
    "TierResult",
    "add_working_days",
    "check_thresholds",
    "combine_thresholds",
    "compute_deadline",
    "counting_from_text",
    "evaluate",
    "evaluate_tiers",
    "extract_quantities",
    "get_rule",
    "load_rules",
    "parse_amount",
    "parse_area",
    "parse_count",
    "parse_date",
    "parse_duration",
    "parse_percent",
    "parse_quantity",
    "per_unit_reward",
]
