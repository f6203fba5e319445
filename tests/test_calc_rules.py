"""Rules as data: every rule loads, cites a real article, and every number and phrase in it
is in that article's text (read through the real ingest + structure stages)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from assistant.calc.numbers import KINDS
from assistant.calc.quantities_in_text import extract_quantities
from assistant.calc.rule_inputs import INPUTS
from assistant.calc.rule_types import Rule
from assistant.calc.rules import boundary_of, load_rules
from assistant.errors import CalcError
from assistant.ingest import load_document
from assistant.structure import chunk_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RULES = load_rules(CORPUS / "rules")


@cache
def _chunks(doc_id: str) -> dict[str, str]:
    matches = [p for p in CORPUS.iterdir() if p.stem == doc_id and p.suffix in (".txt", ".pdf", ".docx")]
    assert matches, f"no corpus file for doc_id {doc_id}"
    return {c.article: c.text for c in chunk_document(load_document(matches[0]))}


def article_text(rule: Rule) -> str:
    """The cited article (with its 款/项 chunks, if the chunker split it), whitespace removed."""
    chunks = _chunks(rule.doc_id)
    parts = [t for label, t in chunks.items() if label == rule.article or label.startswith(rule.article + "（")]
    assert parts, f"{rule.id}: article {rule.article} not in {rule.doc_id} (labels: {list(chunks)})"
    return _squash("\n".join(parts))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _figures(text: str) -> set[tuple[str, Decimal, str]]:
    return {(q.kind, q.number, q.unit) for q in extract_quantities(text) if q.kind != "date"}


def rule_numbers(rule: Rule) -> list[tuple[str, Decimal, str]]:
    """Every number a rule holds, as (kind, value, unit) — the unit only where it matters."""
    out: list[tuple[str, Decimal, str]] = []
    for t in rule.tiers:
        out += [("amount", v, "元") for v in (t.min, t.max, t.reward) if v is not None]
    for c in (*rule.criteria, *([rule.qualify] if rule.qualify else [])):
        out.append((c.kind, c.value, c.unit if c.kind in ("count", "duration") else INPUTS[c.input].unit))
    for c in rule.conditions:
        out.append((c.kind, c.value, c.unit))
    out += [("amount", v, "元") for v in (rule.per_unit, rule.cap, rule.per_year) if v is not None]
    out += [("amount", p.amount, "元") for p in rule.parts]
    if rule.period is not None:
        out.append(("duration", rule.period.number, rule.period.unit))
    return out


def rule_phrases(rule: Rule) -> list[str]:
    phrases = [rule.cumulative_phrase, rule.upgrade_phrase, rule.condition_phrase, rule.per_unit_phrase,
               rule.cap_phrase, rule.phrase, rule.due]
    phrases += [p for t in rule.tiers for p in (t.phrase, t.bounds)]
    phrases += [c.phrase for c in (*rule.criteria, *rule.conditions)] + ([rule.qualify.phrase] if rule.qualify else [])
    phrases += [p.phrase for p in rule.parts]
    return [p for p in phrases if p]


IDS = [r.id for r in RULES]


def test_the_rule_set_covers_the_issue() -> None:
    assert {
        "liuzhou.economic_contribution", "liuzhou.investment_team", "liuzhou.regulated_enterprise",
        "guangxi.application.single_park", "guangxi.application.multi_park",
        "guangxi.evaluation_deadline", "guangxi.publicity", "guangxi.comprehensive_evaluation",
        "guangxi.annual_self_assessment", "guangxi.excellent_support", "guangxi.revocation",
        "liaocheng.application", "liaocheng.publicity", "liaocheng.evaluation_cycle",
        "liaocheng.self_assessment", "liaocheng.reapply_ban",
    } <= set(IDS)
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("rule", list(RULES), ids=IDS)
def test_every_number_appears_in_the_cited_article(rule: Rule) -> None:
    text = article_text(rule)
    figures = _figures(text)
    numbers = rule_numbers(rule)
    assert numbers or rule.due, f"{rule.id} holds no number"  # 当年6月底 is checked as a phrase
    for number in numbers:
        assert number in figures, f"{rule.id}: {number} not in {rule.doc_id} {rule.article}"
    if rule.year_span:
        spans = {q.years for q in extract_quantities(text) if q.years}
        assert rule.year_span in spans, f"{rule.id}: years {rule.year_span} not in {rule.doc_id} {rule.article}"


@pytest.mark.parametrize("rule", list(RULES), ids=IDS)
def test_every_phrase_is_quoted_verbatim(rule: Rule) -> None:
    text = article_text(rule)
    for phrase in rule_phrases(rule):
        assert _squash(phrase) in text, f"{rule.id}: “{phrase}” not in {rule.doc_id} {rule.article}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.criteria or r.qualify or r.conditions], ids=lambda r: r.id)
def test_each_criterion_number_is_in_its_own_phrase(rule: Rule) -> None:
    for c in (*rule.criteria, *rule.conditions, *([rule.qualify] if rule.qualify else [])):
        assert c.value in {n for _, n, _ in _figures(c.phrase)}, f"{rule.id}: {c.value} not in “{c.phrase}”"
        assert c.basis, f"{rule.id}: {c.input} records no boundary basis"


def test_article_labels_follow_each_documents_style() -> None:
    for rule in RULES:
        if rule.doc_id == "liuzhou-2024-park-measures":
            assert re.fullmatch(r"[一二三四五六七八九十]+（[一二三四五六七八九十]+）\d+", rule.article), rule.id
        else:
            assert re.fullmatch(r"第[一二三四五六七八九十]+条", rule.article), rule.id


def test_tier_boundaries_are_recorded_as_the_text_says() -> None:
    rule = RULES.get("liuzhou.economic_contribution")
    assert [(t.min_inclusive, t.max_inclusive) for t in rule.tiers[:-1]] == [(True, False)] * 5
    last = rule.tiers[-1]
    assert (last.min, last.max, last.min_inclusive, last.cap) == (Decimal(3000000000), None, True, False)
    assert [t.cap for t in rule.tiers] == [True] * 5 + [False]
    assert all(t.basis for t in rule.tiers)
    assert "不得重复享受" in rule.cumulative_phrase and "下一个档次" in rule.upgrade_phrase


def test_statutory_boundary_words() -> None:
    # 民法典第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it.
    assert boundary_of("60%以上")[0] == ">="
    assert "民法典" in boundary_of("60%以上")[1]
    assert boundary_of("3人以下")[0] == "<="
    assert boundary_of("45日以内")[0] == "<="
    assert boundary_of("超过2个")[0] == ">"
    assert boundary_of("不满3年")[0] == "<"
    assert boundary_of("不超过2个")[0] == "<="  # not read as 超过
    assert boundary_of("不少于5000平方米(含)") == (">=", "“不少于”含本数；文中注明（含）")
    assert boundary_of("园区面积") == (None, "")
    with pytest.raises(CalcError):
        boundary_of("超过5000平方米（含）")


# ---------------------------------------------------------------- the loader refuses bad rules

GOOD = """
id: t.rule
doc_id: liaocheng-city-park
article: 第六条
kind: thresholds
criteria:
  - {input: staff, op: ">=", value: 3人, phrase: 专职工作人员不少于3人}
"""


def _load(tmp_path: Path, text: str) -> None:
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    load_rules(tmp_path)


def test_a_single_rule_file_in_the_design_format_loads(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(GOOD, encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.ids() == ["t.rule"]
    assert isinstance(rules.get("t.rule").criteria[0].value, Decimal)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("op: \">=\"", "op: \">\""), "与原文"),  # 不少于 includes the number
        (("专职工作人员不少于3人", "专职工作人员3人"), "没有界限词"),
        (("input: staff", "input: staf"), "未知输入"),
        (("value: 3人", "value: 三百平方米"), "规则文件有误"),
        (("article: 第六条", "article: 第6条"), "条款标签"),
        (("kind: thresholds", "kind: formula"), "kind"),
        (("id: t.rule\n", ""), "缺少 id"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(CalcError, match=message):
        _load(tmp_path, GOOD.replace(*change))


TIERS = """
id: t.tiers
doc_id: liuzhou-2024-park-measures
article: 二（二）5
kind: tiers
input: {name: revenue}
tiers:
  - {min: 2000万元, max: 5000万元, min_inclusive: true, max_inclusive: false, reward: 10万元, cap: true,
     bounds: "包含2000万元，不含5000万元", phrase: "一次性奖励不超过10万元"}
  - {min: 5000万元, min_inclusive: true, reward: 15万元, cap: true,
     bounds: "5000万元及以上", phrase: "一次性奖励不超过15万元"}
"""


def test_tiers_load_when_contiguous(tmp_path: Path) -> None:
    _load(tmp_path, TIERS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("5000万元, min_inclusive: true, reward: 15万元", "6000万元, min_inclusive: true, reward: 15万元"), "空档或重叠"),
        (("max_inclusive: false", "max_inclusive: true"), "含/不含"),
        (("reward: 15万元", "reward: 5万元"), "递增"),
        (("cap: true,\n     bounds: \"包含", "cap: false,\n     bounds: \"包含"), "cap"),
        (("bounds: \"包含2000万元，不含5000万元\"", "bounds: \"包含2000万元\""), "不在"),
    ],
)
def test_bad_tiers_are_refused(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    assert change[0] in TIERS
    text = TIERS.replace(*change)
    if "6000万元" in change[1]:
        text = text.replace("5000万元及以上", "6000万元及以上")
    with pytest.raises(CalcError, match=message):
        _load(tmp_path, text)


def test_unknown_rule_lists_the_choices() -> None:
    with pytest.raises(CalcError, match="liuzhou.economic_contribution"):
        RULES.get("liuzhou.nope")


def test_missing_rules_dir(tmp_path: Path) -> None:
    with pytest.raises(CalcError, match="no rules directory"):
        load_rules(tmp_path / "absent")


def test_inputs_vocabulary_is_typed() -> None:
    assert all(spec.kind in KINDS and spec.label for spec in INPUTS.values())
    assert INPUTS["occupancy"].kind == "percent" and INPUTS["core_area"].unit == "平方米"
