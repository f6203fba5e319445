"""The calculator as LangChain tools, and the eligibility self-check over a profile.

Each tool takes typed arguments (pydantic) and returns a JSON-able dict: the result's
`to_json()` plus `text` (its `render()`), or `{"error": "…"}` for input it cannot use, so an
LLM or the offline chain always gets an answer it can show. `run_tool(name, args)` wraps a
call as a `ToolCall` for `Answer.tools`. The figures of a question (label_quantities,
collect_inputs, profile_from_text) live in figures.py and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from assistant.calc.dates import compute_deadline
from assistant.calc.engine import (
    CalcResult,
    check_thresholds,
    combine_thresholds,
    evaluate,
    evaluate_tiers,
    occupancy_base,
)
from assistant.calc.figures import collect_inputs as collect_inputs  # re-exported for the chain
from assistant.calc.figures import label_quantities as label_quantities
from assistant.calc.figures import profile_from_text as profile_from_text
from assistant.calc.number_format import format_value
from assistant.calc.numbers import Quantity
from assistant.calc.rewards import per_unit_reward, per_year_total
from assistant.calc.rule_inputs import BRANCH_INPUTS, INPUTS, coerce_input, coerce_one
from assistant.calc.rule_types import Rule
from assistant.calc.rules import load_rules
from assistant.errors import CalcError
from assistant.types import ToolCall

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

# ---------------------------------------------------------------- profiles

# What people write in a profile file → input names (English names and --flags work as is).
PROFILE_ALIASES = {
    "所在地": "location", "地点": "location", "城市": "location", "park": "location", "园区所在地": "location",
    "主体": "subject", "类型": "subject",
    "营收": "revenue", "主营业务收入": "revenue", "企业营收": "revenue",
    "园区营收": "park_revenue", "园区年营业收入": "park_revenue", "年营业收入": "park_revenue",
    "纳税": "tax", "首年纳税": "tax", "首次年纳税总额": "tax", "first_year_tax": "tax",
    "建筑面积": "area", "面积": "area", "园区建筑面积": "area",
    "核心区面积": "core_area", "核心区建筑面积": "core_area", "总面积": "total_area",
    "园区总面积": "total_area", "入驻面积": "occupied_area",
    "园区数量": "park_count", "分园区数量": "branch_count", "分园区": "branches",
    "入驻机构": "institutions", "机构数": "institutions", "入驻机构数": "institutions",
    "核心区入驻机构": "core_institutions",
    "入驻面积占比": "occupancy", "占比": "occupancy", "入驻率": "occupancy",
    "核心区入驻面积占比": "core_occupancy",
    "专职人员": "staff", "专职工作人员": "staff",
    "上规入统企业": "regulated_enterprises", "达标企业数": "qualifying_enterprises",
    "上一次营收": "previous_revenue", "已发放": "already_awarded",
    "连续优秀年数": "excellent_years", "连续不合格年数": "fail_years",
    "在库时间": "regulated_duration", "上规入统时间": "regulated_duration", "年度": "years",
    "分园区面积": "branch_area", "分园区入驻机构": "branch_institutions", "分园区入驻面积占比": "branch_occupancy",
    "收到申请日期": "application_date", "公示开始": "publicity_start",
    "认定日期": "recognition_date", "取消日期": "revocation_date", "自评年度": "assessment_date",
}
PROFILE_META = ("location", "subject", "branches", "today")
_BY_LABEL = {spec.label: spec.name for spec in INPUTS.values()}
_ENTERPRISE = {"revenue", "tax", "qualifying_enterprises", "previous_revenue"}
_PARK = {"area", "core_area", "total_area", "occupied_area", "park_count", "branch_count",
         "institutions", "core_institutions", "occupancy", "core_occupancy", "staff", "branches",
         "branch_institutions", "branch_occupancy", "branch_area"}
_SAME_FOR_ONE_PARK = (("area", "core_area", "total_area"), ("institutions", "core_institutions"),
                      ("occupancy", "core_occupancy"))


def _key(raw: object) -> str:
    key = str(raw).strip()
    # an input's own label (企业主营业务收入) names it too: the batch template's columns are labels
    key = (PROFILE_ALIASES.get(key) or _BY_LABEL.get(key) or key).replace("-", "_").lower()
    if key not in INPUTS and key not in PROFILE_META:
        known = ", ".join([*PROFILE_META, *INPUTS])
        raise CalcError(f"档案里有未知字段“{raw}”（unknown profile field '{raw}'; use one of: {known}）")
    return key


def profile_key(raw: object) -> str:
    """The input or profile field a column or key names (营收 → revenue); raises CalcError."""
    return _key(raw)


def known_field(raw: object) -> bool:
    """Is this a profile field or an alias of one (a CSV column a rule can use)?"""
    try:
        _key(raw)
    except CalcError:
        return False
    return True


def normalize_profile(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Profile keys to input names, plus what can be derived; returns (inputs, notes).

    - `branches: [{area, institutions, occupancy}, …]` gives 分园区数量 and per-branch values;
    - "营收" of a park (a profile with park figures and no enterprise figures) is 园区年营业收入;
    - per-branch values (branch_institutions: [12家, 9家]) give 分园区数量 when it is not given,
      and 核心区 + 各分园区面积 the total area;
    - one park: its area is its core and total area, its institutions its core institutions;
    - 入驻面积 / 建筑面积 (else 总面积) gives the occupancy when it is not given.
    """
    if not isinstance(raw, Mapping):
        raise CalcError("档案应为键值对（a profile is a mapping of field: value）")
    prof: dict[str, Any] = {}
    for k, v in raw.items():
        if v is not None and v != "":
            prof[_key(k)] = v
    notes: list[str] = []
    branches = prof.pop("branches", None)
    if branches is not None:
        if not isinstance(branches, list) or not all(isinstance(b, Mapping) for b in branches):
            raise CalcError("branches 应为分园区列表（'branches' is a list of {area, institutions, occupancy}）")
        prof.setdefault("branch_count", len(branches))
        for field, name in (("institutions", "branch_institutions"), ("occupancy", "branch_occupancy")):
            vals = [b.get(field) for b in branches]
            if vals and all(v is not None for v in vals):
                prof.setdefault(name, vals)
        areas = [b.get("area") for b in branches]
        if "total_area" not in prof and "core_area" in prof and areas and all(a is not None for a in areas):
            total = coerce_one("core_area", prof["core_area"]).number + sum(coerce_one("area", a).number for a in areas)
            prof["total_area"] = Quantity("area", total, "平方米", text="核心区与各分园区面积之和")
            notes.append("园区总面积按核心区与各分园区面积之和计算")
    subject = str(prof.get("subject", "")).strip()
    subject = {"企业": "enterprise", "公司": "enterprise", "园区": "park", "产业园": "park"}.get(subject, subject)
    if subject not in ("", "enterprise", "park"):
        raise CalcError(f"subject 应为 enterprise（企业）或 park（园区），而不是“{subject}”（subject is enterprise or park）")
    if not subject:
        keys = set(prof) | ({"branches"} if branches else set())
        if keys & _PARK and not keys & (_ENTERPRISE - {"revenue"}):
            subject = "park"
    if subject:
        prof["subject"] = subject
    if subject == "park" and "revenue" in prof:
        prof.setdefault("park_revenue", prof.pop("revenue"))
        notes.append("档案是园区口径，“营收”按园区年营业收入理解")
    listed = [n for n in sorted(BRANCH_INPUTS) if isinstance(prof.get(n), list)]
    if listed and "branch_count" not in prof:
        prof["branch_count"] = max(len(prof[n]) for n in listed)
        notes.append(f"分园区数量按所列分园区计为{prof['branch_count']}个")
    if "total_area" not in prof and "core_area" in prof and isinstance(prof.get("branch_area"), list):
        each = coerce_input("branch_area", prof["branch_area"])
        assert isinstance(each, list)
        if len(each) == int(coerce_one("branch_count", prof["branch_count"]).number):
            total = coerce_one("core_area", prof["core_area"]).number + sum(a.number for a in each)
            prof["total_area"] = Quantity("area", total, "平方米", text="核心区与各分园区面积之和")
            notes.append("园区总面积按核心区与各分园区面积之和计算")
    if "occupancy" not in prof and "occupied_area" in prof and (found := occupancy_base(prof)):
        base_name, base = found
        if base.number > 0:
            occupied = coerce_one("occupied_area", prof["occupied_area"])
            share = occupied.number / base.number
            prof["occupancy"] = Quantity("percent", share, "%", text=f"入驻面积÷{INPUTS[base_name].label}")
            shown = format_value("percent", share)
            rounding = "（比较时用精确值，此处四舍五入到0.01个百分点）" if shown.startswith("约") else ""
            notes.append(f"入驻面积占比按入驻面积{occupied.display()} ÷ {INPUTS[base_name].label}{base.display()}"
                         f" = {shown}计算{rounding}")
    if "park_count" not in prof and "branch_count" in prof:
        prof["park_count"] = int(coerce_one("branch_count", prof["branch_count"]).number) + 1
    if "park_count" in prof and coerce_one("park_count", prof["park_count"]).number == 1:
        for group in _SAME_FOR_ONE_PARK:
            given = next((prof[n] for n in group if n in prof), None)
            if given is not None:
                for n in group:
                    prof.setdefault(n, given)
    return prof, notes


def _applies(rule: Rule, prof: Mapping[str, Any]) -> bool:
    location = str(prof.get("location", ""))
    if location and rule.places and not any(p in location for p in rule.places):
        return False
    subject = prof.get("subject")
    return not (subject and rule.subject and rule.subject != subject)


def _touched(rule: Rule, prof: Mapping[str, Any]) -> bool:
    return any(prof.get(name) not in (None, "", []) for name in rule.inputs)


@dataclass(frozen=True)
class SelfCheckReport:
    results: tuple[CalcResult, ...]
    notes: tuple[str, ...]
    inputs: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results], "notes": list(self.notes),
                "inputs": dict(self.inputs)}

    def render(self) -> str:
        if not self.results:
            head = "没有与所填信息相关的可计算条款。"
            return "\n".join([head, *[f"说明：{n}" for n in self.notes]])
        blocks = [f"【{r.label}】\n{r.render()}" for r in self.results]
        return "\n\n".join([*blocks, *[f"说明：{n}" for n in self.notes]])


def self_check_report(profile: Mapping[str, Any], *, rules_dir: Path | str | None = None,
                      today: object | None = None) -> SelfCheckReport:
    """Evaluate every rule whose inputs the profile touches (in the profile's place, for its
    kind of subject). Rules that need more inputs come back with status "incomplete" and the
    missing inputs; rules for the other park shape (一个园区 / 多个园区) are left out."""
    prof, notes = normalize_profile(profile)
    results: list[CalcResult] = []
    for rule in load_rules(rules_dir):
        if not _applies(rule, prof) or not _touched(rule, prof):
            continue
        result = evaluate(rule, prof, today=today or prof.get("today"))
        if result.status != "not_applicable":
            results.append(result)
    if prof.get("location") and not any(_applies(r, prof) for r in load_rules(rules_dir)):
        notes.append(f"规则库中没有适用于“{prof['location']}”的条款")
    shown = {k: v.display() if isinstance(v, Quantity) else str(v) for k, v in prof.items() if not isinstance(v, list)}
    return SelfCheckReport(tuple(results), tuple(notes), shown)


def self_check(profile: Mapping[str, Any], *, rules_dir: Path | str | None = None,
               today: object | None = None) -> list[CalcResult]:
    """The results of `self_check_report` (every touched rule, incomplete ones included)."""
    return list(self_check_report(profile, rules_dir=rules_dir, today=today).results)


# ---------------------------------------------------------------- tools


def _out(result: CalcResult) -> dict[str, Any]:
    return {**result.to_json(), "text": result.render()}


def _safe(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def run(**kwargs: Any) -> dict[str, Any]:
        try:
            return fn(**kwargs)
        except CalcError as exc:
            return {"error": str(exc)}

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


class RewardTierArgs(BaseModel):
    revenue: str = Field(description="企业主营业务收入，如 6亿、3000万元、4999.99万")
    rule_id: str = Field("liuzhou.economic_contribution", description="分档规则 id")
    previous_revenue: str | None = Field(None, description="已按其享受过奖励的营收（判断升档/重复享受）")


def _reward_tier(revenue: str, rule_id: str = "liuzhou.economic_contribution",
                 previous_revenue: str | None = None) -> dict[str, Any]:
    rule = load_rules().get(rule_id)
    return _out(evaluate_tiers(rule, revenue, previous=previous_revenue))


class CheckThresholdsArgs(BaseModel):
    rule_ids: list[str] = Field(description="条件规则 id，可多个（如 guangxi.application.single_park 和 liaocheng.application）")
    inputs: dict[str, str | int | list[str]] = Field(
        description="输入项：core_area、area、total_area、institutions、occupancy、park_revenue、staff、park_count 等，值如 4500平方米、16家、62%、6亿"
    )
    single_park: bool | None = Field(None, description="只设立一个园区时为 true（合并要求时使用）")


def _check_thresholds(rule_ids: list[str], inputs: dict[str, Any],
                      single_park: bool | None = None) -> dict[str, Any]:
    rules = [load_rules().get(i) for i in rule_ids]
    if not rules:
        raise CalcError("至少给出一条规则（give at least one rule id）")
    results = [_out(check_thresholds(r, inputs)) for r in rules]
    combined = []
    if len(rules) > 1:
        counts: dict[str, int] = {}
        for r in rules:
            for c in r.criteria:
                counts[c.input] = counts.get(c.input, 0) + 1
        shared = [n for n, k in counts.items() if k > 1 or (single_park and n in ("area", "core_area"))]
        for name in dict.fromkeys(shared):
            combined.append(_out(combine_thresholds(rules, name, inputs.get(name), single_park=single_park)))
    return {"results": results, "combined": combined}


class PerUnitArgs(BaseModel):
    rule_id: str = Field(description="liuzhou.investment_team 或 liuzhou.regulated_enterprise")
    count: int | None = Field(None, description="符合条件的企业家数")
    values: list[str] | None = Field(None, description="逐家的首次年纳税总额，如 ['250万', '180万']")
    already_awarded: str | None = Field(None, description="此项已发放的奖励总额")


def _per_unit_reward(rule_id: str, count: int | None = None, values: list[str] | None = None,
                     already_awarded: str | None = None) -> dict[str, Any]:
    rule = load_rules().get(rule_id)
    return _out(per_unit_reward(rule, count=count, values=values, already_awarded=already_awarded))


class PerYearArgs(BaseModel):
    rule_id: str = Field("liuzhou.special_fund", description="按年安排资金的规则 id")
    years: str | None = Field(None, description="年度区间或年数，如 2024-2026年、2024到2025年、3年；不填为原文全部年度")


def _per_year_total(rule_id: str = "liuzhou.special_fund", years: str | None = None) -> dict[str, Any]:
    return _out(per_year_total(load_rules().get(rule_id), years))


class DeadlineArgs(BaseModel):
    start: str = Field(description="起算日期，如 2026-03-02 或 2026年3月2日（当日不计入）")
    rule_id: str | None = Field(None, description="期限规则 id，如 guangxi.evaluation_deadline、liaocheng.publicity")
    period: str | None = Field(None, description="不按规则时的期限，如 45日、5个工作日、3年")
    today: str | None = Field(None, description="今天（周期性评估求下一次时用）")
    include_start: bool = Field(False, description="提问说“当天算第一天”时为 true（默认开始当日不计入）")
    weekends_only: bool = Field(False, description="提问说“不考虑调休/节假日”时为 true")


def _deadline(start: str, rule_id: str | None = None, period: str | None = None,
              today: str | None = None, include_start: bool = False,
              weekends_only: bool = False) -> dict[str, Any]:
    rule = load_rules().get(rule_id) if rule_id else None
    if rule is None and not period:
        raise CalcError("请给出 rule_id 或 period（give a rule_id or a period such as 45日）")
    return _out(compute_deadline(rule, start, period=period, today=today,
                                 include_start=include_start, weekends_only=weekends_only))


class SelfCheckArgs(BaseModel):
    profile: dict[str, Any] = Field(
        description="location（柳州/聊城…）、subject（enterprise/park）、revenue、tax、area、core_area、institutions、occupancy、staff 等"
    )


def _self_check(profile: dict[str, Any]) -> dict[str, Any]:
    report = self_check_report(profile)
    return {**report.to_json(), "text": report.render()}


# (module attribute, tool name, function, arguments, description). The StructuredTools are built
# on first use: importing langchain_core.tools (and langsmith with it) costs ~0.45 s, and the
# offline chain, the CLI and the self-check use only the functions above.
_TOOL_SPECS: tuple[tuple[str, str, Callable[..., dict[str, Any]], type[BaseModel], str], ...] = (
    ("reward_tier", "reward_tier", _reward_tier, RewardTierArgs,
     "按主营业务收入查柳州经济贡献奖励档次（含界限词与“不超过”上限）。"),
    ("check_thresholds_tool", "check_thresholds", _check_thresholds, CheckThresholdsArgs,
     "逐项核对申报条件（数值、要求、是否达到、差距），多条规则时给出合并后的最严要求。"),
    ("per_unit_reward_tool", "per_unit_reward", _per_unit_reward, PerUnitArgs,
     "按家计算奖励并套用总额上限（招商团队奖励、上规入统奖励）。"),
    ("per_year_total_tool", "per_year_total", _per_year_total, PerYearArgs,
     "按年安排的资金在若干年度内的合计（每年金额 × 年数，只计原文所列年度）。"),
    ("deadline", "deadline", _deadline, DeadlineArgs,
     "从起算日计算期限届满日（自然日、工作日含法定节假日调休、年）、周期评估时点。"),
    ("self_check_tool", "self_check", _self_check, SelfCheckArgs,
     "按档案（所在地、营收、面积、机构数…）核对所有相关条款，列出结论、差距和缺少的信息。"),
)


@cache
def all_tools() -> tuple[StructuredTool, ...]:
    """The calculator as LangChain tools, built once."""
    from langchain_core.tools import StructuredTool

    return tuple(
        StructuredTool.from_function(func=_safe(func), name=name, args_schema=args, description=description)
        for _, name, func, args, description in _TOOL_SPECS
    )


if TYPE_CHECKING:
    reward_tier: StructuredTool
    check_thresholds_tool: StructuredTool
    per_unit_reward_tool: StructuredTool
    per_year_total_tool: StructuredTool
    deadline: StructuredTool
    self_check_tool: StructuredTool
    TOOLS: tuple[StructuredTool, ...]
else:

    def __getattr__(name: str) -> Any:
        """`TOOLS` and each tool by its module name, as before they were built lazily."""
        if name == "TOOLS":
            return all_tools()
        for position, spec in enumerate(_TOOL_SPECS):
            if spec[0] == name:
                return all_tools()[position]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_tool(name: str) -> StructuredTool:
    tools = all_tools()
    for t in tools:
        if t.name == name:
            return t
    raise CalcError(f"没有工具 {name}（unknown tool '{name}'; choose one of: {', '.join(t.name for t in tools)}）")


def run_tool(name: str, args: Mapping[str, Any]) -> ToolCall:
    """Invoke a tool and record the call for `Answer.tools`."""
    output = get_tool(name).invoke(dict(args))
    return ToolCall(name=name, input=_jsonable(dict(args)), output=output)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
