"""Document metadata read from the text, in the shapes real policies use.

Title, 文号 (〔〕 [ ] （） 【】 and 第N号 forms), issuer and date (header or signature), 施行
(自…起施行, 自印发/发布之日起施行, 自发布之日起30日后施行), validity (有效期至…, 有效期N年 counted
from 施行 — the derived end date is stored with the rule used), draft marks and what the document
replaces (by title and 文号).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from assistant.outline import CN_DIGITS, STRUCTURAL, is_prose, is_signature, to_int
from assistant.types import DocumentMeta

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_N = rf"[\d{CN_DIGITS}〇]"
_SENTENCE_PUNCT = re.compile(r"[，。；：、]")

DOC_NUMBER = re.compile(
    rf"[{_CJK}]{{1,16}}\s*[〔\[［【（(]\s*\d{{4}}\s*[〕\]］】）)]\s*第?\s*\d+\s*号"
    rf"|[{_CJK}]{{2,30}}?(?:令|公告|通告)?\s*(?:\d{{4}}\s*年\s*)?第\s*\d+\s*号"
)
_DATE = re.compile(rf"({_N}{{4}})\s*年\s*({_N}{{1,3}})\s*月\s*({_N}{{1,3}})\s*日")
_DATE_LINE = re.compile(rf"^(?:(?:发布|印发|发文|成文)日期[:：]?\s*)?{_DATE.pattern}$")
_DRAFT = re.compile(rf"(第[{CN_DIGITS}\d]+稿|征求意见稿|送审稿|讨论稿|草案|征求意见)")
_TITLE_END = re.compile(r"(办法|措施|规定|细则|方案|意见|条例|规则|制度|规划|通知|决定|指南|清单|问答|汇编|解读)(（[^）]*）)?$")
# A notice wrapped around the policy: [issuer]关于印发《…》的通知 / 关于发布《…》的通知.
_WRAPPER = re.compile(r"关于(?:印发|发布|公布|下发|转发)《")
_ISSUER_END = re.compile(r"(厅|局|委员会|委|政府|办公室|办公厅)$")
_FORCE = r"(?:施行|实施|执行|生效|试行)"
_VALID_FROM = re.compile(rf"自\s*({_DATE.pattern})\s*起\s*{_FORCE}")
_FROM_ISSUE = re.compile(rf"自(?:印发|发布|公布|颁布)之日起\s*{_FORCE}")
_DAYS_AFTER_ISSUE = re.compile(rf"自(?:印发|发布|公布|颁布)之日起\s*({_N}+)\s*日后\s*{_FORCE}")
_VALID_UNTIL = re.compile(rf"有效期(?:至|到|截至)\s*({_DATE.pattern})")
_VALID_SPAN = re.compile(rf"有效期(?:为|是)?\s*({_DATE.pattern})\s*(?:至|到|—|-|－)\s*({_DATE.pattern})")
_VALID_YEARS = re.compile(rf"(?:有效期|试行期)(?:限)?(?:为|是)?\s*({_N}+)\s*(年|个月)")
_REPLACED = r"(?:同时|相应)?(?:停止执行|废止|失效|不再执行)"
_SUPERSEDES = re.compile(
    rf"《([^》]+)》\s*(?:[（(]\s*({DOC_NUMBER.pattern})\s*[）)])?\s*(?:[^。；《]{{0,12}}?){_REPLACED}"
)
_INTERPRETER = re.compile(rf"由([{_CJK}]+?(厅|局|委员会|政府))负责解释")
# A place at the head of a title or issuer line: 澜江市…, 云岫省…, 青岚县人民政府….
_ZONES = "高新技术产业开发区|经济技术开发区|经济开发区|高新区|开发区|新区"
_PLACE_HEAD = re.compile(
    rf"^(?:关于)?(?:印发)?([{_CJK}]{{2,5}}?)({_ZONES}|省|市|县|区|自治区|自治州|州|盟|旗)"
)
_NOT_PLACE_HEAD = ("自治", "国家", "全国", "本市", "我市", "各市", "设区", "推进", "加快", "促进", "关于")
_PLACE_SUFFIX = re.compile(rf"({_ZONES}|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|省|市|县|区|州)$")


def extract_metadata(doc_id: str, paragraphs: Sequence[str]) -> DocumentMeta:
    header = _header(paragraphs)
    body = "\n".join(paragraphs)
    titles = [
        p for p in header
        if _TITLE_END.search(p) and not _SENTENCE_PUNCT.search(p) and len(p) <= 60
        and not (_WRAPPER.search(p) and p.endswith("通知"))
    ]
    # The policy's own title is the last title-like line before the body; the notice
    # wrapper ([issuer]关于印发《…》的通知) comes first and is only a fallback.
    title = titles[-1] if titles else _wrapped_title("".join(header)) or doc_id
    if titles and (len(title) <= 6 or title.startswith(("的", "和", "及", "与"))):
        # A long title wrapped onto two lines by a page layout: "…支持措施" / "的通知".
        at = header.index(title)
        if at > 0 and not is_prose(header[at - 1]) and not DOC_NUMBER.fullmatch(header[at - 1]):
            title = header[at - 1] + title
    doc_number = next((_clean_number(p) for p in header if DOC_NUMBER.fullmatch(_clean_number(p))), None) \
        or _announcement_number(header)
    issuer = next(
        (p for p in header if _ISSUER_END.search(p) and len(p) <= 30 and "，" not in p), None
    ) or _signature_issuer(paragraphs)
    if issuer is None and (interp := _INTERPRETER.search(body)):
        issuer = interp.group(1)
    issue_date = next(
        (d for p in header if _DATE_LINE.fullmatch(p) and (d := parse_date(p))), None
    ) or _signature_date(paragraphs)
    # A draft mark stands among the cover lines or right under the policy's title.
    cover = header[: max(6, header.index(title) + 2)] if title in header else header[:6]
    draft = next((m.group(1) for p in cover if (m := _DRAFT.search(p)) and len(p) <= 20), None)
    if draft is None and (m := re.search(r"[（(]([^）)]*稿)[）)]$", title)):
        draft = m.group(1)
    valid_from, valid_until, rules = validity(body, issue_date)
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issue_date=issue_date,
        valid_from=valid_from,
        valid_until=valid_until,
        is_draft=draft is not None,
        draft_label=draft,
        supersedes=_supersedes(body),
        places=places_of(title, issuer or "", header[0] if header else ""),
        validity_rule=rules,
    )


def parse_date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    year = "".join(str(to_int(ch) if not ch.isdigit() else ch) for ch in match.group(1))
    month, day = to_int(match.group(2)), to_int(match.group(3))
    try:
        return dt.date(int(year), month or 0, day or 0)
    except ValueError:
        return None


def add_years(day: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """The same calendar day `years`/`months` later (29 Feb → 28 Feb in a common year)."""
    month_index = day.month - 1 + months
    year, month = day.year + years + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _header(paragraphs: Sequence[str]) -> list[str]:
    """Lines before the body: everything up to the first chapter, article or outline item,
    a title a page's width broke onto two lines read as one."""
    end = next((i for i, para in enumerate(paragraphs) if STRUCTURAL.match(para)), min(len(paragraphs), 12))
    lines: list[str] = []
    for line in paragraphs[:end]:
        if lines and _title_goes_on(lines[-1], line):
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _title_goes_on(line: str, after: str) -> bool:
    """A title set in large type wraps ("…关于推动人力资源服务业集聚发展的通" / "知"): the line
    leaves a 《 open, or it is a long line that is no title alone and one with the next line.
    An issuer line (…局, …文件), a 文号 or a date is never the first half of a title."""
    if _SENTENCE_PUNCT.search(line + after) or DOC_NUMBER.search(line) or _DATE.search(line):
        return False
    if line.count("《") > line.count("》"):
        return True
    return (
        len(line) >= 12
        and not _TITLE_END.search(line)
        and not _ISSUER_END.search(line)
        and not line.endswith("文件")
        and bool(_TITLE_END.search(line + after))
    )


_ANNOUNCER = re.compile(r"(公告|令|通告)$")
_SERIAL_LINE = re.compile(r"^(?:\d{4}\s*年\s*)?第\s*\d+\s*号$")


def _announcement_number(header: Sequence[str]) -> str | None:
    """"某市人力资源和社会保障局公告" / "2026年第11号" on two lines: one number."""
    for before, line in zip(header, header[1:], strict=False):
        if _SERIAL_LINE.match(line) and _ANNOUNCER.search(before) and DOC_NUMBER.fullmatch(before + line):
            return before + line
    return None


def _clean_number(line: str) -> str:
    return re.sub(r"^[（(](.*)[）)]$", r"\1", line.strip())


def _signature_issuer(paragraphs: Sequence[str]) -> str | None:
    tail = list(paragraphs[-6:])
    for i, para in enumerate(tail):
        if _DATE_LINE.fullmatch(para) and i > 0 and is_signature(tail[i - 1]) and not _DATE_LINE.fullmatch(tail[i - 1]):
            return tail[i - 1]
    return None


def _signature_date(paragraphs: Sequence[str]) -> dt.date | None:
    for para in reversed(paragraphs[-6:]):
        if _DATE_LINE.fullmatch(para):
            return parse_date(para)
    return None


def validity(body: str, issue_date: dt.date | None) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(施行 date, end of validity, how a derived date was counted) as a text states them — a
    whole document's, or one part's of a compilation whose parts each say their own."""
    valid_from, from_rule = _valid_from(body, issue_date)
    valid_until, until_rule = _valid_until(body, valid_from)
    rules = "；".join(r for r in (from_rule, until_rule) if r)
    return valid_from, valid_until, rules or None


def _valid_from(body: str, issue_date: dt.date | None) -> tuple[dt.date | None, str | None]:
    if m := _VALID_FROM.search(body):
        return parse_date(m.group(1)), None
    if (m := _DAYS_AFTER_ISSUE.search(body)) and issue_date and (days := to_int(m.group(1))):
        start = issue_date + dt.timedelta(days=days)
        return start, f"施行日按“{m.group(0)}”推算：发布日{issue_date.isoformat()}加{days}日"
    if _FROM_ISSUE.search(body) and issue_date:
        return issue_date, None
    return None, None


def _valid_until(body: str, valid_from: dt.date | None) -> tuple[dt.date | None, str | None]:
    if m := _VALID_SPAN.search(body):
        return parse_date(m.group(5)), None
    if m := _VALID_UNTIL.search(body):
        return parse_date(m.group(1)), None
    if (m := _VALID_YEARS.search(body)) and valid_from and (n := to_int(m.group(1))):
        years, months = (n, 0) if m.group(2) == "年" else (0, n)
        end = add_years(valid_from, years, months) - dt.timedelta(days=1)
        return end, (
            f"截止日按“{m.group(0)}”推算：自施行日{valid_from.isoformat()}起算{m.group(1)}{m.group(2)}，"
            f"至{end.isoformat()}"
        )
    return None, None


def _supersedes(body: str) -> tuple[str, ...]:
    named: list[str] = []
    for m in _SUPERSEDES.finditer(body):
        named.append(m.group(1))
        if m.group(2):
            named.append(re.sub(r"\s+", "", m.group(2)))
    return tuple(dict.fromkeys(named))


def _wrapped_title(header: str) -> str | None:
    match = re.search(r"(?:印发|发布|公布|下发|转发)《([^》]+)》", header)
    return match.group(1) if match else None


def places_of(*lines: str) -> tuple[str, ...]:
    """Place names a document belongs to: jieba's place tags, and the place a title or issuer
    line opens with (invented or rare names jieba does not know: 澜江市, 青岚县)."""
    from assistant.warmstart import posseg_module

    posseg = posseg_module()
    places: list[str] = []
    for line in lines:
        for token in posseg.lcut(line):
            if token.flag == "ns" and len(token.word) >= 2:
                places.append(token.word)
        if (m := _PLACE_HEAD.match(line)) and not m.group(1).startswith(_NOT_PLACE_HEAD):
            places.append(m.group(1) + m.group(2))
    # jieba splits a name it does not know into pieces (澄江湾市 → 澄江 / 湾市): a piece of a
    # place found at the head of a line is not a place of its own.
    heads = [p for p in places if _PLACE_HEAD.fullmatch(p)]
    places = [p for p in places if not any(p != h and p in h for h in heads)]
    shorts = [_PLACE_SUFFIX.sub("", p) for p in places]
    return tuple(dict.fromkeys([*places, *(s for s in shorts if len(s) >= 2)]))


def normalise_title(title: str) -> str:
    """A title as another document names it: without 关于印发/的通知, brackets and blanks unified."""
    title = re.sub(r"[《》\s]", "", title).replace("(", "（").replace(")", "）")
    title = re.sub(r"^关于印发", "", title)
    return re.sub(r"的通知$", "", title)


__all__ = ["DOC_NUMBER", "add_years", "extract_metadata", "is_prose", "normalise_title", "parse_date", "places_of"]
