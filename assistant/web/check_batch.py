"""The self-check's batch: a CSV of enterprises or parks read in the browser, every rule each
row touches computed, bad rows reported in Chinese while the others are computed, and the
result as a CSV to download (`assistant check --csv` in the page). Pure Python: no gradio.

The page reads the file in the browser and sends its bytes (base64) with the event, so the
public page still accepts no file uploads (assistant.web.guards.UploadGate).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import AssistantError

MAX_CSV_BYTES = 2 * 1024 * 1024  # a park's enterprises fit many times over
MAX_ROWS = 5000  # ~0.9 ms a row: a few seconds at most
FIXED_COLUMNS = ("名称", "所在地", "主体")
SHOWN_ROWS = 300  # rows of results drawn in the page; the download has them all
_DELIMITERS = ",\t;，"
# A bilingual message's English half, in full-width brackets: （Cannot read amount '很多': …）
_ENGLISH = re.compile(r"（([^（）]*)）")


class BadUpload(AssistantError):
    """A file the batch cannot read at all (too big, not text, no header); the message is Chinese."""


@dataclass(frozen=True)
class BatchOutcome:
    report: Any  # assistant.calc.batch.BatchReport
    csv_text: str
    truncated: int = 0  # rows beyond MAX_ROWS, not computed


def template_csv(labels: Sequence[str]) -> str:
    """The header a park fills in: name, place, subject, then every input some rule reads."""
    out = io.StringIO()
    csv.writer(out).writerow([*FIXED_COLUMNS, *labels])
    return out.getvalue()


def read_payload(payload: str) -> tuple[str, bytes]:
    """(file name, bytes) from the page's message: {"name", "size", "data": base64}."""
    try:
        message = json.loads(payload or "")
    except ValueError:
        raise BadUpload("请先选择一个 CSV 文件。") from None
    if not isinstance(message, dict) or not message.get("name"):
        raise BadUpload("请先选择一个 CSV 文件。")
    name = str(message["name"])[:200]
    size = int(message.get("size") or 0) if str(message.get("size") or "0").isdigit() else 0
    data = message.get("data")
    if size > MAX_CSV_BYTES or not isinstance(data, str) or len(data) > MAX_CSV_BYTES * 4 // 3 + 8:
        raise BadUpload(f"{name}：文件过大（上限 {MAX_CSV_BYTES // 1024 // 1024} MB），请拆成几个文件分别核对。")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BadUpload(f"{name}：文件没有完整读入，请重新选择。") from None
    if len(raw) > MAX_CSV_BYTES:
        raise BadUpload(f"{name}：文件过大（上限 {MAX_CSV_BYTES // 1024 // 1024} MB），请拆成几个文件分别核对。")
    return name, raw


def decode_csv(name: str, raw: bytes) -> str:
    """The file's text: UTF-16 with its BOM (Excel's 'Unicode text'), else as the loaders read
    text (UTF-8, GB18030, charset-normalizer); binary files are refused."""
    from assistant.ingest import decode_text

    if not raw.strip():
        raise BadUpload(f"{name}：文件是空的。")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise BadUpload(f"{name}：无法识别文本编码，请另存为“CSV UTF-8”后再上传。") from None
    if b"\x00" in raw[:4096] or raw.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise BadUpload(f"{name}：不是 CSV 文本文件（Excel 表格请先“另存为 CSV UTF-8”）。")
    text = decode_text(raw)
    if text is None:
        raise BadUpload(f"{name}：无法识别文本编码，请另存为“CSV UTF-8”后再上传。")
    return text


def parse_rows(name: str, text: str) -> list[dict[str, str]]:
    """Rows by the header line; the delimiter (comma, tab, semicolon) is read off the header."""
    text = text.lstrip("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    if not header:
        raise BadUpload(f"{name}：没有表头。第一行应是列名，可下载模板对照。")
    counts = {d: header.count(d) for d in _DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    if delimiter == "，":  # a header typed with Chinese commas: read it as commas
        text, delimiter = text.replace("，", ","), ","
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        rows = [row for row in reader if any((v or "").strip() for k, v in row.items() if k is not None)]
    except csv.Error as exc:
        raise BadUpload(f"{name}：CSV 格式有误（{exc}），请用 Excel/WPS 另存为 CSV 后再上传。") from None
    if not reader.fieldnames or not any(f and f.strip() for f in reader.fieldnames):
        raise BadUpload(f"{name}：没有表头。第一行应是列名，可下载模板对照。")
    return rows


def check_upload(payload: str, today: object | None = None) -> BatchOutcome:
    """Every row of the uploaded CSV checked; raises BadUpload when the file cannot be read."""
    from assistant.calc.batch import check_rows

    name, raw = read_payload(payload)
    rows = parse_rows(name, decode_csv(name, raw))
    if not rows:
        raise BadUpload(f"{name}：只有表头，没有数据行。")
    kept, extra = rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)
    for row in kept:  # a cell beyond the header: say so rather than drop it silently
        overflow = row.pop(None, None)  # type: ignore[call-overload]
        if overflow:
            row["（多出的列）"] = "、".join(str(v) for v in overflow if str(v).strip())
    report = check_rows(kept, today=today)
    return BatchOutcome(report, report.to_csv(), extra)


def chinese(message: str) -> str:
    """The Chinese half of a bilingual message: English asides in （…） are dropped."""

    def keep(match: re.Match[str]) -> str:
        inner = match.group(1)
        letters = sum(ch.isascii() and ch.isalpha() for ch in inner)
        return "" if letters > len(inner) / 3 else match.group(0)

    return _ENGLISH.sub(keep, message).strip()


STATUS_CLASS = {"met": "met", "not_met": "not_met", "soft_not_met": "soft_not_met", "incomplete": "incomplete",
                "unverified": "unverified", "info": "info"}


def batch_html(outcome: BatchOutcome) -> tuple[str, str]:
    """(summary, results): how many rows were computed, each bad row and why (in Chinese), the
    columns no rule read; then one line per row and rule (the first SHOWN_ROWS)."""
    from assistant.calc.batch import STATUS_WORDS
    from assistant.web.render import esc, notice_html

    rows = outcome.report.rows
    failed = outcome.report.failed
    lines = [f"共 {len(rows)} 行：{len(rows) - len(failed)} 行已核对" + (f"，{len(failed)} 行有错误未核对" if failed else "")
             + "。完整结果请下载结果 CSV。"]
    if outcome.truncated:
        lines.append(f"文件超过 {MAX_ROWS} 行，后面 {outcome.truncated} 行没有核对，请拆分后再上传。")
    unknown = list(dict.fromkeys(c for r in rows for c in (*r.unknown_columns, *r.unused)))
    if unknown:
        lines.append("以下列没有规则用到（列名不认识，或所在地的条款不涉及）：" + "、".join(unknown))
    kind = "error" if failed else "ok"
    errors = "".join(
        f'<li><span class="batch-row">第{r.row}行（{esc(r.name)}）</span>：{esc(chinese(r.error or ""))}</li>' for r in failed
    )
    summary = notice_html("\n".join(lines), kind)
    if errors:
        summary += f'<ul class="batch-errors" aria-label="有错误的行">{errors}</ul>'
    items = []
    for row in rows:
        for result in row.results:
            status = STATUS_CLASS.get(result["status"], "info")
            items.append(
                f'<tr class="check-{status}"><td data-label="行">{row.row}</td><td data-label="名称">{esc(row.name)}</td>'
                f'<td data-label="规则">{esc(result["rule"])}</td>'
                f'<td data-label="结论"><span class="check-status">{esc(STATUS_WORDS.get(result["status"], result["status"]))}</span></td>'
                f'<td data-label="说明">{esc(result["verdict"])}</td><td data-label="依据">{esc(result["citation"])}</td></tr>'
            )
    if not items:
        return summary, ""
    more = f'<p class="batch-more">另有 {len(items) - SHOWN_ROWS} 条结果，见结果 CSV。</p>' if len(items) > SHOWN_ROWS else ""
    table = (
        '<table class="batch-table"><caption>核对结果</caption><thead><tr><th scope="col">行</th><th scope="col">名称</th>'
        '<th scope="col">规则</th><th scope="col">结论</th><th scope="col">说明</th><th scope="col">依据</th></tr></thead>'
        f'<tbody>{"".join(items[:SHOWN_ROWS])}</tbody></table>{more}'
    )
    return summary, table
