"""A park-wide check: one row per enterprise or park (CSV), every rule each row touches.

Columns are rule inputs or their aliases (营收, 建筑面积, 入驻机构数 …) plus `location`/`subject`;
a 名称/name/id column names the row. A column no rule knows is reported, never an error; a row
whose figures cannot be read is reported with its reason and the other rows are still computed;
a condition the data cannot show (在库一年) makes a result 待核实 (unverified), never met.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import CalcError

NAME_COLUMNS = ("名称", "name", "企业名称", "园区名称", "单位名称", "id", "编号")
STATUS_WORDS = {
    "met": "符合", "not_met": "不符合", "soft_not_met": "原则上不符合", "incomplete": "缺少数据",
    "info": "说明", "unverified": "待核实",
}
CSV_COLUMNS = ("行", "名称", "规则", "结论", "说明", "依据", "缺少")


def unused_inputs(profile: Mapping[str, Any], results: Sequence[Any]) -> list[str]:
    """Filled inputs that changed no input of any result's rule (directly or by derivation)."""
    from assistant.calc.rules import load_rules
    from assistant.calc.tools import normalize_profile

    rules = load_rules()
    read = {name for r in results if r.rule_id in rules.ids() for name in rules.get(r.rule_id).inputs}
    full, _ = normalize_profile(profile)
    unused = []
    for name in profile:
        if name in read:
            continue
        without, _ = normalize_profile({k: v for k, v in profile.items() if k != name})
        if all(str(full.get(k)) == str(without.get(k)) for k in read):
            unused.append(name)
    return unused


def unverified(result: Any, profile: Mapping[str, Any]) -> list[str]:
    """Conditions of the result's rule that the profile did not give, so were not checked."""
    from assistant.calc.rules import load_rules

    rules = load_rules()
    if result.rule_id not in rules.ids():
        return []
    rule = rules.get(result.rule_id)
    missing = [c.phrase or c.label for c in rule.conditions if c.input not in profile]
    missing += [c.phrase or c.label for c in getattr(result, "criteria", ()) if c.met is None
                and c.input not in result.missing]
    return list(dict.fromkeys(missing))


def shown_status(result: Any, open_conditions: Sequence[str]) -> tuple[str, str]:
    """(status, verdict words): a met result with unchecked conditions is 待核实."""
    if result.status == "met" and open_conditions:
        return "unverified", f"待核实：{result.verdict}（未核实：{'；'.join(open_conditions)}）"
    return result.status, result.verdict


@dataclass(frozen=True)
class RowCheck:
    row: int  # 1 = the first data row
    name: str
    results: tuple[dict[str, Any], ...] = ()
    unknown_columns: tuple[str, ...] = ()  # columns no rule or profile field knows
    unused: tuple[str, ...] = ()  # known columns no touched rule read
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "results": list(self.results),
                "unknown_columns": list(self.unknown_columns), "unused": list(self.unused),
                "error": self.error}


@dataclass
class BatchReport:
    rows: list[RowCheck] = field(default_factory=list)

    @property
    def failed(self) -> list[RowCheck]:
        return [r for r in self.rows if r.error]

    def to_json(self) -> dict[str, Any]:
        return {"rows": [r.to_json() for r in self.rows]}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in self.rows:
            if row.error:
                writer.writerow([row.row, row.name, "", "错误", row.error, "", ""])
            for r in row.results:
                writer.writerow([row.row, row.name, r["rule"], STATUS_WORDS.get(r["status"], r["status"]),
                                 r["verdict"], r["citation"], "、".join(r["missing"])])
            extra = [*row.unknown_columns, *row.unused]
            if extra and not row.error:
                writer.writerow([row.row, row.name, "", "说明", f"没有规则用到：{'、'.join(extra)}", "", ""])
        return out.getvalue()


def check_rows(rows: Iterable[Mapping[str, str]], today: object | None = None) -> BatchReport:
    """Every rule each row touches; a bad row is reported and the others still computed."""
    report = BatchReport()
    for number, raw in enumerate(rows, start=1):
        report.rows.append(_check_row(number, raw, today))
    return report


def _check_row(number: int, raw: Mapping[str, str], today: object | None) -> RowCheck:
    from assistant.calc.tools import known_field, self_check_report

    cells = {str(k).strip(): (v or "").strip() for k, v in raw.items() if k is not None}
    name = next((cells[c] for c in NAME_COLUMNS if cells.get(c)), f"第{number}行")
    profile = {k: v for k, v in cells.items() if v and k not in NAME_COLUMNS and known_field(k)}
    unknown = tuple(k for k, v in cells.items() if v and k not in NAME_COLUMNS and not known_field(k))
    try:
        report = self_check_report(profile, today=today)
        unused = unused_inputs(profile, report.results)
    except CalcError as exc:
        return RowCheck(number, name, unknown_columns=unknown, error=str(exc))
    from assistant.calc.rule_inputs import INPUTS
    from assistant.calc.tools import PROFILE_META, profile_key

    unused = [k for k in unused if profile_key(k) not in PROFILE_META]  # 所在地/主体 pick rules
    results = []
    for r in report.results:
        status, verdict = shown_status(r, unverified(r, profile))
        results.append({
            "rule": r.label, "rule_id": r.rule_id, "status": status, "verdict": verdict,
            "citation": f"《{r.title}》{r.article}" if r.title else r.article,
            "doc_id": r.doc_id, "article": r.article,
            "missing": [r.input_labels.get(m) or (INPUTS[m].label if m in INPUTS else m) for m in r.missing],
            "trace": list(r.lines),
        })
    return RowCheck(number, name, tuple(results), unknown, tuple(unused))


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV exported from Excel/WPS (a BOM is tolerated); the first line is the header."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise CalcError("CSV 没有表头（the CSV has no header line）: put column names in the first line")
    return list(reader)
