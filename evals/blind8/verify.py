#!/usr/bin/env python3
"""Self-check of blind8.jsonl (stdlib only).  Run from anywhere:  python3 evals/blind8/verify.py

Checks: ids unique; types valid; shapes (question xor turns, gold/expect lists); every gold doc exists
in one of the allowed document folders; refuse items have empty gold and expect; calc items (and every
item with a computed figure) have an entry in computed_expects.json whose figure is in expect; for
lookup/fact/cross and non-computed follow-ups every expect phrase occurs verbatim in the gold unit —
the four new documents are segmented into their units (labels as in LABELS.md), older documents are
segmented into 第X条 / 第N条 / 附件N / 附表N units where possible and otherwise checked at document
level; every gold label of a new document is a real unit; the unit lists in LABELS.md equal the units
the segmenter finds.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.dirname(os.path.dirname(HERE))
FOLDERS = ["corpus", "tests/fixtures/policies", "evals/blind/docs", "evals/blind4/docs", "evals/blind5/docs",
           "evals/blind6/docs", "evals/blind7/docs", "evals/blind8/docs"]
TYPES = {"lookup", "fact", "calc", "cross", "refuse", "followup"}
CN = "一二三四五六七八九十"


def load_docs():
    docs = {}
    for f in FOLDERS:
        p = os.path.join(MAIN, f)
        for name in sorted(os.listdir(p)):
            if name.endswith(".txt"):
                with open(os.path.join(p, name), encoding="utf-8") as fh:
                    docs[name[:-4]] = fh.read()
    return docs


def _body_lines(text):
    return [ln.strip() for ln in text.splitlines()]


def _add(units, order, label, line):
    if label not in units:
        units[label] = []
        order.append(label)
    units[label].append(line)


def finish(units, order):
    """parent units contain their children's text (a label is a parent of every label it prefixes)."""
    out = {}
    for lab in order:
        out[lab] = "\n".join(units[lab])
    for lab in order:
        for other in order:
            if other != lab and other.startswith(lab) and lab not in ("序言",):
                out[lab] += "\n" + "\n".join(units[other])
    return out, order


def seg_langxu(text):
    lines = _body_lines(text)
    units, order, cur, top = {}, [], None, None
    started = False
    for i, ln in enumerate(lines):
        if not started:
            if ln.endswith("：") and ln.startswith("各"):
                started = True
                cur = "序言"
            continue
        if not ln:
            continue
        if re.match(r"^琅溆市人力资源和社会保障局　", ln) or re.match(r"^\d{4}年\d+月\d+日$", ln):
            cur = None
            continue
        m = re.match(r"^(\d+)、", ln)
        m2 = re.match(r"^（(\d+)）", ln)
        if m:
            top = m.group(1)
            cur = top
        elif m2 and top:
            cur = f"{top}（{m2.group(1)}）"
        if cur:
            _add(units, order, cur, ln)
    return finish(units, order)


def seg_hengzhou(text):
    lines = _body_lines(text)
    title = "蘅洲市人力资源服务产业园扶持资金管理实施办法"
    start = max(i for i, ln in enumerate(lines) if ln == title)
    pats = [r"^([一二三四五六七八九十]+)、", r"^（([一二三四五六七八九十]+)）", r"^(\d+)\.",
            r"^（(\d+)）", r"^([①②③④⑤⑥⑦⑧⑨⑩])"]
    units, order, path, cur = {}, [], [], "序言"
    for ln in lines[start + 1:]:
        if not ln:
            continue
        for lvl, p in enumerate(pats):
            m = re.match(p, ln)
            if m:
                key = m.group(1)
                key = f"（{key}）" if lvl in (1, 3) else key
                path = path[:lvl] + [key]
                assert len(path) == lvl + 1, ln
                cur = "".join(path)
                break
        _add(units, order, cur, ln)
    return finish(units, order)


def seg_zhenmei(text):
    lines = [ln for ln in _body_lines(text) if ln]
    units, order, pian, cur = {}, [], None, None
    for i, ln in enumerate(lines):
        m = re.match(r"^(第[一二]篇)　", ln)
        if m and i + 1 < len(lines) and lines[i + 1].startswith("第一条"):
            pian, cur = m.group(1), None
            continue
        m = re.match(r"^(第[一二三四五六七八九十]+条)　", ln)
        if m and pian:
            cur = pian + m.group(1)
        if cur:
            _add(units, order, cur, ln)
    return finish(units, order)


def seg_quping(text):
    lines = _body_lines(text)
    units, order, cur, started = {}, [], None, False
    for ln in lines:
        if not started:
            if ln.endswith("：") and ln.startswith("各"):
                started, cur = True, "序言"
            continue
        if not ln:
            continue
        if ln == "璩坪县人民政府办公室" or re.match(r"^\d{4}年\d+月\d+日$", ln):
            cur = None
            continue
        m = re.match(r"^([一二三四五六七八九十]+)、", ln)
        if m:
            cur = m.group(1)
        if cur:
            _add(units, order, cur, ln)
    return finish(units, order)


NEW = {
    "langxu-2025-hr-park-institution-support-notice": seg_langxu,
    "hengzhou-2026-hr-park-fund-implementation-measures": seg_hengzhou,
    "zhenmei-2026-hr-park-policy-compilation": seg_zhenmei,
    "quping-county-2026-hr-park-construction-opinions": seg_quping,
}


def seg_old(text):
    """第X条 / 第N条 / 附件N / 附表N units of older documents (others are checked at document level)."""
    units = {}
    cur = None
    for ln in text.splitlines():
        s = ln.strip()
        m = re.match(r"^(第[一二三四五六七八九十百零]+条|第\d+条)[　 ]", s)
        a = re.match(r"^(附件\d*|附表\d*)(?=[：:　 ]|$)", s)
        if m:
            cur = m.group(1)
        elif a:
            cur = a.group(1)
        elif re.match(r"^第[一二三四五六七八九十]+章", s):
            cur = None
        if cur:
            units.setdefault(cur, []).append(s)
    return {k: "\n".join(v) for k, v in units.items()}


def labels_md_units():
    """doc id -> list of labels from the '单元' line under each '## <doc>.txt' heading of LABELS.md."""
    out = {}
    doc = None
    with open(os.path.join(HERE, "LABELS.md"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for i, ln in enumerate(lines):
        m = re.match(r"^## (\S+)\.txt", ln)
        if m:
            doc = m.group(1)
        if doc and ln.startswith("单元（") and i + 2 < len(lines):
            out[doc] = [x.strip() for x in lines[i + 2].split(" / ") if x.strip()]
    return out


def main():
    docs = load_docs()
    segs = {d: fn(docs[d]) for d, fn in NEW.items()}
    problems = []
    with open(os.path.join(HERE, "computed_expects.json"), encoding="utf-8") as fh:
        computed = json.load(fh)
    items = []
    with open(os.path.join(HERE, "blind8.jsonl"), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                items.append(json.loads(line))
            except ValueError as e:
                problems.append(f"line {n}: bad json {e}")
    ids = [it.get("id") for it in items]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    doc_level = 0
    for it in items:
        iid, typ = it.get("id"), it.get("type")
        if typ not in TYPES:
            problems.append(f"{iid}: bad type {typ}")
        if ("question" in it) == ("turns" in it):
            problems.append(f"{iid}: needs exactly one of question/turns")
        if typ == "followup" and not (isinstance(it.get("turns"), list) and len(it["turns"]) >= 2):
            problems.append(f"{iid}: followup needs >=2 turns")
        if typ != "followup" and "turns" in it:
            problems.append(f"{iid}: turns on non-followup")
        gold, expect = it.get("gold"), it.get("expect")
        if not isinstance(gold, list) or not isinstance(expect, list):
            problems.append(f"{iid}: gold/expect must be lists")
            continue
        if typ == "refuse":
            if gold or expect:
                problems.append(f"{iid}: refuse must have empty gold/expect")
            continue
        if not gold or not expect:
            problems.append(f"{iid}: empty gold/expect")
        if typ == "cross" and len({g["doc"] for g in gold}) < 2:
            problems.append(f"{iid}: cross needs two documents")
        for g in gold:
            if g.get("doc") not in docs:
                problems.append(f"{iid}: unknown doc {g.get('doc')}")
            if g.get("doc") in segs and g.get("article") not in segs[g["doc"]][0]:
                problems.append(f"{iid}: {g['doc']} has no unit {g.get('article')}")
        if typ == "calc" or iid in computed:
            c = computed.get(iid)
            if not c:
                problems.append(f"{iid}: calc without computed expect")
            elif c["figure"] not in expect:
                problems.append(f"{iid}: computed figure not in expect")
            continue
        # verbatim phrases: each phrase must be in one of the gold units
        for ph in expect:
            if not (isinstance(ph, str) and 2 <= len(ph) <= 30):
                problems.append(f"{iid}: odd expect {ph!r}")
            found = False
            for g in gold:
                d, lab = g["doc"], g["article"]
                if d not in docs:
                    continue
                if d in segs:
                    unit = segs[d][0].get(lab, "")
                else:
                    old = seg_old(docs[d])
                    if lab in old:
                        unit = old[lab]
                    else:
                        unit = docs[d]
                        doc_level += 1
                if ph in unit:
                    found = True
                    break
            if not found:
                problems.append(f"{iid}: expect {ph!r} not in gold unit(s)")
    # LABELS.md vs segmenter
    try:
        listed = labels_md_units()
        for d, (units, order) in segs.items():
            if listed.get(d) != order:
                problems.append(f"LABELS.md units differ for {d}: {listed.get(d)} vs {order}")
    except OSError as e:
        problems.append(f"LABELS.md: {e}")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(items)} items checked ({doc_level} expect look-ups of older outline documents "
          f"checked at document level), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
