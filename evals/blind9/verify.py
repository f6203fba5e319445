#!/usr/bin/env python3
"""Self-check of blind9.jsonl (stdlib only).
- segments the four new documents into the units named in LABELS.md and checks LABELS.md lists exactly those;
- segments the older documents used here (第X条 documents, outline documents liuzhou/langxu, the moyuan table);
- every gold label must exist (new docs: in LABELS.md; older docs: in the segmentation);
- every lookup/fact/cross expect (and every non-computed follow-up expect) must occur in the text of one of its
  gold units (whitespace ignored); article null = whole document;
- calc items need a computed figure (computed_expects.json) contained in expect/expect_any;
- refuse items: empty gold/expect/expect_any and refuse true."""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.dirname(os.path.dirname(HERE))
NEW = {
    "kunzhou-2026-hr-park-provincial-measures-forward-notice",
    "ruiyang-2026-hr-park-special-fund-application-guide",
    "huangxi-county-2026-hr-park-twelve-measures-draft",
    "quning-2026-hr-park-high-quality-development-measures",
}
OLD_PATHS = {
    "liuzhou-2024-park-measures": "corpus/liuzhou-2024-park-measures.txt",
    "guangxi-2021-regional-park": "corpus/guangxi-2021-regional-park.txt",
    "liaocheng-city-park": "corpus/liaocheng-city-park.txt",
    "zhiting-2024-park-fund-measures": "evals/blind/docs/zhiting-2024-park-fund-measures.txt",
    "langxu-2025-hr-park-institution-support-notice": "evals/blind8/docs/langxu-2025-hr-park-institution-support-notice.txt",
    "moyuan-2026-hr-park-policy-list": "evals/blind7/docs/moyuan-2026-hr-park-policy-list.txt",
}
CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def norm(s):
    return re.sub(r"\s+", "", s)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def collect(paths):
    """paths: list of (tuple path or None, line). Returns ordered dict label->text (parents include children)."""
    order, text = [], {}
    for p, line in paths:
        if p is None:
            continue
        for i in range(1, len(p) + 1):
            lab = "".join(p[:i])
            if lab not in text:
                order.append(lab)
                text[lab] = ""
            text[lab] += line + "\n"
    return {k: text[k] for k in order}


def seg_article_doc(lines, start=0, prefix_units=None):
    """第X条 documents: each article until the next 第X条 or 第X章/节 heading."""
    out, cur = [], None
    for line in lines[start:]:
        s = line.strip()
        m = re.match(r"^第([一二三四五六七八九十百零]+)条", s)
        if m:
            cur = ("第%s条" % m.group(1),)
        elif re.match(r"^第[一二三四五六七八九十]+[章节]", s):
            cur = None
        out.append((cur, s))
    return out


def seg_kunzhou(lines):
    out, cur, in_att = [], None, False
    for line in lines:
        s = line.strip()
        if s.startswith("附件："):
            in_att, cur = True, None
            continue
        if not in_att:
            if s.startswith("现将澹川省"):
                cur = ("序言",)
            elif re.match(r"^[一二三四五六七八九十]+、", s):
                cur = (s.split("、")[0],)
            elif s.startswith("琨州市人力资源和社会保障局　　") or re.match(r"^\d{4}年\d+月\d+日$", s):
                cur = None
            out.append((cur, s))
        else:
            out.append((("附件",), s))
    units = collect(out)
    # articles of the attached 办法 carry their own labels (no 附件 prefix)
    start = lines.index(next(l for l in lines if l.strip().startswith("附件：")))
    units.update(collect(seg_article_doc(lines, start + 1)))
    return units


def seg_ruiyang(lines):
    out, l1, l2, l3, cur = [], None, None, None, None
    for line in lines:
        s = line.strip()
        if s.startswith("为做好2026年度"):
            cur = ("序言",)
        elif re.match(r"^附件\d+$", s):
            cur = (s,)
        elif re.match(r"^[一二三四五六七八九十]+、", s):
            l1 = s.split("、")[0]
            cur = (l1,)
        elif re.match(r"^（\d+）", s) and cur and not cur[0].startswith("附件"):
            l2 = re.match(r"^（\d+）", s).group(0)
            cur = (l1, l2)
        elif re.match(r"^\d+）", s) and cur and not cur[0].startswith("附件"):
            l3 = re.match(r"^\d+）", s).group(0)
            cur = (l1, l2, l3)
        out.append((cur, s))
    return collect(out)


def seg_huangxi(lines):
    out, cur = [], None
    for line in lines:
        s = line.strip()
        if s.startswith("为培育壮大"):
            cur = ("序言",)
        elif s and s[0] in CIRCLED:
            cur = (s[0],)
        elif s.startswith("篁溪县人力资源服务产业园助企十二条") or s.startswith("为加快篁溪县"):
            cur = None
        out.append((cur, s))
    return collect(out)


def seg_quning(lines):
    out, l1, cur, started = [], None, None, False
    for line in lines:
        s = line.strip()
        if s.startswith("为推动蕖宁"):
            cur, started = ("序言",), True
        elif started and re.match(r"^[一二三四五六七八九十]+、", s):
            l1 = s.split("、")[0]
            cur = (l1,)
        elif started and re.match(r"^\d+\.【", s):
            cur = (l1, s.split(".")[0])
        out.append((cur, s))
    return collect(out)


def seg_outline(lines, top_cn=True):
    """liuzhou: 一、/（一）/1. ; langxu: 1、/（1）."""
    out, l1, l2, cur = [], None, None, None
    for line in lines:
        s = line.strip()
        if top_cn:
            if re.match(r"^[一二三四五六七八九十]+、", s):
                l1, l2 = s.split("、")[0], None
                cur = (l1,)
            elif re.match(r"^（[一二三四五六七八九十]+）", s):
                l2 = re.match(r"^（[一二三四五六七八九十]+）", s).group(0)
                cur = (l1, l2)
            elif re.match(r"^\d+\.", s) and l2:
                cur = (l1, l2, s.split(".")[0])
            elif s.startswith("本办法自2024年1月1日起实施"):
                cur = None
        else:
            if re.match(r"^\d+、", s):
                l1 = s.split("、")[0]
                cur = (l1,)
            elif re.match(r"^（\d+）", s) and l1:
                cur = (l1, re.match(r"^（\d+）", s).group(0))
            elif re.match(r"^琅溆市人力资源和社会保障局　　", s):
                cur = None
        out.append((cur, s))
    return collect(out)


def seg_moyuan(lines):
    out, cur, in_note = [], None, False
    for line in lines:
        s = line.strip()
        if s.startswith("说明："):
            in_note, cur = True, None
        elif not in_note and re.match(r"^\d+\|", s):
            cur = ("第%s项" % s.split("|")[0],)
        elif in_note and re.match(r"^\d+\.", s):
            cur = ("说明%s" % s.split(".")[0],)
        out.append((cur, s))
    return collect(out)


def segment(doc):
    if doc in NEW:
        lines = read(os.path.join(HERE, "docs", doc + ".txt"))
        return {"kunzhou": seg_kunzhou, "ruiyang": seg_ruiyang, "huangxi": seg_huangxi,
                "quning": seg_quning}[doc.split("-")[0]](lines), "\n".join(lines)
    lines = read(os.path.join(MAIN, OLD_PATHS[doc]))
    if doc.startswith("liuzhou"):
        units = seg_outline(lines, True)
    elif doc.startswith("langxu"):
        units = seg_outline(lines, False)
    elif doc.startswith("moyuan"):
        units = seg_moyuan(lines)
    else:
        units = collect(seg_article_doc(lines))
    return units, "\n".join(lines)


def labels_md():
    text = open(os.path.join(HERE, "LABELS.md"), encoding="utf-8").read()
    out = {}
    for sec in re.split(r"^## ", text, flags=re.M)[1:]:
        name = sec.split("\n", 1)[0].strip().removesuffix(".txt")
        m = re.search(r"单元（[^）]*）：\s*\n\s*\n(.+)", sec)
        out[name] = [x.strip() for x in m.group(1).split(" / ")]
    return out


def main():
    problems = []
    labs = labels_md()
    segs = {}
    for doc in sorted(NEW):
        units, _ = segment(doc)
        segs[doc] = units
        if list(units) != labs.get(doc):
            problems.append(f"{doc}: LABELS.md units differ from segmentation\n  seg={list(units)}\n  md ={labs.get(doc)}")
        n = len(open(os.path.join(HERE, "docs", doc + ".txt"), encoding="utf-8").read())
        if not 1500 <= n <= 4000:
            problems.append(f"{doc}: length {n} outside 1500-4000")
    computed = json.load(open(os.path.join(HERE, "computed_expects.json"), encoding="utf-8"))
    items = [json.loads(l) for l in open(os.path.join(HERE, "blind9.jsonl"), encoding="utf-8")]
    ids = [it["id"] for it in items]
    if len(items) != 120 or len(set(ids)) != 120 or ids != [f"b9_{i:03d}" for i in range(1, 121)]:
        problems.append("ids/count wrong")
    for it in items:
        iid, typ = it["id"], it["type"]
        for k in ("id", "type", "question", "gold", "expect", "expect_any", "refuse"):
            if k not in it:
                problems.append(f"{iid}: missing {k}")
        if typ == "followup":
            if not (2 <= len(it.get("turns", [])) <= 3) or it["turns"][-1] != it["question"]:
                problems.append(f"{iid}: bad turns")
        if it["refuse"]:
            if it["gold"] or it["expect"] or it["expect_any"]:
                problems.append(f"{iid}: refuse item with gold/expect")
            continue
        if typ == "refuse":
            problems.append(f"{iid}: refuse type without refuse true")
        if not it["gold"]:
            problems.append(f"{iid}: no gold")
        texts = []
        for gd in it["gold"]:
            doc, art = gd["doc"], gd["article"]
            if doc not in segs:
                if doc not in OLD_PATHS:
                    problems.append(f"{iid}: unknown doc {doc}")
                    continue
                segs[doc] = segment(doc)[0]
            units = segs[doc]
            if art is None:
                texts.append(segment(doc)[1])
            elif art not in units:
                problems.append(f"{iid}: label {art} not in {doc}")
            else:
                if doc in NEW and art not in labs[doc]:
                    problems.append(f"{iid}: label {art} not in LABELS.md")
                texts.append(units[art])
        if iid in computed:
            for f in computed[iid]["figure"]:
                if f not in it["expect"] and f not in it["expect_any"]:
                    problems.append(f"{iid}: computed {f} not in expect")
            continue
        if typ == "calc":
            problems.append(f"{iid}: calc without computed figure")
            continue
        joined = norm("\n".join(texts))
        for e in it["expect"]:
            if norm(e) not in joined:
                problems.append(f"{iid}: expect {e!r} not in gold text")
        if it["expect_any"] and not any(norm(e) in joined for e in it["expect_any"]):
            problems.append(f"{iid}: no expect_any in gold text")
        if typ == "cross":
            # each expect must be in at least one unit, and each gold unit must hold at least one expect
            for t in texts:
                if not any(norm(e) in norm(t) for e in it["expect"]):
                    problems.append(f"{iid}: a gold unit holds none of the expects")
    print(f"{len(items)} items checked, {len(problems)} problems")
    for p in problems:
        print(" -", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
