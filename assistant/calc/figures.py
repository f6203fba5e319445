"""Which input each figure of a free-text question fills.

`label_quantities` reads the figures (quantities_in_text.extract_quantities) and sets, for each:
- `field`: the input it fills, from the nearest telling word in its clause (营收6亿元 → revenue);
- `scope`: the branch park it is about, when the question lists parks one by one
  ("核心区入驻22家…分园区A 12家、55%" → core_institutions; branch_institutions with scope 分园区A),
  or 每家 for an amount said of every enterprise counted ("12家…纳税都超过200万");
- `role = "bar"`: the yardstick asked about rather than the asker's value ("…够不够60%？"); such a
  figure fills no field.
`collect_inputs` turns the labelled figures into raw inputs: first mention wins, per-branch
inputs collect one value per branch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from assistant.calc.numbers import Quantity
from assistant.calc.quantities_in_text import extract_quantities
from assistant.calc.rewards import EACH
from assistant.calc.rule_inputs import BRANCH_INPUTS
from assistant.errors import CalcError

_DELIMS = "，。；;,！？!?\n：:"
_SENTENCE_END = "。；;！？!?\n"
# (kind, unit or "", field, words). The hint whose word sits nearest the figure in its clause
# wins; on a tie the earlier (more specific) hint does.
_FIELD_HINTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("amount", "", "tax", ("纳税", "税收", "缴税", "税额")),
    ("amount", "", "park_revenue", ("园区营收", "园区年营业收入", "园区营业收入", "产业园营收",
                                    "产业园年营业收入", "园区年营收", "园区收入")),
    ("amount", "", "revenue", ("营收", "营业收入", "收入", "销售额")),
    ("area", "", "core_area", ("核心园区", "核心区", "核心")),
    ("area", "", "total_area", ("总面积", "总建筑面积", "合计")),
    ("area", "", "occupied_area", ("入驻面积", "办公面积", "已入驻", "入驻", "出租", "使用面积")),
    ("area", "", "area", ("面积", "建筑", "园区", "平方", "㎡")),
    ("count", "", "already_paid", ("已经发", "已发", "已经奖励", "已奖励", "已经奖了", "已奖", "已经给", "已给")),
    ("count", "个", "branch_count", ("分园区", "分园")),
    ("count", "个", "park_count", ("园区",)),
    ("count", "家", "regulated_enterprises", ("上规", "规上", "入统")),
    ("count", "家", "qualifying_enterprises", ("新引进", "引进", "新企业", "新入园")),
    ("count", "家", "core_institutions", ("核心",)),
    ("count", "家", "branch_institutions", ("分园",)),
    ("count", "家", "institutions", ("机构", "入驻")),
    ("count", "人", "staff", ("专职", "工作人员", "员工", "人员")),
    ("percent", "", "core_occupancy", ("核心",)),
    ("percent", "", "branch_occupancy", ("分园",)),
    ("percent", "", "occupancy", ("占", "比例", "入驻", "出租", "面积")),
    ("duration", "", "regulated_duration", ("在库", "上规", "入统", "规上")),
    ("date", "", "application_date", ("申请", "申报", "收到")),
    ("date", "", "publicity_start", ("公示",)),
    ("date", "", "recognition_date", ("认定", "批复")),
    ("date", "", "revocation_date", ("取消", "撤销")),
)
_DEFAULT_FIELD = {("percent", "%"): "occupancy", ("count", "人"): "staff", ("count", "家"): "institutions"}

# Question words right before a figure make it the bar asked about: "够不够60%", "是否达到4000平方米".
_BAR_BEFORE = re.compile(
    r"(?:够不够|达不达到|达没达到|有没有达到|是否达到|能否达到|能不能达到|可否达到|是不是达到|"
    r"满不满足|是否满足|能否满足|能不能满足|满足|是否超过|有没有超过|超没超过|超不超过|到不到|"
    r"是否够|有没有|是否有|是不是有|离|距离|距)(?:到|了|上)?[ \t]*$"
)
# …or words right after it: "60%的标准", "60%这条线";
_BAR_AFTER = re.compile(r"^[ \t]*(?:的|这个|这条|这一)?(?:标准|要求|门槛|红线|条件|线)")
# …or a question particle after it when a verb of reaching comes before: "要达到60%吗", "超过了4000平方米没有".
_BAR_ASKED = re.compile(r"^[ \t]*了?(?:吗|么|没有|没)(?:$|[？?，,。！!])")
_REACH = re.compile(r"达到|满足|超过|要求|需要|必须|够|到了")
# A figure the question checks against the text, not one it gives: "顶格都是90万吗", "是不是90万".
_CHECKED_BEFORE = re.compile(r"(?:是不是|是否为|是否是)[ \t]*$")
_CHECKED_SAID = re.compile(r"是[ \t]*$")
_CHECKED_AFTER = re.compile(r"^[ \t]*(?:吗|么|嘛)")
# Two figures written as one span ("满1年不满2年", "3000万至5000万"): the condition of a tier
# named by its own words, not a value to compute with.
_SPAN_BETWEEN = re.compile(r"^[ \t]*(?:（含）|\(含\)|以上)?[ \t]*(?:不满|不足|不到|至|到|~|～|－|—|-)[ \t]*$")


def checked_or_span(text: str, figures: Sequence[Quantity]) -> set[int]:
    """Positions in `figures` of those the question names rather than gives: a figure it asks
    about ("都是90万吗") and both ends of a span written as a tier's condition ("满1年不满2年")."""
    out: set[int] = set()
    for i, q in enumerate(figures):
        before, after = text[: q.span[0]], text[q.span[1] :]
        if _CHECKED_BEFORE.search(before) or (_CHECKED_SAID.search(before) and _CHECKED_AFTER.match(after)):
            out.add(i)
    for i, (a, b) in enumerate(zip(figures, figures[1:], strict=False)):
        if a.kind == b.kind and a.kind != "date" and _SPAN_BETWEEN.match(text[a.span[1] : b.span[0]]):
            out.update((i, i + 1))
    return out


# Inputs whose value follows from others: a figure equal to a rule's bar for such an input, when
# the question also gives what it follows from, is the bar quoted, not a second value.
_DERIVED_FROM: dict[str, tuple[tuple[str, str], ...]] = {
    "occupancy": (("occupied_area", "area"), ("occupied_area", "total_area")),
}

_CORE_MARK = re.compile(r"核心园区|核心区|核心园|主园区")
# A branch park that figures follow: "分园区A 12家", "第二个分园区入驻9家", "两个分园区分别…".
# "3个分园区，" or "分园区数量" name the branches, they do not open a list of their figures.
_BRANCH_MARK = re.compile(
    r"(?P<ord>第[一二三四五六七八九十\d]{1,2}个)?(?:分园区|分园)"
    r"(?P<name>[A-Za-zＡ-Ｚ甲乙丙丁](?![A-Za-z])|\d(?![\d.]*[ \t]*(?:家|个|%|％|平|㎡|万|亿|人)))?"
)
_NOT_A_LIST = re.compile(r"^[ \t]*(?:数量|个数|数|原则|不超过|最多|不得|以内|[，。；;,！？!?\n：:]|$)")
_NOT_CORE_FIGURES = re.compile(r"^[ \t]*(?:加|和|与|及|、|[，。；;,！？!?\n：:]|$)")
_CORE_FIELDS = {"institutions": "core_institutions", "occupancy": "core_occupancy", "area": "core_area"}
_BRANCH_FIELDS = {"institutions": "branch_institutions", "occupancy": "branch_occupancy", "area": "branch_area"}
# An amount after a count and one of these words is said of every unit counted (scope EACH).
_EACH_WORDS = re.compile(r"都|均|每家|各家|全部|全都|每一家|每个企业")
# A per-branch figure after one of these words is said of every branch counted ("两个分园区各2000平方米").
_EACH_BRANCH_WORDS = re.compile(r"各|都|均|每个")
EACH_BRANCH = "各分园区"  # Quantity.scope of such a figure until collect_inputs repeats it per branch


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    left = start
    while left > 0 and text[left - 1] not in _DELIMS:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _DELIMS:
        right += 1
    return text[left:start], text[end:right]


def _distance(word: str, before: str, after: str, measures: tuple[str, ...] = ()) -> int | None:
    """How far a hint word is from the figure; before it, other words naming a measure of the
    same kind do not count ("核心区建筑面积3500平米": 核心区 is as near as 面积)."""
    found = []
    if (i := before.rfind(word)) >= 0:
        gap = before[i + len(word):]
        for other in sorted(measures, key=len, reverse=True):
            gap = gap.replace(other, "")
        found.append(len(gap))
    if (j := after.find(word)) >= 0:
        found.append(j)
    return min(found) if found else None


def _guess_field(text: str, q: Quantity) -> str | None:
    """The input a figure fills, from the nearest telling word in its clause (营收6亿元 → revenue)."""
    if q.years:
        return "years"
    before, after = _clause(text, *q.span)
    best: tuple[int, int, str] | None = None
    measures = tuple(w for kind, unit, _, words in _FIELD_HINTS if kind == q.kind == "area" for w in words)
    for rank, (kind, unit, field, words) in enumerate(_FIELD_HINTS):
        if kind != q.kind or (unit and unit != q.unit):
            continue
        distances = [d for w in words if (d := _distance(w, before, after, measures)) is not None]
        if distances and (best is None or (min(distances), rank) < best[:2]):
            best = (min(distances), rank, field)
    return best[2] if best else _DEFAULT_FIELD.get((q.kind, q.unit))


def _scopes(text: str) -> list[tuple[int, str, str | None]]:
    """(position, core | branch, branch name) of each part of a park whose figures follow; empty
    unless the question speaks of branch parks (only then are the core's figures told apart)."""
    if not _BRANCH_MARK.search(text):
        return []
    branches = [(m.end(), "branch", m.group(0) if m.group("ord") or m.group("name") else None)
                for m in _BRANCH_MARK.finditer(text) if not _NOT_A_LIST.match(text[m.end():])]
    cores = [(m.end(), "core", None) for m in _CORE_MARK.finditer(text) if not _NOT_CORE_FIGURES.match(text[m.end():])]
    return sorted([*branches, *cores])


def _scope_at(text: str, scopes: list[tuple[int, str, str | None]], start: int) -> tuple[str, str | None] | None:
    """The part of the park a figure at `start` is about: the last one named before it in the
    same sentence."""
    current = None
    for pos, part, name in scopes:
        if pos > start:
            break
        current = (pos, part, name)
    if current is None or any(ch in _SENTENCE_END for ch in text[current[0] : start]):
        return None
    return current[1], current[2]


def _asked(text: str, q: Quantity) -> bool:
    """Is the figure the bar the question asks about ("够不够60%") rather than a value?"""
    if q.kind == "date" or q.years:
        return False
    before, after = _clause(text, *q.span)
    return bool(_BAR_BEFORE.search(before) or _BAR_AFTER.match(after)
                or (_BAR_ASKED.match(after) and _REACH.search(before)))


def _bars() -> dict[str, frozenset[Decimal]]:
    """Every rule's bar per input (占比 60%, 50% …); load_rules caches the rules themselves."""
    from assistant.calc.rules import load_rules

    found: dict[str, set[Decimal]] = {}
    try:
        rules = load_rules()
    except CalcError:
        return {}
    for rule in rules:
        for c in (*rule.criteria, *rule.conditions, *([rule.qualify] if rule.qualify else [])):
            found.setdefault(c.input, set()).add(c.value)
    return {k: frozenset(v) for k, v in found.items()}


def label_quantities(text: str, *, today: dt.date | None = None) -> list[Quantity]:
    """`extract_quantities` with each figure's `field` guessed from the words around it:
    "营收6亿元，核心区4500平方米，入驻16家，占比62%" → revenue, core_area, institutions,
    occupancy; plus `scope` and `role` (see the module docstring). A guess: the chain may
    override it from the conversation. `today` fixes the year of dates written without one."""
    scopes = _scopes(text)
    labelled: list[Quantity] = []
    for q in extract_quantities(text, today=today):
        field = _guess_field(text, q)
        scope: str | None = None
        where = _scope_at(text, scopes, q.span[0]) if field else None
        if where and where[0] == "core":
            field = _CORE_FIELDS.get(field or "", field)
        elif where and field in _BRANCH_FIELDS:
            field, scope = _BRANCH_FIELDS[field], where[1]
        elif where and field in BRANCH_INPUTS:
            scope = where[1]
        if q.kind == "amount" and _said_of_each(text, labelled, q):
            scope = EACH
        if field in BRANCH_INPUTS and scope is None and _said_of_each_branch(text, labelled, q):
            scope = EACH_BRANCH
        labelled.append(replace(q, field=field, scope=scope))
    return _mark_bars(text, labelled)


def _said_of_each(text: str, earlier: list[Quantity], q: Quantity) -> bool:
    """"12家新企业，首年纳税都超过200万": 都 between the last figure and this amount, a count before."""
    if not any(p.kind == "count" for p in earlier):
        return False
    before, _ = _clause(text, *q.span)
    start = max([q.span[0] - len(before), *(p.span[1] for p in earlier if p.span[1] <= q.span[0])])
    return bool(_EACH_WORDS.search(text[start : q.span[0]]))


def _said_of_each_branch(text: str, earlier: list[Quantity], q: Quantity) -> bool:
    """"两个分园区各2000平方米": 各 between the branch count and this figure."""
    counts = [p for p in earlier if p.field == "branch_count"]
    return bool(counts) and bool(_EACH_BRANCH_WORDS.search(text[counts[-1].span[1]: q.span[0]]))


def _mark_bars(text: str, labelled: list[Quantity]) -> list[Quantity]:
    """Figures asked about ("够不够60%") fill no field; nor does a figure equal to a rule's bar
    for an input that the question's other figures already give or derive (a per-branch input
    has several values, so another one is no sign)."""
    asked = [_asked(text, q) for q in labelled]
    out = []
    for q, is_asked in zip(labelled, asked, strict=True):
        if q.field and not is_asked and isinstance(q.value, Decimal) and q.value in _bars().get(q.field, ()):
            others = {p.field for p, a in zip(labelled, asked, strict=True) if p is not q and not a and p.field}
            derivable = any(set(pair) <= others for pair in _DERIVED_FROM.get(q.field, ()))
            is_asked = derivable or (q.field in others and q.field not in BRANCH_INPUTS)
        out.append(replace(q, field=None, role="bar") if is_asked else q)
    return out


def collect_inputs(figures: Iterable[Quantity]) -> dict[str, Any]:
    """Raw inputs from labelled figures: the first mention of a field wins, except per-branch
    inputs, which take one value per branch in order (分园区A 12家、分园区B 9家 → [12家, 9家])."""
    out: dict[str, Any] = {}
    for q in figures:
        if not q.field:
            continue
        if q.field in BRANCH_INPUTS and q.scope == EACH_BRANCH and isinstance(out.get("branch_count"), Quantity):
            # said of every branch: one value per branch counted
            out.setdefault(q.field, []).extend([replace(q, scope=None)] * int(out["branch_count"].number))
        elif q.field in BRANCH_INPUTS:
            out.setdefault(q.field, []).append(q)
        elif q.field not in out:
            out[q.field] = q
    return out


def profile_from_text(text: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """The figures of a question keyed by field, ready for self_check (see collect_inputs)."""
    return collect_inputs(label_quantities(text, today=today))
