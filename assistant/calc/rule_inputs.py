"""The named inputs a reviewed rule reads (revenue, core_area, application_date …), shared by the
rules, profiles, tools and the CLI (--core-area → core_area), and how a raw value for one of
them becomes a figure of its kind and unit (one value, or one per branch park / enterprise).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.calc.numbers import Kind, Quantity, parse_quantity
from assistant.errors import CalcError


@dataclass(frozen=True)
class InputSpec:
    name: str
    kind: Kind
    label: str
    unit: str = ""
    also: tuple[str, ...] = ()  # other units accepted (a duration in 月 may be given in 年)


# The vocabulary shared by rules, profiles, tools and the CLI (--core-area → core_area).
INPUTS: dict[str, InputSpec] = {
    s.name: s
    for s in (
        InputSpec("revenue", "amount", "企业主营业务收入", "元"),
        InputSpec("previous_revenue", "amount", "已享受奖励时的主营业务收入", "元"),
        InputSpec("park_revenue", "amount", "园区年营业收入", "元"),
        InputSpec("tax", "amount", "新引进入园企业首次年纳税总额", "元"),
        InputSpec("already_awarded", "amount", "此项已发放奖励总额", "元"),
        InputSpec("already_paid", "count", "此项已奖励的对象数", "个"),
        InputSpec("qualifying_enterprises", "count", "首次年纳税达标的新引进入园企业数", "家"),
        InputSpec("regulated_enterprises", "count", "上规入统且在库满一年的企业数", "家"),
        InputSpec("area", "area", "园区建筑面积", "平方米"),
        InputSpec("core_area", "area", "核心区建筑面积", "平方米"),
        InputSpec("total_area", "area", "园区总面积", "平方米"),
        InputSpec("occupied_area", "area", "入驻面积", "平方米"),
        InputSpec("park_count", "count", "园区数量", "个"),
        InputSpec("branch_count", "count", "分园区数量", "个"),
        InputSpec("institutions", "count", "入驻人力资源服务机构", "家"),
        InputSpec("core_institutions", "count", "核心园区入驻人力资源服务机构", "家"),
        InputSpec("branch_institutions", "count", "每个分园区入驻人力资源服务机构", "家"),
        InputSpec("occupancy", "percent", "入驻面积占比", "%"),
        InputSpec("core_occupancy", "percent", "核心园区入驻面积占比", "%"),
        InputSpec("branch_occupancy", "percent", "每个分园区入驻面积占比", "%"),
        InputSpec("branch_area", "area", "每个分园区建筑面积", "平方米"),
        InputSpec("staff", "count", "专职工作人员", "人"),
        InputSpec("regulated_duration", "duration", "上规入统后在库时间", "月", also=("年",)),
        InputSpec("years", "duration", "年度（如2024-2026年）", "年"),
        InputSpec("excellent_years", "duration", "连续年度考核优秀年数", "年"),
        InputSpec("fail_years", "duration", "连续年度考核不合格年数", "年"),
        InputSpec("application_date", "date", "收到申请之日"),
        InputSpec("publicity_start", "date", "公示开始之日"),
        InputSpec("recognition_date", "date", "批复认定（批准设立）之日"),
        InputSpec("revocation_date", "date", "取消资格之日"),
        InputSpec("assessment_date", "date", "自评所属年度（该年任一日期）"),
    )
}
# Inputs that may hold one value per branch park; every one of them must meet the criterion.
LIST_INPUTS = frozenset({"branch_institutions", "branch_occupancy", "branch_area", "tax"})
# Of those, the ones with one value per branch park (a question lists them branch by branch).
BRANCH_INPUTS = frozenset({"branch_institutions", "branch_occupancy", "branch_area"})


def coerce_input(name: str, value: object) -> Quantity | list[Quantity]:
    """Parse a raw value for a known input; a list for per-branch / per-enterprise inputs."""
    spec = INPUTS.get(name)
    if spec is None:
        raise CalcError(
            f"未知的输入项 {name}（unknown input '{name}'; choose one of: {', '.join(INPUTS)}）"
        )
    if isinstance(value, (list, tuple)):
        if name not in LIST_INPUTS:
            raise CalcError(f"{spec.label}只能填一个值（'{name}' takes one value, not a list）")
        if not value:
            raise CalcError(f"{spec.label}的列表为空（'{name}' is an empty list）")
        return [_coerce_one(spec, v) for v in value]
    return _coerce_one(spec, value)


def coerce_one(name: str, value: object) -> Quantity:
    """Like coerce_input, for inputs that take exactly one value."""
    q = coerce_input(name, value)
    if isinstance(q, list):
        raise CalcError(f"{INPUTS[name].label}只能填一个值（'{name}' takes one value, not a list）")
    return q


def _coerce_one(spec: InputSpec, value: object) -> Quantity:
    if spec.kind == "duration" and isinstance(value, (int, str)) and str(value).strip().isdigit():
        value = f"{value}{spec.unit}"  # "连续3年" typed as 3
    if spec.kind == "count" and isinstance(value, str) and value.strip().isdigit():
        value = f"{value.strip()}{spec.unit}"
    q = parse_quantity(value, spec.kind)
    if spec.kind == "count" and not q.unit:
        q = replace(q, unit=spec.unit)
    if spec.kind == "duration" and q.unit != spec.unit and q.unit not in spec.also:
        units = (spec.unit, *spec.also)
        raise CalcError(f"{spec.label}应以{'或'.join(units)}计，而不是“{q.text}”"
                        f"（'{spec.name}' is counted in {' or '.join(units)}）")
    return q
