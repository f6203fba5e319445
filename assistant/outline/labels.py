"""Unit labels as paths, and structural references written in questions (第五条（三）, 二（二）5,
1.2.3, 第二大点, 最后一段) resolved against a document's labels (see `assistant.outline`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.outline.grammar import (
    _CN,
    _NUM,
    _UNIT_CHARS,
    CIRCLED,
    CN_DIGITS,
    decimal_parts,
    match_marker,
    to_cn,
    to_int,
)

# A label's path: 二（二）5 → (cn 2)(（cn） 2)(ar 5); 第五条（三） → (tiao 5)(（cn） 3).
_STEP = re.compile(
    rf"(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．])|第\s*({_NUM})\s*(大点|大项|大条|大部分|小点|小项|小条|篇|编|章|节|条|部分|段|款|项|点|目)"
    rf"|[（(]\s*({_CN}+)\s*[）)]|[（(]\s*(\d{{1,3}})\s*[）)]"
    rf"|(附件|附表|附录)\s*({_NUM})?|([{CIRCLED}])|({_CN}+)(?=[、（(\d{CIRCLED}]|$)|(\d{{1,3}})([）)])?"
)
_ORDINAL_KIND = {
    "篇": "pian", "编": "bian", "章": "zhang", "节": "jie", "条": "tiao", "部分": "bufen", "段": "para",
    "款": "kuan", "项": "xiang", "点": "item", "目": "item",
    # "第二大点": a top-level 一、二、 heading, as people call it
    "大点": "cn", "大项": "cn", "大条": "cn", "大部分": "cn",
    # "第3小点": a point inside the heading just named
    "小点": "item", "小项": "item", "小条": "item",
}

Step = tuple[str, int]

# A unit numbered after a word of its document's own (问3, 事项二, 说明4; a guide's field after it:
# 事项二【补贴标准】): the word is the step's kind, "pre:问".
_WORD_CHAR = rf"(?:(?![{CN_DIGITS}第附])[\u4e00-\u9fff])"
_OWN_LABEL = re.compile(rf"^({_WORD_CHAR}{{1,3}}?)({_CN}{{1,3}}|\d{{1,3}})((?:【[^】]{{1,12}}】)?)$")
# The words a question numbers such units by ("问3", "第3问", "事项二", "说明第2条"): the
# grammar's vocabulary, as 条/款/项 are.
SEQUENCE_WORDS = ("问题", "问", "事项", "说明", "条目", "专栏")


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
    if (own := _OWN_LABEL.match(label)) and (value := to_int(own.group(2))):
        field = ((f"field:{own.group(3)[1:-1]}", 0),) if own.group(3) else ()
        return ((f"pre:{own.group(1)}", value), *field)
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
            steps.append(("ar）" if m.group(11) else "ar", int(m.group(10))))
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
    "item": {"ar", "（ar）", "ar）", "circ", "tiao", "xiang", "cn", "（cn）"},  # 第四点 for 四、 too
    "bufen": {"cn"},  # 第一部分 of a text in 一、二、
    "tiao": {"tiao", "ar", "（ar）", "（cn）", "cn", "circ"},  # 第11条 of a text in ①…⑫ too
    "xiang": {"（cn）", "（ar）", "ar", "ar）", "xiang", "cn", "circ"},  # 第一项 of a 决定 in 一、二、
    "kuan": {"kuan"},
    "ar": {"ar", "（ar）", "ar）"},
    "（ar）": {"（ar）", "ar", "ar）"},
    "ar）": {"ar）", "ar", "（ar）"},
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
    if ref[0].startswith("pre:") and unit[0].startswith("pre:"):
        return unit[0][4:].startswith(ref[0][4:]) or ref[0][4:].startswith(unit[0][4:])  # 问题3 is 问3
    return not strict and unit[0] in _LOOSE.get(ref[0], ())


def path_matches(ref: Sequence[Step], unit: Sequence[Step], strict: bool = True) -> bool:
    """Does a written reference name this unit? The reference is the unit's path or its tail
    ((二)5 names 二（二）5); a reference to an article's 项 or 款 names the article."""
    ref = [s for s in ref if s[0] not in ("kuan",)]
    if unit and unit[-1][0] == "tiao":
        # 第五条（三） / 第五条第二款 / 第二篇第五条第二款 cite inside the article: the article is the unit.
        cut = next((k for k, step in enumerate(ref) if step[0] == "tiao"), None)
        ref = ref[: cut + 1] if cut is not None else ref
    if not ref or len(ref) > len(unit):
        return False
    tail = unit[len(unit) - len(ref) :]
    return all(_step_matches(r, u, strict) for r, u in zip(ref, tail, strict=True))


# In a question, a reference is a run of steps: 第十二条, 第12条, （四）第2点, 二（二）5, 附件2,
# 第三部分, 第二部分第1条, 第五条第（三）项, 第3段; bare numbers count only right after a bracket.
_Q_STEP = re.compile(
    rf"(?<![\d.．])第?\s*(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．]|\s*[{_UNIT_CHARS}])(?:\s*(?:条|节|款|项|点|部分))?"
    rf"|第\s*({_NUM})\s*(大点|大项|大条|大部分|小点|小项|小条|篇|编|章|节|条|部分|段|款|项|点|目)"
    rf"|第\s*[（(]\s*({_CN}+|\d{{1,3}})\s*[）)]\s*(项|款|目|点|条)"
    rf"|[（(]\s*({_CN}+)\s*[）)]|(?<=[）)分、])\s*(\d{{1,3}})(?![\d万千亿元年月日%.．份个人家名次天种类批期届])"
    rf"|[（(]\s*(\d{{1,3}})\s*[）)]"
    rf"|(附件|附表|附录)\s*({_NUM})?|(?:第\s*)?([{CIRCLED}])(?:\s*[点项条款])?|(?<![第{CN_DIGITS}])({_CN}{{1,3}})(?=\s*[、（({CIRCLED}])"
    # a bare number heading a written path: 3（3）, 2①
    rf"|(?<![\d〔\[（(年月号第.．])(\d{{1,3}})(?=[（(]\s*(?:\d{{1,3}}|{_CN}+)\s*[）)]|[{CIRCLED}])"
    # a unit numbered after its own word: 问3, 问题3, 事项二, 说明第2条, 第3问, 第二个事项
    rf"|({'|'.join(SEQUENCE_WORDS)})\s*第?\s*({_CN}{{1,3}}|\d{{1,3}})(?![\d{_UNIT_CHARS}份个项])(?:\s*[条点项])?"
    rf"|第\s*({_CN}{{1,3}}|\d{{1,3}})\s*个?({'|'.join(SEQUENCE_WORDS)})"
    # an item quoted with its bracketed heading: 12.【服务外包】
    rf"|(?<![\d.．])(\d{{1,3}})\s*[.．、]\s*(?=【)"
)
_Q_GAP = re.compile(r"^\s*、?\s*(下面|下的|里面|里的|中的|里|中|的|之|项下|部分的)?\s*(的)?\s*$")


@lru_cache(maxsize=1)
def _positions() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """The words naming a unit by where it stands (`positions.yaml`): the last unit, and the
    named sections (序言, 附则) with the words for each."""
    import yaml

    data = yaml.safe_load(Path(__file__).with_name("positions.yaml").read_text(encoding="utf-8"))
    last = re.compile("|".join(data["last"]))
    named = (("序言", re.compile("|".join(data["preamble"]))), ("附则", re.compile("|".join(data["closing"]))))
    return last, named


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
    last_words, named = _positions()
    if last := last_words.search(text):
        refs.append(Reference(last.group(0), (), "last", last.start(), last.end()))
    for label, words in named:
        if found := words.search(text):
            step = ("section", 1 if label == "序言" else 2)
            refs.append(Reference(found.group(0), (step,), label, found.start(), found.end()))
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
    if m.group(18):
        return (("item", int(m.group(18))),)
    if m.group(14) or m.group(17):
        word, value = (m.group(14), to_int(m.group(15))) if m.group(14) else (m.group(17), to_int(m.group(16)))
        return ((f"pre:{word}", value),) if value else ()
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
            found = _loose(ref, paths)
            if found:
                return found
            break
        found = [lb for lb, p in paths if path_matches(ref.steps, p, mode)]
        if found:
            return found
        # a heading with no text of its own (二、工作措施): its sub-units
        found = [
            lb for lb, p in paths if any(path_matches(ref.steps, p[:k], mode) for k in range(1, len(p)))
        ]
        if found:
            return found
    if strict is not True and len(ref.steps) > 1:
        # a point written inside a unit's own text ("（三）…1.…；2.…；3.…"): the unit named by
        # the rest of the reference holds it, when no unit lies inside that one
        parent = ref.steps[:-1]
        found = [lb for lb, p in paths if len(p) == len(parent) and path_matches(parent, p, True)]
        if len(found) == 1 and not any(is_within(lb, found[0]) for lb in labels):
            return found
    return []


def present_instead(steps: Sequence[Step], labels: Sequence[str]) -> tuple[tuple[Step, ...], list[tuple[Step, ...]]]:
    """What a document has where a reference names nothing: the deepest unit the reference's
    first steps do name (() for the document), and the units of the asked kind right inside it
    as step paths from there (第三十条 of a 17-article text → (), [第一条 … 第十七条]; 第一篇第十二条 →
    第一篇, [第一条 … 第九条]; 附件3 → (), [附件1, 附件2]); every kind there when none is of the
    asked one."""
    paths = [label_path(lb) for lb in labels]
    for depth in range(len(steps) - 1, -1, -1):
        parent = tuple(steps[:depth])
        inside = [p for p in paths if len(p) > depth and (not parent or path_matches(parent, p[:depth], False))]
        if inside:
            break
    else:
        return (), []
    asked = steps[depth] if depth < len(steps) else None
    nexts = list(dict.fromkeys(p[depth : depth + 1] for p in inside))
    if asked is not None:
        same = [n for n in nexts if n[0][0] == asked[0] or _step_matches((asked[0], n[0][1]), n[0], False)]
        nexts = same or nexts
    return tuple(inside[0][:depth]), nexts


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
    found = [lb for lb in found if not any(is_within(lb, other) for other in found)]  # 二, not 二①
    # "第二点" of a notice forwarding articles is the notice's point 二, not the article 第二条
    points = [lb for lb in found if dict(paths)[lb][shallowest - 1][0] != "tiao"]
    return points if points and ref.steps[-1][0] != "tiao" else found


def render_label(steps: Sequence[Step]) -> str:
    """Steps as a label: 第五条（三）, 二（二）5, （四）2, 第二部分1①, 附件2, 第3段."""
    out = []
    for i, (kind, n) in enumerate(steps):
        if kind == "xiang" and not (i and steps[i - 1][0] == "tiao"):
            kind = "item"  # 二（二）第5项 is the item 5, not an article's （五）
        if kind in ("tiao", "zhang", "jie", "bian", "pian", "bufen", "kuan"):
            word = {"tiao": "条", "zhang": "章", "jie": "节", "bian": "编", "pian": "篇", "bufen": "部分",
                    "kuan": "款"}[kind]
            out.append(f"第{to_cn(n)}{word}")
        elif kind == "para":
            out.append(f"第{n}段")
        elif kind == "cn":
            out.append(to_cn(n))
        elif kind in ("（cn）", "xiang"):
            out.append(f"（{to_cn(n)}）")
        elif kind == "（ar）":
            out.append(f"（{n}）")
        elif kind == "ar）":
            out.append(f"{n}）")
        elif kind == "circ":
            out.append(CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n))
        elif kind in ANNEXES:
            out.append(f"{kind}{n}" if n else kind)
        elif kind == "dec":
            if not (i + 1 < len(steps) and steps[i + 1][0] == "dec"):
                out.append(_decimal_label(n))  # 1 → 1.2 → 1.2.3 is written 1.2.3
        elif kind.startswith("pre:"):
            out.append(f"{kind[4:]}{n}")
        elif kind.startswith("field:"):
            out.append(f"【{kind[6:]}】")
        else:
            out.append(str(n))
    return "".join(out)


def lines_within(lines: Sequence[str], steps: Sequence[Step]) -> list[str]:
    """The lines of the part `steps` name, step by step: a 款 is a paragraph of the article's own
    text with the items after it; an item its marked line with the deeper items under it."""
    step, rest = steps[0], steps[1:]
    marked = [(line, match_marker(line.strip())) for line in lines if line.strip()]
    if step[0] == "kuan":
        starts = [k for k, (_, m) in enumerate(marked) if m is None or m.kind == "tiao"]
        if not 0 < step[1] <= len(starts):
            return []
        k = starts[step[1] - 1]
        end = next((j for j in starts if j > k), len(marked))
    else:
        item = next(((j, m) for j, (_, m) in enumerate(marked) if m is not None and m.kind != "tiao"
                     and path_matches([step], [(m.kind, m.number)], strict=False)), None)
        if item is None:
            return []
        k, mark = item
        # the item runs on over the deeper items under it, to its next sibling or plain paragraph
        end = next((j for j in range(k + 1, len(marked))
                    if (m := marked[j][1]) is None or m.kind in (mark.kind, "tiao")), len(marked))
    found = [line for line, _ in marked[k:end]]
    # a deeper step is looked for below the part's own first line
    return lines_within(found[1:], rest) if rest and len(found) > 1 else ([] if rest else found)
