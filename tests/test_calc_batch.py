"""The park-wide batch check (`assistant check --csv`): every rule each row touches, a bad row
reported while the others are computed, unknown columns reported, unchecked conditions unverified."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from assistant.calc.batch import check_rows, read_csv
from assistant.cli import main

ROWS = """名称,所在地,主体,营收,上规入统企业,备注
甲公司,柳州,enterprise,6亿元,,老客户
乙公司,柳州,enterprise,很多,,
丁运营机构,柳州,,,3家,
丙园区,聊城,park,8000万,,
"""


def test_each_row_is_checked_and_a_bad_row_does_not_stop_the_others() -> None:
    report = check_rows(read_csv(ROWS))
    by_name = {row.name: row for row in report.rows}
    assert [r.row for r in report.rows] == [1, 2, 3, 4]
    first = by_name["甲公司"]
    assert first.error is None and first.unknown_columns == ("备注",)
    assert [(r["rule_id"], r["status"]) for r in first.results] == [("liuzhou.economic_contribution", "met")]
    assert "50万元" in first.results[0]["verdict"] and first.results[0]["article"] == "二（二）5"
    assert "很多" in (by_name["乙公司"].error or "") and not by_name["乙公司"].results
    assert [r.name for r in report.failed] == ["乙公司"]
    # a condition the data cannot show (在库一年) is unverified, never met
    operator = by_name["丁运营机构"].results[0]
    assert operator["status"] == "unverified" and "在库一年" in operator["verdict"]
    park = by_name["丙园区"].results[0]
    assert park["status"] == "not_met" and park["citation"].endswith("第六条")
    assert "入驻面积占比" in park["missing"]  # the rule's own words, not internal input names


def test_the_cli_writes_csv_reports_the_bad_row_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("\ufeff" + ROWS, encoding="utf-8")  # as Excel saves "CSV UTF-8"
    result = CliRunner().invoke(main, ["check", "--csv", str(path)])
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["行", "名称", "规则", "结论", "说明", "依据", "缺少"]
    assert [r[:2] for r in rows if r[3] == "错误"] == [["2", "乙公司"]]
    assert any(r[1] == "甲公司" and r[3] == "说明" and "备注" in r[4] for r in rows)
    assert "第2行（乙公司）" in result.stderr


def test_the_cli_json_has_a_trace_per_result(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("名称,所在地,营收\n甲公司,柳州,3000万元\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--csv", str(path), "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["rows"][0]
    assert row["results"][0]["trace"] and "10万元" in row["results"][0]["verdict"]


def test_profile_or_csv_is_required() -> None:
    assert CliRunner().invoke(main, ["check"]).exit_code == 2
    assert "no header" in CliRunner().invoke(main, ["check", "--csv", "-"], input="").output
