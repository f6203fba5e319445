"""Self-check for blind3.jsonl (independent of the project's code).

Splits each of the ten documents into labelled units with its own small segmenter,
then checks that every gold label exists and that every expect that is not a computed
figure occurs verbatim in the text of one of the gold units (line breaks removed).
Run: python3 evals/blind/verify_blind3.py
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOCS = {
    "guangxi-2021-regional-park": ROOT / "corpus",
    "liaocheng-city-park": ROOT / "corpus",
    "liuzhou-2024-park-measures": ROOT / "corpus",
    "lanjiang-2023-hr-park-rules": ROOT / "tests/fixtures/policies",
    "heyuan-hr-service-subsidy": ROOT / "tests/fixtures/policies",
    "qinglan-county-park-implementation": ROOT / "tests/fixtures/policies",
    "yunxiu-province-hr-industry-plan": ROOT / "tests/fixtures/policies",
    "chengjiang-bay-talent-notice": ROOT / "tests/fixtures/policies",
    "zhiting-2024-park-fund-measures": HERE / "docs",
    "lucen-hitech-2023-employment-measures": HERE / "docs",
}
CN = "一二三四五六七八九十"
CIRC = "①②③④⑤⑥⑦⑧⑨"


def lines(stem: str) -> list[str]:
    return (DOCS[stem] / f"{stem}.txt").read_text(encoding="utf-8").splitlines()


def add(units: dict[str, str], label: str, text: str) -> None:
    units[label] = units.get(label, "") + text


def seg_tiao(stem: str) -> dict[str, str]:
    units: dict[str, str] = {}
    cur = None
    for ln in lines(stem):
        s = ln.strip()
        m = re.match(rf"^(第[{CN}]+条)", s)
        a = re.match(r"^(附件\d)", s)
        if m:
            cur = m.group(1)
        elif a:
            cur = a.group(1)
        elif re.match(rf"^第[{CN}]+[章节]", s) or s.startswith("公开方式"):
            cur = None
        if cur:
            add(units, cur, s)
    return units


def seg_outline(stem: str, levels: list[str], fmt, specials) -> dict[str, str]:
    """levels: regexes, one per depth; fmt(depth, match) -> label part; specials(line) -> label or None."""
    units: dict[str, str] = {}
    path: list[str] = []
    special = None
    for ln in lines(stem):
        s = ln.strip()
        sp = specials(s)
        if sp is not None:
            special = sp if sp != "STOP" else None
            path = []
            if special:
                add(units, special, s)
            continue
        hit = False
        for depth, rx in enumerate(levels):
            m = re.match(rx, s)
            if m:
                path = path[:depth] + [fmt(depth, m)]
                special = None
                hit = True
                break
        if special and not hit:
            add(units, special, s)
            continue
        for k in range(1, len(path) + 1):
            add(units, "".join(path[:k]), s)
    return units


def liuzhou() -> dict[str, str]:
    def sp(s):
        if s.startswith("[bookmark"):
            return "序言"
        if s.startswith("本办法自"):
            return "附则"
        return None
    return seg_outline("liuzhou-2024-park-measures",
                       [rf"^([{CN}]+)、", rf"^（([{CN}]+)）", r"^(\d+)\."],
                       lambda d, m: [m.group(1), f"（{m.group(1)}）", m.group(1)][d], sp)


def heyuan() -> dict[str, str]:
    def sp(s):
        if s.startswith("为贯彻落实"):
            return "序言"
        if s.startswith("本通知自"):
            return "附则"
        if s.startswith("禾源市人力资源和社会保障局") and len(s) < 20 or re.match(r"^\d{4}年\d+月\d+日$", s):
            return "STOP"
        return None
    return seg_outline("heyuan-hr-service-subsidy",
                       [rf"^（([{CN}]+)）", r"^（(\d+)）"],
                       lambda d, m: f"（{m.group(1)}）", sp)


def qinglan() -> dict[str, str]:
    def sp(s):
        if s.startswith("为加快发展县域"):
            return "序言"
        if s.startswith("附件："):
            return "附件"
        return None
    return seg_outline("qinglan-county-park-implementation",
                       [rf"^([{CN}]+)、", rf"^（([{CN}]+)）", r"^(\d+)\.", r"^（(\d+)）"],
                       lambda d, m: [m.group(1), f"（{m.group(1)}）", m.group(1), f"（{m.group(1)}）"][d], sp)


def yunxiu() -> dict[str, str]:
    def sp(s):
        return "序言" if s.startswith("为深入实施") else None
    return seg_outline("yunxiu-province-hr-industry-plan",
                       [rf"^(第[{CN}]+部分)", r"^(\d+)\.", rf"^([{CIRC}])"],
                       lambda d, m: m.group(1), sp)


def lucen() -> dict[str, str]:
    def sp(s):
        if s.startswith("为帮助区内"):
            return "序言"
        if s.startswith("本措施自"):
            return "附则"
        m = re.match(r"^(附表\d)", s)
        return m.group(1) if m else None
    return seg_outline("lucen-hitech-2023-employment-measures",
                       [r"^(\d+)\.", r"^（(\d+)）", rf"^([{CIRC}])"],
                       lambda d, m: [m.group(1), f"（{m.group(1)}）", m.group(1)][d], sp)


def chengjiang() -> dict[str, str]:
    ls = [s.strip() for s in lines("chengjiang-bay-talent-notice")]
    start = next(i for i, s in enumerate(ls) if s.endswith("各有关单位：")) + 1
    body = [s for s in ls[start:] if s]
    body = body[: body.index("澄江湾市人力资源和社会保障局")]
    return {f"第{i}段": s for i, s in enumerate(body, 1)}


def all_units() -> dict[str, dict[str, str]]:
    return {
        "guangxi-2021-regional-park": seg_tiao("guangxi-2021-regional-park"),
        "liaocheng-city-park": seg_tiao("liaocheng-city-park"),
        "lanjiang-2023-hr-park-rules": seg_tiao("lanjiang-2023-hr-park-rules"),
        "zhiting-2024-park-fund-measures": seg_tiao("zhiting-2024-park-fund-measures"),
        "liuzhou-2024-park-measures": liuzhou(),
        "heyuan-hr-service-subsidy": heyuan(),
        "qinglan-county-park-implementation": qinglan(),
        "yunxiu-province-hr-industry-plan": yunxiu(),
        "chengjiang-bay-talent-notice": chengjiang(),
        "lucen-hitech-2023-employment-measures": lucen(),
    }


# Expects that are computed (or derived) figures, not quotations: id -> the figures.
COMPUTED = json.loads((HERE / "computed_expects.json").read_text(encoding="utf-8"))


def main() -> int:
    units = all_units()
    if "--dump" in sys.argv:
        for stem, u in units.items():
            print(stem, " / ".join(u))
        return 0
    bad = 0
    seen = set()
    for n, raw in enumerate((HERE / "blind3.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        q = json.loads(raw)
        assert q["id"] not in seen, q["id"]
        seen.add(q["id"])
        assert q["type"] in {"lookup", "fact", "calc", "cross", "refuse", "followup"}, q
        assert ("turns" in q) == (q["type"] == "followup"), q["id"]
        assert 1 <= len(q["expect"]) <= 2 or q["type"] == "refuse", q["id"]
        if q["type"] == "refuse":
            assert q["gold"] == [], q["id"]
            continue
        texts = []
        for g in q["gold"]:
            u = units.get(g["doc"])
            if u is None or g["article"] not in u:
                print(f"{q['id']}: no unit {g}")
                bad += 1
                continue
            texts.append(u[g["article"]])
        for e in q["expect"]:
            if e in COMPUTED.get(q["id"], []):
                continue
            if not any(e in t for t in texts):
                print(f"{q['id']}: expect {e!r} not in gold text")
                bad += 1
    for qid, figs in COMPUTED.items():
        assert qid in seen, qid
    print(f"{len(seen)} items checked, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
