"""Markers, numerals and the outline tree of a policy text (see `assistant.outline`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

CN_DIGITS = "零〇一二三四五六七八九十百千两"
# Labels number below 100 almost always; those numerals are read and written here, and cn2an
# (0.1 s to import, a tenth of a cold answer) is loaded for the rest. tests/test_outline.py
# checks both ways against cn2an.
_DIGIT = "零一二三四五六七八九"
_TENS = re.compile("([一二三四五六七八九])?十([一二三四五六七八九])?")
_CN = f"[{CN_DIGITS}]"
_NUM = rf"(?:{_CN}+|\d+)"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Containers and articles of 条-structured documents, and 第X部分 of outlines.
_ORDINAL = re.compile(rf"^第\s*({_NUM})\s*(篇|编|章|节|条|部分)\s*(.*)$")
_CN_ITEM = re.compile(rf"^({_CN}+)\s*(?:、|[．.](?!\d))\s*(.*)$")  # 一、 and 一. / 一．
_CN_PAREN = re.compile(rf"^[（(]\s*({_CN}+)\s*[）)]\s*(.*)$")
_AR_ITEM = re.compile(r"^(\d{1,3})\s*[．.、](?!\d)\s*(.*)$")
_AR_PAREN = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")
_AR_HALF = re.compile(r"^(\d{1,3})\s*[）)](?![\d）)])\s*(\S.*)$")  # 1）补贴标准： under （1）
_CIRCLED = re.compile(rf"^([{CIRCLED}])\s*(.*)$")
# Decimal section numbers (1.1 / 1.1.1, as 实施方案 and 申报指南 number sections), and the top
# level written "1 总体要求" (a number, a space and a short heading). Not a figure: "1.5万元".
_UNIT_CHARS = "万千百亿元%％倍平方米个家人名年月日号次天"
# A figure's unit, written after a space too ("奖励\n2.5 万元" broken by the layout) or
# without one ("1.5公顷", "2.5小时"): never the heading of a section.
_FIGURE_UNIT = r"(?:[万亿元%％‰倍亩吨]|平方|公顷|公里|小时|周岁|个百分点)"
_DEC = re.compile(
    rf"^(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．])[.．]?"
    rf"(?:\s+(?!\s)|(?=[^\s\d{_UNIT_CHARS}A-Za-z]))(?!{_FIGURE_UNIT})(.*)$"
)
_DEC_TOP = re.compile(rf"^(\d{{1,2}})[ \u3000]+(?![ \u3000]|{_FIGURE_UNIT})([\u4e00-\u9fff][^，。；,;]{{0,24}})$")
_ANNEX = re.compile(rf"^(附件|附表|附录)\s*({_NUM})?\s*(?:[:：]\s*(.*)|\s+(.*)|$|([^，。；]{{1,40}})$)")

# The line that opens any structural unit; a broken line is never glued onto one of these.
STRUCTURAL = re.compile(
    rf"^(第\s*{_NUM}\s*(?:篇|编|章|节|条|部分)|{_CN}+\s*(?:、|[．.](?!\d))|[（(]\s*(?:{_CN}+|\d{{1,3}})\s*[）)]"
    rf"|\d{{1,3}}\s*[．.、](?!\d)|\d{{1,3}}\s*[）)](?![\d）)])\s*\S|[{CIRCLED}]|\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}(?![\d.．])[.．]?(?:\s+(?!\s|{_FIGURE_UNIT})|(?!{_FIGURE_UNIT})[^\s\d{_UNIT_CHARS}A-Za-z])"
    rf"|\d{{1,2}}[ \u3000]+(?![{_UNIT_CHARS}])[\u4e00-\u9fff][^，。；,;]{{0,24}}$)"
)

# Lines that open a line of their own even after a broken one, and what ends a row.
# A decimal section number and a blank before words ("1.2 申报条件"): never a figure's tail,
# which goes on with its unit ("1.5万元", "1.2 倍").
SECTION_NUMBER = re.compile(rf"^\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}[.．]?\s+(?![\d{_UNIT_CHARS}])\S")
# A bulleted item ("● …", "—— …", "• …") opens a line of its own, like a numbered one.
BULLET = re.compile(r"^(?:[●•·▪■◆◇❖○□➢►✓]|—{1,2}|-\s)")
# A line ending in a cell after its label, as the rows of a table written as text end
# ("年营业收入1亿元及以上：奖励80万元"): the next line is the next row, unless it carries on
# the sentence (starts with punctuation). A sentence the layout broke after a figure ("达到30家"
# / "以上的，给予…") has no such cell and is joined again.
_ROW_END = re.compile(r"[：:][^，。；：:]{0,16}\d\s*(?:万元|亿元|元|平方米|㎡|家|人|名|个|%|倍|分)$")
_CARRIES_ON = tuple("，,；;。、：:）)")

_CLOSING = re.compile(r"^本(办法|措施|规定|细则|意见|方案|通知|规划|条例|决定|实施细则|政策|指南)")
# Publication trailers after the body are not part of its last unit.
TRAILER = re.compile(r"^(公开方式|抄送|（此件[^）]*）|\(此件[^)]*\)|主题词|印发机关|联系人[:：])")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ISSUER_LINE = re.compile(r"(厅|局|委员会|委|政府|办公室|办公厅|中心|小组)$")
_TITLE_LINE = re.compile(
    r"(办法|措施|规定|细则|方案|意见|条例|规则|制度|规划|通知|决定|公告|指南|清单|问答|汇编|解读)(（[^）]*）|\([^)]*\))?$"
)

CONTAINERS = ("pian", "bian", "zhang", "jie")

# Headings numbered after a word of the document's own ("问1：…", "事项一 入驻机构认定", "措施3、…"):
# a sequence when lines open with one word and a numeral counting 1, 2, … (see `_Sequences`).
_WORD_CHAR = rf"(?:(?![{CN_DIGITS}第附])[\u4e00-\u9fff])"
_PREFIXED = re.compile(
    rf"^({_WORD_CHAR}{{1,3}}?)({_CN}{{1,3}}|\d{{1,3}})"
    rf"(?:\s*[:：、．.]\s*|\s+|$|(?=(?![{CN_DIGITS}])[\u4e00-\u9fff][^，。；,;]{{0,20}}$))(.*)$"  # or a heading's name
)
# A field of a guide's item ("【办理条件】…"), a row of a table written with "|" whose first
# cell is its number ("3 | 营业收入奖励 | …"), and a caption over a list ("说明：" then "1.…").
_FIELD = re.compile(r"^【([^】]{1,12})】\s*(.*)$")
_ROW = re.compile(r"^(\d{1,3}) \| (.*)$")
_CAPTION = re.compile(r"^([\u4e00-\u9fff]{2,4})[:：]$")
# A heading named, not numbered, in a numbered sequence ("其他事项" after 事项一…事项六) comes last.
_NAMED_LAST = 10**6


@dataclass(frozen=True)
class _Sequences:
    """What a document numbers besides the common markers, found by reading it whole."""

    words: frozenset[str] = frozenset()  # 问, 事项: words heading a numbered sequence
    running: frozenset[str] = frozenset()  # those numbered on through the document (问1…问15)
    fields: bool = False  # "【…】" opens the fields of its items

    def marker(self, line: str) -> Marker | None:
        """The marker opening a line: a common one, or one of this document's own."""
        if found := match_marker(line):
            return found
        if (m := _PREFIXED.match(line)) and m.group(1) in self.words:
            return _numbered(f"pre:{m.group(1)}", m.group(2), m.group(1) + m.group(2), m.group(3))
        if len(line) <= 8 and not is_prose(line) and (word := next(
                (w for w in self.words if line.endswith(w) and line != w), None)):
            return Marker(f"pre:{word}", _NAMED_LAST, line, "")
        if self.fields and (m := _FIELD.match(line)):
            return Marker("field", 0, f"【{m.group(1)}】", m.group(2))
        if m := _ROW.match(line):
            return _numbered("row", m.group(1), f"第{int(m.group(1))}项", m.group(2))
        if m := _CAPTION.match(line):
            return Marker("caption", 1, m.group(1), "")
        return None

    def own_path(self, marker: Marker) -> bool:
        """A heading labelled by itself (问3, not 一问3): its word makes it unique."""
        return marker.kind.startswith("pre:") and (marker.kind[4:] in self.running or marker.number == _NAMED_LAST)


def _sequences(paragraphs: Sequence[str]) -> _Sequences:
    numbers: dict[str, list[int]] = {}
    for para in paragraphs:
        if not match_marker(para) and not match_annex(para) and (m := _PREFIXED.match(para)):
            if (value := to_int(m.group(2))) is not None:
                numbers.setdefault(m.group(1), []).append(value)
    words = {w for w, ns in numbers.items() if ns[0] == 1 and 2 in ns}
    running = {w for w in words if all(a < b for a, b in zip(numbers[w], numbers[w][1:], strict=False))}
    fields = sum(1 for para in paragraphs if _FIELD.match(para)) >= 2
    return _Sequences(frozenset(words), frozenset(running), fields)


def own_markers(paragraphs: Sequence[str]) -> Callable[[str], Marker | None]:
    """The markers of a document's own numbering, found by reading it whole: a heading numbered
    after its word (问3, 事项二) or named last (其他事项), a field (【办理条件】), a row of a table
    written with bars ("3 | …"), a caption ("说明："). A line opening one is not the tail of the
    line before; the common markers (一、, 1., 第X条) are `match_marker`'s."""
    seq = _sequences(paragraphs)

    def own(line: str) -> Marker | None:
        return None if match_marker(line) else seq.marker(line)

    return own


def to_int(token: str) -> int | None:
    """A numeral as written in a document (一百零五, 两, 〇, 12) → its value; None if not one."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    small = small_numeral(token)
    if small is not None:
        return small
    import cn2an

    try:
        return int(cn2an.cn2an(token.replace("〇", "零").replace("两", "二"), "normal"))
    except (ValueError, KeyError, TypeError):
        return None


def small_numeral(token: str) -> int | None:
    """零 … 九十九 (两, 〇 too) read without cn2an; None for any other text."""
    token = token.replace("〇", "零").replace("两", "二")
    if len(token) == 1 and token in _DIGIT:
        return _DIGIT.index(token)
    if m := _TENS.fullmatch(token):
        return (_DIGIT.index(m[1]) if m[1] else 1) * 10 + (_DIGIT.index(m[2]) if m[2] else 0)
    return None


def to_cn(value: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五: the numeral documents use in labels."""
    if 0 <= value < 100:
        tens, unit = divmod(value, 10)
        if not tens:
            return _DIGIT[unit]
        return (_DIGIT[tens] if tens > 1 else "") + "十" + (_DIGIT[unit] if unit else "")
    import cn2an

    return str(cn2an.an2cn(value))


@dataclass(frozen=True)
class Marker:
    """What opens a line: its kind, value and how the label shows it."""

    kind: str  # pian bian zhang jie tiao bufen | cn （cn） ar （ar） ar） circ | annex
    number: int
    token: str  # as the label shows it: 第五条, 二, （一）, 1, （1）, ①, 第二部分, 附件1
    rest: str  # the line after the marker


def match_marker(line: str) -> Marker | None:
    if m := _ORDINAL.match(line):
        number = to_int(m.group(1))
        if number is None:
            return None
        kind = {"篇": "pian", "编": "bian", "章": "zhang", "节": "jie", "条": "tiao", "部分": "bufen"}[m.group(2)]
        return Marker(kind, number, f"第{m.group(1)}{m.group(2)}", m.group(3))
    if m := _CN_ITEM.match(line):
        return _numbered("cn", m.group(1), m.group(1), m.group(2))
    if m := _CN_PAREN.match(line):
        return _numbered("（cn）", m.group(1), f"（{m.group(1)}）", m.group(2))
    if m := _AR_PAREN.match(line):
        return _numbered("（ar）", m.group(1), f"（{int(m.group(1))}）", m.group(2))
    if m := _AR_ITEM.match(line):
        return _numbered("ar", m.group(1), str(int(m.group(1))), m.group(2))
    if m := _AR_HALF.match(line):
        return _numbered("ar）", m.group(1), f"{int(m.group(1))}）", m.group(2))
    if m := _CIRCLED.match(line):
        return Marker("circ", CIRCLED.index(m.group(1)) + 1, m.group(1), m.group(2))
    if m := _DEC.match(line):
        parts = decimal_parts(m.group(1))
        return Marker(f"dec{len(parts)}", parts[-1], ".".join(map(str, parts)), m.group(2))
    if m := _DEC_TOP.match(line):
        return _numbered("dec1", m.group(1), str(int(m.group(1))), m.group(2))
    return None


def decimal_parts(token: str) -> tuple[int, ...]:
    """1.2.3 (or 1．2．3) → (1, 2, 3)."""
    return tuple(int(p) for p in re.split(r"[.．]", token))


def _numbered(kind: str, numeral: str, token: str, rest: str) -> Marker | None:
    number = to_int(numeral)
    return Marker(kind, number, token, rest) if number else None


def match_annex(line: str) -> Marker | None:
    """附件 / 附件1：… / 附表2 … — an annex opens; its number is 0 when it has none."""
    m = _ANNEX.match(line)
    if not m:
        return None
    number = to_int(m.group(2)) if m.group(2) else 0
    token = f"{m.group(1)}{number}" if number else m.group(1)
    return Marker("annex", number or 0, token, (m.group(3) or m.group(4) or m.group(5) or "").strip())


def breaks_row(previous: str, line: str) -> bool:
    """Whether the break after `previous` ends a row of a table written as lines, or an annex's
    title ("附件2：…奖励标准表"), rather than a sentence broken by the layout."""
    if match_annex(previous):
        return True
    return bool(_ROW_END.search(previous)) and not line.startswith(_CARRIES_ON)


def is_prose(paragraph: str) -> bool:
    """Body text rather than a title line, a heading or a draft marker."""
    return "，" in paragraph or "。" in paragraph or bool(_ASKED.match(paragraph))


def is_signature(paragraph: str) -> bool:
    """The issuer or date line that closes a document (or a notice wrapped around it)."""
    return bool(_DATE_LINE.match(paragraph)) or (
        len(paragraph) <= 30 and not is_prose(paragraph) and bool(_ISSUER_LINE.search(paragraph))
        and not STRUCTURAL.match(paragraph)
    )


def is_salutation(paragraph: str) -> bool:
    """各有关单位： — the addressees of a notice, not its preamble."""
    return paragraph.endswith(("：", ":")) and "。" not in paragraph and "如下" not in paragraph


# --- the tree ---------------------------------------------------------------------------


@dataclass
class Node:
    label: str
    lines: list[str]  # the unit's own paragraphs: its marker line first, not its children's
    ancestors: tuple[str, ...] = ()  # the heading lines above it (its parents' lead)
    kind: str = ""  # the marker kind, or preamble / closing / annex / paragraph
    children: int = 0

    @property
    def heading_only(self) -> bool:
        """二、工作措施: a heading whose content lives entirely in its sub-items."""
        return self.children > 0 and len(self.lines) == 1 and not is_prose(self.lines[0])


@dataclass
class Outline:
    shape: str  # articles | outline | paragraphs
    nodes: list[Node] = field(default_factory=list)

    def units(self) -> list[Node]:
        """The citable units: every node with text of its own."""
        return [n for n in self.nodes if not n.heading_only]


def parse(paragraphs: Sequence[str]) -> Outline:
    """The document's outline, from its cleaned paragraphs."""
    if any((m := match_marker(p)) and m.kind == "tiao" for p in paragraphs):
        articles = _parse_articles(paragraphs)
        notice = _notice_points(paragraphs)
        if notice:
            articles.nodes[:0] = notice
        return articles
    outline = _parse_outline(paragraphs)
    if not any(n.kind not in ("preamble", "closing", "annex") for n in outline.nodes):
        return _parse_paragraphs(paragraphs)
    return outline


def _notice_points(paragraphs: Sequence[str]) -> list[Node]:
    """A notice forwarding articles as its annex (转发通知: its own points 一、…五、, then "附件："
    and the 办法's 第一条…): the notice's preamble and points, which come before the annex line
    that precedes the first article; none when nothing numbered stands there."""
    first = next(i for i, p in enumerate(paragraphs) if (m := match_marker(p)) and m.kind == "tiao")
    annex = next((i for i in range(first - 1, -1, -1) if match_annex(paragraphs[i])), None)
    if annex is None:
        return []
    head = _parse_outline(paragraphs[:annex])
    if not any(n.kind not in ("preamble", "closing", "annex") for n in head.nodes):
        return []
    return [n for n in head.nodes if n.kind != "annex"]


def _parse_articles(paragraphs: Sequence[str]) -> Outline:
    outline = Outline("articles")
    containers: dict[str, str] = {}
    current: Node | None = None
    started = False
    volumes = _volumes(paragraphs)
    prefix = ""  # 第二篇 of a compilation whose policies each start at 第一条
    for para in paragraphs:
        marker = match_marker(para)
        if marker and marker.kind in CONTAINERS:
            depth = CONTAINERS.index(marker.kind)
            for deeper in CONTAINERS[depth:]:
                containers.pop(deeper, None)
            containers[marker.kind] = f"{marker.token} {marker.rest}".strip()
            current = None
        elif marker and marker.kind == "tiao":
            started = True
            if volumes is not None and marker.number == 1:
                prefix = next(volumes, prefix)
            current = Node(prefix + marker.token, [para], (" / ".join(containers.values()),), "tiao")
            outline.nodes.append(current)
        elif started and (annex := match_annex(para)):
            current = _annex(outline, annex, para)
        elif current is not None:
            if TRAILER.match(para) or (current.kind != "annex" and is_signature(para)):
                current = None
            else:
                current.lines.append(para)
    return outline


def _volumes(paragraphs: Sequence[str]) -> Iterator[str] | None:
    """A compilation of policies each numbering its own articles from 第一条 (a 政策汇编): the
    prefix that keeps each one's labels apart — its own 第X篇/第X编 when it has one, else 第N篇 in
    order — one per 第一条; None when the articles are numbered once through the document."""
    numbers = [m.number for p in paragraphs if (m := match_marker(p)) and m.kind == "tiao"]
    if numbers.count(1) < 2:
        return None
    tops = [m.token for p in paragraphs if (m := match_marker(p)) and m.kind in ("pian", "bian")]
    own = iter(tops) if len(tops) == numbers.count(1) else None
    return own if own is not None else (f"第{to_cn(n)}篇" for n in range(1, numbers.count(1) + 1))


def _annex(outline: Outline, marker: Marker, para: str) -> Node:
    # A list of attachments ("附件：1.… 2.…") before the annexes themselves gives way to them.
    outline.nodes = [n for n in outline.nodes if not (n.kind == "annex" and n.label == marker.token)]
    node = Node(marker.token, [para], (), "annex")
    outline.nodes.append(node)
    return node


def _parse_outline(paragraphs: Sequence[str]) -> Outline:
    outline = Outline("outline")
    seq = _sequences(paragraphs)
    first = next((i for i, p in enumerate(paragraphs) if _opens_outline(seq.marker(p))), len(paragraphs))
    preamble = _preamble(paragraphs[:first])
    if preamble:
        outline.nodes.append(Node("序言", preamble, (), "preamble"))
    annexes = next((i for i, p in enumerate(paragraphs) if i >= first and match_annex(p)), None)
    body_end = len(paragraphs) if annexes is None else annexes
    last_marker = max(
        (i for i in range(first, body_end) if seq.marker(paragraphs[i])), default=first
    )
    stack: list[tuple[Marker, Node]] = []
    last: dict[str, int] = {}  # the last number of each kind that opened a unit
    current: Node | None = None
    in_annex = False
    for i, para in enumerate(paragraphs[first:], start=first):
        annex = match_annex(para)
        marker = None if in_annex or annex else _accept(seq.marker(para), stack, seq, last)
        if marker is not None and marker.kind == "caption":
            following = seq.marker(paragraphs[i + 1]) if i + 1 < len(paragraphs) else None
            if following is None or following.number != 1 or any(m.kind != "row" for m, _ in stack):
                marker = None  # a caption heads a list of its own after a table, or nothing
            else:
                stack.clear()
        if annex:
            in_annex = True
            current = _annex(outline, annex, para)
        elif marker is not None:
            while stack and stack[-1][0].kind != marker.kind and marker.kind in _kinds(stack):
                stack.pop()
            if stack and stack[-1][0].kind == marker.kind:
                stack.pop()
            if stack:
                stack[-1][1].children += 1
            label = _label(stack, marker, seq)
            ancestors = tuple(n.lines[0] for _, n in stack)
            if marker.kind == "row" and (header := _table_header(paragraphs, i)):
                ancestors = (*ancestors, header)  # the columns' names, for search
            current = Node(label, [para], ancestors, marker.kind)
            stack.append((marker, current))
            last[marker.kind] = marker.number
            outline.nodes.append(current)
        elif in_annex and current is not None:
            current.lines.append(para)
        elif i > last_marker and _CLOSING.match(para) and not _awaits_text(current):
            current = Node("附则", [para], (), "closing")
            outline.nodes.append(current)
        elif TRAILER.match(para) or is_signature(para):
            current = None
        elif current is not None:
            current.lines.append(para)
    return outline


def _table_header(paragraphs: Sequence[str], row: int) -> str:
    """The header line of the table a row is in ("序号 | 政策事项 | 支持标准 | …"), or ""."""
    for para in reversed(paragraphs[:row]):
        if " | " not in para:
            return ""
        if not _ROW.match(para):
            return para
    return ""


def _label(stack: list[tuple[Marker, Node]], marker: Marker, seq: _Sequences | None = None) -> str:
    """The path label: the tokens from the top (二（一）1); a decimal number is a path of its own
    (1.2.3), after any other kind of heading above it; so is a heading numbered after its own word
    through the document (问3), and the path below it starts there (事项二【补贴标准】)."""
    if marker.kind.startswith("dec"):
        return "".join(m.token for m, _ in stack if not m.kind.startswith(("dec", "ar"))) + marker.token
    seq = seq or _Sequences()
    if seq.own_path(marker):
        return marker.token
    starts = [i for i, (m, _) in enumerate(stack) if seq.own_path(m)]
    return "".join(m.token for m, _ in stack[starts[-1] if starts else 0 :]) + marker.token


def _awaits_text(node: Node | None) -> bool:
    """六、其他 followed by 本方案自…施行: the heading's own text, not a separate 附则."""
    return node is not None and len(node.lines) == 1 and not is_prose(node.lines[0])


def _kinds(stack: list[tuple[Marker, Node]]) -> set[str]:
    return {m.kind for m, _ in stack}


def _opens_outline(marker: Marker | None) -> bool:
    return marker is not None and marker.number == 1 and marker.kind not in ("tiao", "field", "caption", *CONTAINERS)


def _accept(marker: Marker | None, stack: list[tuple[Marker, Node]], seq: _Sequences | None = None,
            last: dict[str, int] | None = None) -> Marker | None:
    """A marker opens a unit when it continues its level's numbering or starts a new level at 1;
    otherwise ("1." restarting a list inside a paragraph run) it is body text. A field opens
    inside the unit it follows; a sequence numbered through the document continues its last
    number under any heading (问3 under 二、 after 问2 under 一、)."""
    if marker is None or marker.kind in ("tiao", *CONTAINERS):
        return None
    if marker.kind in ("field", "caption"):
        return marker if stack or marker.kind == "caption" else None
    if seq is not None and last is not None and marker.kind[4:] in seq.running and marker.kind in last \
            and marker.kind not in _kinds(stack):
        return marker if marker.number > last[marker.kind] else None
    for seen, _ in reversed(stack):
        if seen.kind == marker.kind:
            if marker.kind.startswith("dec"):
                return marker if decimal_parts(marker.token) > decimal_parts(seen.token) else None
            return marker if marker.number > seen.number else None
    if last is not None and last.get(marker.kind) == marker.number - 1 and stack:
        return marker  # items numbered on through the groups (一、1. 2. 3. 二、4. 5.), as 若干措施 do
    return marker if marker.number == 1 or not stack else None


def _preamble(head: Sequence[str]) -> list[str]:
    """Prose before the outline, after the last title line (a notice wrapped around the policy
    ends there) and without the addressees."""
    titles = [i for i, p in enumerate(head) if not is_prose(p) and _TITLE_LINE.search(p)]
    start = titles[-1] + 1 if titles else 0
    return [p for p in head[start:] if is_prose(p) and not is_salutation(p)]


# A question-and-answer text (政策解读): "问：…" and its "答：…" are one unit.
_ASKED = re.compile(r"^(问|提问|问题)\s*[:：]")
_ANSWERED = re.compile(r"^(答|回答|解答)\s*[:：]")


def _parse_paragraphs(paragraphs: Sequence[str]) -> Outline:
    """No outline at all: the body's paragraphs, counted after the addressees (or the header),
    up to the signature."""
    outline = Outline("paragraphs")
    start = next((i + 1 for i, p in enumerate(paragraphs) if is_salutation(p)), None)
    if start is None:
        start = next((i for i, p in enumerate(paragraphs) if is_prose(p)), 0)
    body = list(paragraphs[start:])
    while body and (is_signature(body[-1]) or TRAILER.match(body[-1])):
        body.pop()
    n = 0
    for para in body:
        if annex := match_annex(para):
            _annex(outline, annex, para)
        elif outline.nodes and outline.nodes[-1].kind == "annex":
            outline.nodes[-1].lines.append(para)
        elif outline.nodes and _ANSWERED.match(para) and _ASKED.match(outline.nodes[-1].lines[0]):
            outline.nodes[-1].lines.append(para)
        else:
            n += 1
            outline.nodes.append(Node(f"第{n}段", [para], (), "paragraph"))
    return outline
