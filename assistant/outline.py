"""The one grammar of Chinese policy structure: markers, numerals, the outline tree, labels.

A policy is either 条-structured (第X编/章/节 containers, 第X条 articles with 款 and 项 inside)
or an outline (一、/（一）/1./（1）/① and 第X部分, at any depth, starting at any level), with a
preamble (序言), a closing paragraph (附则), annexes (附件/附表/附录) and, for text with no
outline at all, paragraphs (第N段). Labels are the document's own numbering as a path:
第五条, 二（一）1, （三）（2）, 第二部分1①, 附件2, 第3段.

This module depends on nothing else in the package: ingest, the loaders, structure, question
understanding, rules and answers all read structure through it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

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
_ORDINAL = re.compile(rf"^第\s*({_NUM})\s*(编|章|节|条|部分)\s*(.*)$")
_CN_ITEM = re.compile(rf"^({_CN}+)\s*(?:、|[．.](?!\d))\s*(.*)$")  # 一、 and 一. / 一．
_CN_PAREN = re.compile(rf"^[（(]\s*({_CN}+)\s*[）)]\s*(.*)$")
_AR_ITEM = re.compile(r"^(\d{1,3})\s*[．.、](?!\d)\s*(.*)$")
_AR_PAREN = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")
_CIRCLED = re.compile(rf"^([{CIRCLED}])\s*(.*)$")
# Decimal section numbers (1.1 / 1.1.1, as 实施方案 and 申报指南 number sections), and the top
# level written "1 总体要求" (a number, a space and a short heading). Not a figure: "1.5万元".
_UNIT_CHARS = "万千百亿元%％倍平方米个家人名年月日号次天"
_DEC = re.compile(rf"^(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．])[.．]?(?:\s+|(?=[^\s\d{_UNIT_CHARS}]))(.*)$")
_DEC_TOP = re.compile(r"^(\d{1,2})[ \u3000]+([\u4e00-\u9fff][^，。；,;]{0,24})$")
_ANNEX = re.compile(rf"^(附件|附表|附录)\s*({_NUM})?\s*(?:[:：]\s*(.*)|\s+(.*)|$|([^，。；]{{1,40}})$)")

# The line that opens any structural unit; a broken line is never glued onto one of these.
STRUCTURAL = re.compile(
    rf"^(第\s*{_NUM}\s*(?:编|章|节|条|部分)|{_CN}+\s*(?:、|[．.](?!\d))|[（(]\s*(?:{_CN}+|\d{{1,3}})\s*[）)]"
    rf"|\d{{1,3}}\s*[．.、](?!\d)|[{CIRCLED}]|\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}(?![\d.．])[.．]?(?:\s|[^\s\d{_UNIT_CHARS}])"
    rf"|\d{{1,2}}[ \u3000]+(?![{_UNIT_CHARS}])[\u4e00-\u9fff][^，。；,;]{{0,24}}$)"
)

_CLOSING = re.compile(r"^本(办法|措施|规定|细则|意见|方案|通知|规划|条例|决定|实施细则|政策)")
# Publication trailers after the body are not part of its last unit.
TRAILER = re.compile(r"^(公开方式|抄送|（此件[^）]*）|\(此件[^)]*\)|主题词|印发机关|联系人[:：])")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ISSUER_LINE = re.compile(r"(厅|局|委员会|委|政府|办公室|办公厅|中心|小组)$")
_TITLE_LINE = re.compile(
    r"(办法|措施|规定|细则|方案|意见|条例|规则|制度|规划|通知|决定|公告)(（[^）]*）|\([^)]*\))?$"
)

CONTAINERS = ("bian", "zhang", "jie")


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

    kind: str  # bian zhang jie tiao bufen | cn （cn） ar （ar） circ | annex
    number: int
    token: str  # as the label shows it: 第五条, 二, （一）, 1, （1）, ①, 第二部分, 附件1
    rest: str  # the line after the marker


def match_marker(line: str) -> Marker | None:
    if m := _ORDINAL.match(line):
        number = to_int(m.group(1))
        if number is None:
            return None
        kind = {"编": "bian", "章": "zhang", "节": "jie", "条": "tiao", "部分": "bufen"}[m.group(2)]
        return Marker(kind, number, f"第{m.group(1)}{m.group(2)}", m.group(3))
    if m := _CN_ITEM.match(line):
        return _numbered("cn", m.group(1), m.group(1), m.group(2))
    if m := _CN_PAREN.match(line):
        return _numbered("（cn）", m.group(1), f"（{m.group(1)}）", m.group(2))
    if m := _AR_PAREN.match(line):
        return _numbered("（ar）", m.group(1), f"（{int(m.group(1))}）", m.group(2))
    if m := _AR_ITEM.match(line):
        return _numbered("ar", m.group(1), str(int(m.group(1))), m.group(2))
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
        return _parse_articles(paragraphs)
    outline = _parse_outline(paragraphs)
    if not any(n.kind not in ("preamble", "closing", "annex") for n in outline.nodes):
        return _parse_paragraphs(paragraphs)
    return outline


def _parse_articles(paragraphs: Sequence[str]) -> Outline:
    outline = Outline("articles")
    containers: dict[str, str] = {}
    current: Node | None = None
    started = False
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
            current = Node(marker.token, [para], (" / ".join(containers.values()),), "tiao")
            outline.nodes.append(current)
        elif started and (annex := match_annex(para)):
            current = _annex(outline, annex, para)
        elif current is not None:
            if TRAILER.match(para) or (current.kind != "annex" and is_signature(para)):
                current = None
            else:
                current.lines.append(para)
    return outline


def _annex(outline: Outline, marker: Marker, para: str) -> Node:
    # A list of attachments ("附件：1.… 2.…") before the annexes themselves gives way to them.
    outline.nodes = [n for n in outline.nodes if not (n.kind == "annex" and n.label == marker.token)]
    node = Node(marker.token, [para], (), "annex")
    outline.nodes.append(node)
    return node


def _parse_outline(paragraphs: Sequence[str]) -> Outline:
    outline = Outline("outline")
    first = next((i for i, p in enumerate(paragraphs) if _opens_outline(p)), len(paragraphs))
    preamble = _preamble(paragraphs[:first])
    if preamble:
        outline.nodes.append(Node("序言", preamble, (), "preamble"))
    annexes = next((i for i, p in enumerate(paragraphs) if i >= first and match_annex(p)), None)
    body_end = len(paragraphs) if annexes is None else annexes
    last_marker = max(
        (i for i in range(first, body_end) if match_marker(paragraphs[i])), default=first
    )
    stack: list[tuple[Marker, Node]] = []
    current: Node | None = None
    in_annex = False
    for i, para in enumerate(paragraphs[first:], start=first):
        annex = match_annex(para)
        marker = None if in_annex or annex else _accept(match_marker(para), stack)
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
            label = _label(stack, marker)
            ancestors = tuple(n.lines[0] for _, n in stack)
            current = Node(label, [para], ancestors, marker.kind)
            stack.append((marker, current))
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


def _label(stack: list[tuple[Marker, Node]], marker: Marker) -> str:
    """The path label: the tokens from the top (二（一）1); a decimal number is a path of its own
    (1.2.3), after any other kind of heading above it."""
    if marker.kind.startswith("dec"):
        return "".join(m.token for m, _ in stack if not m.kind.startswith(("dec", "ar"))) + marker.token
    return "".join(m.token for m, _ in stack) + marker.token


def _awaits_text(node: Node | None) -> bool:
    """六、其他 followed by 本方案自…施行: the heading's own text, not a separate 附则."""
    return node is not None and len(node.lines) == 1 and not is_prose(node.lines[0])


def _kinds(stack: list[tuple[Marker, Node]]) -> set[str]:
    return {m.kind for m, _ in stack}


def _opens_outline(paragraph: str) -> bool:
    marker = match_marker(paragraph)
    return marker is not None and marker.number == 1 and marker.kind not in ("tiao", *CONTAINERS)


def _accept(marker: Marker | None, stack: list[tuple[Marker, Node]]) -> Marker | None:
    """A marker opens a unit when it continues its level's numbering or starts a new level at 1;
    otherwise ("1." restarting a list inside a paragraph run) it is body text."""
    if marker is None or marker.kind in ("tiao", *CONTAINERS):
        return None
    for seen, _ in reversed(stack):
        if seen.kind == marker.kind:
            if marker.kind.startswith("dec"):
                return marker if decimal_parts(marker.token) > decimal_parts(seen.token) else None
            return marker if marker.number > seen.number else None
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


# --- references to units ---------------------------------------------------------------

# A label's path: 二（二）5 → (cn 2)(（cn） 2)(ar 5); 第五条（三） → (tiao 5)(（cn） 3).
_STEP = re.compile(
    rf"(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．])|第\s*({_NUM})\s*(大点|大项|大条|大部分|小点|小项|小条|编|章|节|条|部分|段|款|项|点|目)"
    rf"|[（(]\s*({_CN}+)\s*[）)]|[（(]\s*(\d{{1,3}})\s*[）)]"
    rf"|(附件|附表|附录)\s*({_NUM})?|([{CIRCLED}])|({_CN}+)(?=[、（(\d{CIRCLED}]|$)|(\d{{1,3}})"
)
_ORDINAL_KIND = {
    "编": "bian", "章": "zhang", "节": "jie", "条": "tiao", "部分": "bufen", "段": "para",
    "款": "kuan", "项": "xiang", "点": "item", "目": "item",
    # "第二大点": a top-level 一、二、 heading, as people call it
    "大点": "cn", "大项": "cn", "大条": "cn", "大部分": "cn",
    # "第3小点": a point inside the heading just named
    "小点": "item", "小项": "item", "小条": "item",
}

Step = tuple[str, int]


def is_label(label: str) -> bool:
    """Is this a unit label in the form documents are labelled (第一百零五条, 二（二）5, 第五条（三）,
    （三）（2）, 第二部分1①, 附件2, 第3段, 序言) — what rules data cites, not "第6条" or "第五条啊"?"""
    if label in ("序言", "附则"):
        return True
    steps = label_path(label)
    return bool(steps) and render_label(steps) == label


def is_within(label: str, parent: str) -> bool:
    """Whether unit `label` lies inside unit `parent` (九① in 九, 第三部分四1 in 第三部分四)."""
    inner, outer = label_path(label), label_path(parent)
    return len(inner) > len(outer) > 0 and inner[: len(outer)] == outer


@lru_cache(maxsize=65536)
def label_path(label: str) -> tuple[Step, ...]:
    """The steps of a unit label or a written reference, in order."""
    if label in ("序言", "附则"):
        return (("section", 1 if label == "序言" else 2),)
    steps: list[Step] = []
    for m in _STEP.finditer(label):
        if m.group(1):
            steps.extend(decimal_path(decimal_parts(m.group(1))))
        elif m.group(2):
            value = to_int(m.group(2))
            if value is not None:
                steps.append((_ORDINAL_KIND[m.group(3)], value))
        elif m.group(4):
            steps.append(("（cn）", to_int(m.group(4)) or 0))
        elif m.group(5):
            steps.append(("（ar）", int(m.group(5))))
        elif m.group(6):
            steps.append((m.group(6), (to_int(m.group(7)) or 0) if m.group(7) else 0))
        elif m.group(8):
            steps.append(("circ", CIRCLED.index(m.group(8)) + 1))
        elif m.group(9):
            steps.append(("cn", to_int(m.group(9)) or 0))
        elif m.group(10):
            steps.append(("ar", int(m.group(10))))
    return tuple(steps)


def decimal_path(parts: Sequence[int]) -> tuple[Step, ...]:
    """1.2.3 as steps 1 → 1.2 → 1.2.3 (each step the number so far, two decimal digits a part), so
    that 1.2 names the section holding 1.2.1 and 1.2.3 names only itself."""
    return tuple(("dec", int("".join(f"{p:02d}" for p in parts[:k]))) for k in range(1, len(parts) + 1))


def _decimal_label(value: int) -> str:
    digits = str(value)
    digits = digits.zfill(len(digits) + len(digits) % 2)
    return ".".join(str(int(digits[i : i + 2])) for i in range(0, len(digits), 2))


# Kinds a reader may write for one another: "第2点" or "（2）" for a "2." item, "（三）项" for
# the （三） inside an article.
ANNEXES = ("附件", "附表", "附录")
_LOOSE = {
    "附件": set(ANNEXES),
    "附表": set(ANNEXES),
    "附录": set(ANNEXES),
    "item": {"ar", "（ar）", "circ", "tiao", "xiang", "cn", "（cn）"},  # 第四点 for 四、 too
    "bufen": {"cn"},  # 第一部分 of a text in 一、二、
    "tiao": {"tiao", "ar", "（ar）", "（cn）", "cn"},
    "xiang": {"（cn）", "（ar）", "ar", "xiang"},
    "kuan": {"kuan"},
    "ar": {"ar", "（ar）"},
    "（ar）": {"（ar）", "ar"},
    "cn": {"cn", "（cn）"},
    "（cn）": {"（cn）", "cn"},
}


def _step_matches(ref: Step, unit: Step, strict: bool) -> bool:
    if ref[0] in ANNEXES and ref[1] == 0:
        return unit[0] in ANNEXES  # "附件" names every annex
    if ref[1] != unit[1]:
        return False
    if ref[0] == unit[0]:
        return True
    return not strict and unit[0] in _LOOSE.get(ref[0], ())


def path_matches(ref: Sequence[Step], unit: Sequence[Step], strict: bool = True) -> bool:
    """Does a written reference name this unit? The reference is the unit's path or its tail
    ((二)5 names 二（二）5); a reference to an article's 项 or 款 names the article."""
    ref = [s for s in ref if s[0] not in ("kuan",)]
    if unit and unit[0][0] == "tiao":
        # 第五条（三） / 第五条第二款 cite inside the article: the article is the unit.
        ref = ref[:1] if ref and ref[0][0] == "tiao" else ref
    if not ref or len(ref) > len(unit):
        return False
    tail = unit[len(unit) - len(ref) :]
    return all(_step_matches(r, u, strict) for r, u in zip(ref, tail, strict=True))


# In a question, a reference is a run of steps: 第十二条, 第12条, （四）第2点, 二（二）5, 附件2,
# 第三部分, 第二部分第1条, 第五条第（三）项, 第3段; bare numbers count only right after a bracket.
_Q_STEP = re.compile(
    rf"(?<![\d.．])第?\s*(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．]|\s*[{_UNIT_CHARS}])(?:\s*(?:条|节|款|项|点|部分))?"
    rf"|第\s*({_NUM})\s*(大点|大项|大条|大部分|小点|小项|小条|编|章|节|条|部分|段|款|项|点|目)"
    rf"|第\s*[（(]\s*({_CN}+|\d{{1,3}})\s*[）)]\s*(项|款|目|点|条)"
    rf"|[（(]\s*({_CN}+)\s*[）)]|(?<=[）)分、])\s*(\d{{1,3}})(?![\d万千亿元年月日%.．份个人家名次天种类批期届])"
    rf"|[（(]\s*(\d{{1,3}})\s*[）)]"
    rf"|(附件|附表|附录)\s*({_NUM})?|(?:第\s*)?([{CIRCLED}])(?:\s*[点项条款])?|(?<![第{CN_DIGITS}])({_CN}{{1,3}})(?=\s*[、（({CIRCLED}])"
    # a bare number heading a written path: 3（3）, 2①
    rf"|(?<![\d〔\[（(年月号第.．])(\d{{1,3}})(?=[（(]\s*(?:\d{{1,3}}|{_CN}+)\s*[）)]|[{CIRCLED}])"
)
_Q_GAP = re.compile(r"^\s*、?\s*(下面|下的|里面|里的|中的|里|中|的|之|项下|部分的)?\s*(的)?\s*$")
_LAST = re.compile(r"最后(一|那|这)?(段|条|款|项|点|部分|一块)|末尾|结尾(那|一)?段")
_NAMED = (("序言", ("序言", "前言", "开头那段", "开头一段")), ("附则", ("附则",)))


@dataclass(frozen=True)
class Reference:
    """A structural reference written in a question: its steps, or a relative position."""

    text: str
    steps: tuple[Step, ...] = ()
    position: str = ""  # last | 序言 | 附则
    start: int = 0  # where its wording stands in the text it was found in
    end: int = 0


def find_references(text: str) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    run: list[tuple[int, int, Step]] = []

    def close() -> None:
        if run:
            start, end = run[0][0], run[-1][1]
            refs.append(Reference(text[start:end], tuple(s for _, _, s in run), "", start, end))
            run.clear()

    for m in _Q_STEP.finditer(text):
        steps = _question_steps(m)
        if not steps:
            continue
        if run and not _Q_GAP.match(text[run[-1][1] : m.start()]):
            close()
        run.extend((m.start(), m.end(), step) for step in steps)
    close()
    if last := _LAST.search(text):
        refs.append(Reference(last.group(0), (), "last", last.start(), last.end()))
    for label, words in _NAMED:
        for word in words:
            if (at := text.find(word)) >= 0:
                step = ("section", 1 if label == "序言" else 2)
                refs.append(Reference(word, (step,), label, at, at + len(word)))
                break
    return tuple(refs)


def _question_steps(m: re.Match[str]) -> tuple[Step, ...]:
    if m.group(1):
        return decimal_path(decimal_parts(m.group(1)))
    if m.group(2):
        value = to_int(m.group(2))
        return ((_ORDINAL_KIND[m.group(3)], value),) if value else ()
    if m.group(4):
        value = to_int(m.group(4))
        kind = "（ar）" if m.group(4).isdigit() else "（cn）"
        return ((kind if m.group(5) != "款" else "kuan", value),) if value else ()
    if m.group(6):
        value = to_int(m.group(6))
        return (("（cn）", value),) if value else ()
    if m.group(7):
        return (("item", int(m.group(7))),)
    if m.group(8):
        return (("（ar）", int(m.group(8))),)
    if m.group(9):
        return ((m.group(9), to_int(m.group(10)) or 0 if m.group(10) else 0),)
    if m.group(11):
        return (("circ", CIRCLED.index(m.group(11)) + 1),)
    if m.group(12):
        value = to_int(m.group(12))
        return (("cn", value),) if value else ()
    if m.group(13):
        return (("ar", int(m.group(13))),)
    return ()


def resolve(ref: Reference, labels: Sequence[str], strict: bool | None = None) -> list[str]:
    """The labels (of one document, in order) a reference names: with strict kinds, or the
    loose reading (第2点 for a "2." item), each also naming a heading's sub-units; with
    `strict=None`, strict first, then loose."""
    if ref.position == "last":
        body = [lb for lb in labels if not lb.startswith(("附件", "附表", "附录"))]
        return body[-1:]
    if ref.position in ("序言", "附则"):
        return [lb for lb in labels if lb == ref.position]
    paths = [(lb, label_path(lb)) for lb in labels]
    if ref.steps and ref.steps[0][0] == "para" and not any(p[:1] and p[0][0] == "para" for _, p in paths):
        # 第一段 of a document with an outline: its n-th unit.
        n = ref.steps[0][1]
        return [labels[n - 1]] if 0 < n <= len(labels) and strict is not False else []
    for mode in ((True, False) if strict is None else (strict,)):
        if not mode:
            return _loose(ref, paths)
        found = [lb for lb, p in paths if path_matches(ref.steps, p, mode)]
        if found:
            return found
        # a heading with no text of its own (二、工作措施): its sub-units
        found = [
            lb for lb, p in paths if any(path_matches(ref.steps, p[:k], mode) for k in range(1, len(p)))
        ]
        if found:
            return found
    return []


def _loose(ref: Reference, paths: Sequence[tuple[str, tuple[Step, ...]]]) -> list[str]:
    """The loose reading names the shallowest units it fits: "第二点" of a text in 一.二.三.
    with ①② inside is 二 (or, when 二 is a heading alone, its points), not every ②."""
    depth: dict[str, int] = {}
    for lb, p in paths:
        fits = [k for k in range(1, len(p) + 1) if path_matches(ref.steps, p[:k], False)]
        if fits:
            depth[lb] = min(fits)
    if not depth:
        return []
    shallowest = min(depth.values())
    found = [lb for lb, _ in paths if depth.get(lb) == shallowest]
    return [lb for lb in found if not any(is_within(lb, other) for other in found)]  # 二, not 二①


def render_label(steps: Sequence[Step]) -> str:
    """Steps as a label: 第五条（三）, 二（二）5, （四）2, 第二部分1①, 附件2, 第3段."""
    out = []
    for i, (kind, n) in enumerate(steps):
        if kind == "xiang" and not (i and steps[i - 1][0] == "tiao"):
            kind = "item"  # 二（二）第5项 is the item 5, not an article's （五）
        if kind in ("tiao", "zhang", "jie", "bian", "bufen", "kuan"):
            word = {"tiao": "条", "zhang": "章", "jie": "节", "bian": "编", "bufen": "部分", "kuan": "款"}[kind]
            out.append(f"第{to_cn(n)}{word}")
        elif kind == "para":
            out.append(f"第{n}段")
        elif kind == "cn":
            out.append(to_cn(n))
        elif kind in ("（cn）", "xiang"):
            out.append(f"（{to_cn(n)}）")
        elif kind == "（ar）":
            out.append(f"（{n}）")
        elif kind == "circ":
            out.append(CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n))
        elif kind in ANNEXES:
            out.append(f"{kind}{n}" if n else kind)
        elif kind == "dec":
            if not (i + 1 < len(steps) and steps[i + 1][0] == "dec"):
                out.append(_decimal_label(n))  # 1 → 1.2 → 1.2.3 is written 1.2.3
        else:
            out.append(str(n))
    return "".join(out)
