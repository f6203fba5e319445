"""The self-check's CSV batch in the page (assistant/web/check_batch.py): the message the page
sends, encodings as offices save them, defensive parsing, a bad row reported in Chinese while
the others are computed, the template's columns from the rules' inputs."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest

from assistant.calc.tools import known_field
from assistant.web.check import fields
from assistant.web.check_batch import (
    FIXED_COLUMNS,
    MAX_CSV_BYTES,
    BadUpload,
    batch_html,
    check_upload,
    chinese,
    template_csv,
)

ROWS = "名称,所在地,主体,营收,上规入统企业\n甲公司,柳州,企业,6亿元,\n乙公司,柳州,企业,很多,\n丙园区,聊城,园区,8000万,\n"


def message(raw: bytes, name: str = "企业.csv", size: int | None = None) -> str:
    return json.dumps({"name": name, "size": len(raw) if size is None else size,
                       "data": base64.b64encode(raw).decode()})


def test_a_bad_row_is_reported_in_chinese_and_the_others_are_computed() -> None:
    outcome = check_upload(message(ROWS.encode("gbk")))  # as WPS saves CSV on a Chinese desktop
    rows = {r.name: r for r in outcome.report.rows}
    assert [r.name for r in outcome.report.failed] == ["乙公司"]
    assert rows["甲公司"].results[0]["status"] == "met" and "50万元" in rows["甲公司"].results[0]["verdict"]
    assert rows["丙园区"].results and rows["丙园区"].results[0]["status"] == "not_met"
    lines = list(csv.reader(io.StringIO(outcome.csv_text)))
    assert lines[0][:4] == ["行", "名称", "规则", "结论"]
    assert [r[:2] for r in lines if r[3] == "错误"] == [["2", "乙公司"]]
    summary, table = batch_html(outcome)
    assert "共 3 行：2 行已核对，1 行有错误未核对" in summary
    assert "第2行（乙公司）" in summary and "无法识别金额“很多”" in summary
    assert "Cannot read" not in summary  # the English half of the message stays out of the page
    assert table.count("<tr class=") == 2 and "经济贡献奖励" in table


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_offices_save(encoding: str) -> None:
    text = ROWS.replace(",", "\t") if encoding == "utf-16" else ROWS  # Excel's "Unicode text" is tab-separated
    outcome = check_upload(message(text.encode(encoding)))
    assert [r.name for r in outcome.report.rows] == ["甲公司", "乙公司", "丙园区"]


def test_semicolons_blank_lines_and_extra_cells() -> None:
    text = "名称;所在地;营收\n\n甲公司;柳州;6亿元;多出来的\n"
    row = check_upload(message(text.encode())).report.rows[0]
    assert row.results and "（多出的列）" in row.unknown_columns


@pytest.mark.parametrize(
    ("raw", "size", "said"),
    [
        (b"", None, "文件是空的"),
        (b"PK\x03\x04" + b"\x00" * 50, None, "不是 CSV 文本文件"),
        ("名称,营收\n".encode(), None, "只有表头"),
        (b"x" * 10, MAX_CSV_BYTES + 1, "文件过大"),
        ('名称,营收\n"甲公司,6亿元\n'.encode() + b"\x00", None, "不是 CSV 文本文件"),
    ],
)
def test_files_that_cannot_be_read_are_refused_in_chinese(raw: bytes, size: int | None, said: str) -> None:
    with pytest.raises(BadUpload, match=said):
        check_upload(message(raw, size=size))


def test_a_message_without_a_file_or_with_broken_data() -> None:
    with pytest.raises(BadUpload, match="请先选择"):
        check_upload("")
    with pytest.raises(BadUpload, match="没有完整读入"):
        check_upload(json.dumps({"name": "a.csv", "size": 3, "data": "@@@"}))
    with pytest.raises(BadUpload, match="文件过大"):  # the page sends no data past the cap
        check_upload(json.dumps({"name": "a.csv", "size": MAX_CSV_BYTES + 1}))


def test_the_template_columns_come_from_the_rules_and_are_read_back() -> None:
    labels = [f.label for f in fields()]
    header = next(csv.reader(io.StringIO(template_csv(labels))))
    assert header[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS) and header[len(FIXED_COLUMNS) :] == labels
    assert all(known_field(column) for column in header if column != "名称")
    # a filled template: each label column is read as its input
    revenue = next(f.label for f in fields() if f.name == "revenue")
    filled = template_csv(labels) + ",".join(
        {"名称": "甲公司", "所在地": "柳州", revenue: "6亿元"}.get(c, "") for c in header
    ) + "\n"
    row = check_upload(message(filled.encode())).report.rows[0]
    assert row.error is None and any("50万元" in r["verdict"] for r in row.results)


def test_chinese_keeps_chinese_asides() -> None:
    assert chinese("无法识别“很多”。（Cannot read amount '很多'; write it like 3000万元）") == "无法识别“很多”。"
    assert chinese("入驻面积（含核心区）不足") == "入驻面积（含核心区）不足"


def test_field_placeholders_show_figures_the_rules_state() -> None:
    from assistant.calc.number_format import format_value
    from assistant.calc.rules import load_rules

    stated: dict[str, set[str]] = {}
    for rule in load_rules():
        for c in rule.criteria:
            stated.setdefault(c.input, set()).add(format_value(c.kind, c.value, c.unit))
    form = {f.name: f for f in fields()}
    assert stated
    for name, figures in stated.items():
        assert form[name].placeholder.split("；")[0].removeprefix("如 ") in figures, form[name]
