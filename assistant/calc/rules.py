"""Policy rules as data: load and validate `corpus/rules/*.yaml`.

A file is either one rule (the DESIGN format) or a document's rules:

    doc_id: liuzhou-2024-park-measures
    title: …
    places: [柳州]
    rules:
      - id: liuzhou.economic_contribution
        article: 二（二）5
        kind: tiers            # tiers | thresholds | per_unit_capped | deadline | per_year_total
        …

A per-unit rule may carry `conditions` (criteria on facts other than the count, such as
"在库一年"): they are checked when the question gives the figure and listed when it does not.

File-level keys (doc_id, title, places, subject) are defaults for each rule. Loading checks
what a reader of the YAML could get wrong: an unknown input, a value of the wrong kind, an
operator that contradicts the boundary word of its own source phrase ("不少于" must be ">="),
tiers with gaps or overlaps, article labels not in the documents' style.

The named inputs are in `assistant.calc.rule_inputs`; what a rule holds is in
`assistant.calc.rule_types`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assistant import outline
from assistant.calc.number_format import format_value
from assistant.calc.numbers import BOUNDARY_WORDS, Kind, Quantity, normalize_width, parse_quantity
from assistant.calc.rule_inputs import INPUTS, InputSpec
from assistant.calc.rule_types import (
    EFFECTS,
    MEANINGS,
    OPS,
    RULE_KINDS,
    Criterion,
    Part,
    Rule,
    Tier,
)
from assistant.errors import CalcError


def _bad(where: str, msg: str) -> CalcError:
    return CalcError(f"规则文件有误 {where}: {msg}（bad rule {where}: {msg}）")


def boundary_of(phrase: str) -> tuple[str | None, str]:
    """The operator a phrase's boundary words imply, and why.

    An explicit （含）/（不含） in the article decides; otherwise the words, longest first, so
    "不超过" is not read as "超过". Returns (None, "") when the phrase has no boundary word.
    """
    text = normalize_width(phrase)
    taken: list[tuple[int, int]] = []
    ops: list[tuple[str, str]] = []
    for word in sorted(BOUNDARY_WORDS, key=len, reverse=True):
        for m in re.finditer(re.escape(word), text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            ops.append(BOUNDARY_WORDS[word])
    kinds = {op for op, _ in ops}
    if len(kinds) > 1:
        raise CalcError(f"“{phrase}”的界限词互相矛盾（contradictory boundary words in '{phrase}'）")
    op = ops[0][0] if ops else None
    basis = "；".join(dict.fromkeys(b for _, b in ops))
    if re.search(r"[(（]含[)）]", text):
        if op in (">", "<"):
            raise CalcError(f"“{phrase}”注明（含）却用了不含本数的词（'{phrase}'）")
        basis = f"{basis}；文中注明（含）" if basis else "文中注明（含）"
    return op, basis


def _quantity(where: str, value: object, kind: Kind) -> Quantity:
    try:
        return parse_quantity(value, kind)
    except CalcError as exc:
        raise _bad(where, str(exc)) from exc


def _tier(where: str, raw: Mapping[str, Any]) -> Tier:
    lo = _quantity(where, raw["min"], "amount").number if raw.get("min") is not None else None
    hi = _quantity(where, raw["max"], "amount").number if raw.get("max") is not None else None
    tier = Tier(
        min=lo,
        max=hi,
        min_inclusive=bool(raw.get("min_inclusive", True)),
        max_inclusive=bool(raw.get("max_inclusive", False)),
        reward=_quantity(where, raw["reward"], "amount").number,
        cap=bool(raw["cap"]),
        phrase=str(raw["phrase"]),
        bounds=str(raw["bounds"]),
        basis=str(raw.get("basis", "")),
    )
    _check_tier_words(where, tier)
    return tier


_TIER_WORD = re.compile(r"(不包含|不含|包含)\s*([^，,）)]+?)(?:的)?(?=[，,）)]|$)")


def _check_tier_words(where: str, tier: Tier) -> None:
    """The YAML's inclusive flags must say what the article's 包含/不含/及以上 say."""
    said: dict[Decimal, bool] = {}
    for word, figure in _TIER_WORD.findall(tier.bounds):
        said[_quantity(where, figure, "amount").number] = word == "包含"
    m = re.search(r"(.+?)(及以上|以上)$", tier.bounds)
    if m:
        said[_quantity(where, m.group(1), "amount").number] = True
    for bound, inclusive in ((tier.min, tier.min_inclusive), (tier.max, tier.max_inclusive)):
        if bound is None:
            continue
        if bound not in said:
            raise _bad(where, f"界限 {format_value('amount', bound)} 不在“{tier.bounds}”里")
        if said[bound] != inclusive:
            raise _bad(where, f"界限 {format_value('amount', bound)} 的含/不含与“{tier.bounds}”不符")
    if tier.cap != ("不超过" in tier.phrase):
        raise _bad(where, f"cap 与“{tier.phrase}”不符（“不超过”即上限）")


def _criterion(where: str, raw: Mapping[str, Any]) -> Criterion:
    name = str(raw["input"])
    spec = INPUTS.get(name)
    if spec is None:
        raise _bad(where, f"未知输入 {name}")
    q = _quantity(where, raw["value"], spec.kind)
    op = str(raw["op"])
    if op not in OPS:
        raise _bad(where, f"op 应为 {', '.join(OPS)} 之一，而不是 {op}")
    phrase = str(raw["phrase"])
    try:
        implied, basis = boundary_of(phrase)
    except CalcError as exc:
        raise _bad(where, str(exc)) from exc
    if implied is None:
        # "连续3年" has no boundary word; the YAML must then say in `basis` how it reads it.
        if not raw.get("basis"):
            raise _bad(where, f"“{phrase}”里没有界限词（以上、不少于、不超过…），请在 basis 中说明")
        implied, basis = op, str(raw["basis"])
    if implied != op:
        raise _bad(where, f"op {op} 与原文“{phrase}”（{implied}）不符")
    return Criterion(
        input=name,
        label=str(raw.get("label") or spec.label),
        kind=spec.kind,
        op=op,
        value=q.number,
        unit=q.unit or spec.unit,
        phrase=phrase,
        item=str(raw.get("item", "")),
        soft=bool(raw.get("soft", False)),
        basis=basis,
    )


def _spec(where: str, raw: Mapping[str, Any] | None) -> InputSpec | None:
    if not raw:
        return None
    base = INPUTS.get(str(raw["name"]))
    if base is None:
        raise _bad(where, f"未知输入 {raw['name']}")
    return InputSpec(base.name, base.kind, str(raw.get("label") or base.label), base.unit)


def build_rule(raw: Mapping[str, Any], defaults: Mapping[str, Any], where: str) -> Rule:
    data = {**defaults, **raw}
    for key in ("id", "doc_id", "article", "kind"):
        if not data.get(key):
            raise _bad(where, f"缺少 {key}")
    where = f"{where}:{data['id']}"
    kind = str(data["kind"])
    if kind not in RULE_KINDS:
        raise _bad(where, f"kind 应为 {', '.join(RULE_KINDS)} 之一")
    article = str(data["article"])
    if not outline.is_label(article):
        raise _bad(where, f"条款标签“{article}”不合文档写法（第五条 或 二（二）5）")
    tiers = tuple(_tier(where, t) for t in data.get("tiers") or ())
    _check_tiers(where, tiers)
    period = _quantity(where, data["period"], "duration") if data.get("period") else None
    rule = Rule(
        id=str(data["id"]),
        doc_id=str(data["doc_id"]),
        article=article,
        kind=kind,
        label=str(data.get("label", data["id"])),
        title=str(data.get("title", "")),
        places=tuple(str(p) for p in data.get("places") or ()),
        subject=str(data.get("subject", "")),
        notes=tuple(str(n) for n in data.get("notes") or ()),
        input=_spec(where, data.get("input")),
        tiers=tiers,
        cumulative_phrase=str(data.get("cumulative_phrase", "")),
        upgrade_phrase=str(data.get("upgrade_phrase", "")),
        criteria=tuple(_criterion(where, c) for c in data.get("criteria") or ()),
        condition=str(data.get("condition", "")),
        condition_phrase=str(data.get("condition_phrase", "")),
        outcome=str(data.get("outcome", "")),
        effect=str(data.get("effect", "eligibility")),
        recipient=str(data.get("recipient", "")),
        count_input=_spec(where, data.get("count_input")),
        qualify=_criterion(where, data["qualify"]) if data.get("qualify") else None,
        per_unit=_quantity(where, data["per_unit"], "amount").number if data.get("per_unit") else None,
        per_unit_phrase=str(data.get("per_unit_phrase", "")),
        cap=_quantity(where, data["cap"], "amount").number if data.get("cap") else None,
        cap_phrase=str(data.get("cap_phrase", "")),
        start=_spec(where, data.get("start")),
        period=period,
        phrase=str(data.get("phrase", "")),
        meaning=str(data.get("meaning", "within")),
        due=str(data.get("due", "")),
        conditions=tuple(_criterion(where, c) for c in data.get("conditions") or ()),
        per_year=_quantity(where, data["per_year"], "amount").number if data.get("per_year") else None,
        year_span=_year_span(where, data["years"]) if data.get("years") else None,
        parts=tuple(Part(_quantity(where, p["amount"], "amount").number, str(p["phrase"]))
                    for p in data.get("parts") or ()),
    )
    _check_kind(where, rule)
    return rule


def _year_span(where: str, raw: object) -> tuple[int, int]:
    span = _quantity(where, raw, "duration").years
    if span is None:
        raise _bad(where, f"years 应为年度区间（如 2024年-2026年），而不是 {raw}")
    return span


def _check_tiers(where: str, tiers: tuple[Tier, ...]) -> None:
    """Contiguous, no overlap, rewards rising: each tier starts exactly where the last ended."""
    for lower, upper in zip(tiers, tiers[1:], strict=False):
        if lower.max is None or lower.max != upper.min:
            raise _bad(where, "档次之间有空档或重叠")
        if lower.max_inclusive == upper.min_inclusive:
            raise _bad(where, f"{format_value('amount', lower.max)} 同时属于或同时不属于相邻两档")
        if upper.reward <= lower.reward:
            raise _bad(where, "奖励应随档次递增")
    if tiers and tiers[-1].max is not None:
        raise _bad(where, "最高档应无上限（及以上）")


def _check_kind(where: str, rule: Rule) -> None:
    needs = {
        "tiers": rule.input is not None and bool(rule.tiers),
        "thresholds": bool(rule.criteria),
        "per_unit_capped": rule.per_unit is not None and rule.count_input is not None,
        "deadline": rule.start is not None and (rule.period is not None or bool(rule.due)),
        "per_year_total": rule.input is not None and rule.per_year is not None and rule.year_span is not None,
    }
    if not needs[rule.kind]:
        raise _bad(where, f"{rule.kind} 规则缺少必需字段")
    if rule.parts and sum(p.amount for p in rule.parts) != rule.per_year:
        raise _bad(where, "parts 各项之和应等于 per_year")
    if rule.condition not in ("", "single", "multiple"):
        raise _bad(where, "condition 应为 single 或 multiple")
    if rule.meaning not in MEANINGS or rule.effect not in EFFECTS:
        raise _bad(where, f"meaning 应为 {', '.join(MEANINGS)} 之一，effect 应为 {', '.join(EFFECTS)} 之一")


def _documents(path: Path) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _bad(path.name, f"无法读取：{exc}") from exc
    if not isinstance(data, Mapping):
        raise _bad(path.name, "顶层应为映射")
    if "rules" in data:
        defaults = {k: v for k, v in data.items() if k != "rules"}
        for raw in data["rules"] or ():
            yield raw, defaults
    else:
        yield data, {}


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise CalcError(
            f"没有规则 {rule_id}（unknown rule '{rule_id}'; choose one of: {', '.join(self.ids())}）"
        )

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def default_rules_dir() -> Path:
    from assistant.settings import get_settings

    return Path(get_settings().corpus_dir) / "rules"


_CACHE: dict[tuple[str, tuple[tuple[str, float], ...]], RuleSet] = {}


def load_rules(rules_dir: Path | str | None = None) -> RuleSet:
    """Every rule under `rules_dir` (default: corpus/rules). Cached until a file changes."""
    directory = Path(rules_dir) if rules_dir else default_rules_dir()
    if not directory.is_dir():
        raise CalcError(f"没有规则目录 {directory}（no rules directory at {directory}）")
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    key = (str(directory.resolve()), tuple((f.name, f.stat().st_mtime) for f in files))
    if key in _CACHE:
        return _CACHE[key]
    rules: list[Rule] = []
    for path in files:
        for raw, defaults in _documents(path):
            if not isinstance(raw, Mapping):
                raise _bad(path.name, "每条规则应为映射")
            rules.append(build_rule(raw, defaults, path.name))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise _bad(rule.id, "规则 id 重复")
        seen.add(rule.id)
    _CACHE[key] = RuleSet(tuple(rules))
    return _CACHE[key]


def get_rule(rule_id: str, rules_dir: Path | str | None = None) -> Rule:
    return load_rules(rules_dir).get(rule_id)
