#!/usr/bin/env python3
"""Self-check for blind6.jsonl (stdlib only).

Checks: JSON fields; gold doc exists among the 21 document files; gold label is listed in
blind6/LABELS.md (new docs), the existing LABELS.md files (old docs) or the label lists derived
here for the 3 seed documents; every verbatim expect (not listed in computed_expects.json) occurs
in the text of a gold unit (for documents segmented here) or in the gold document (others);
every computed expect has an entry in computed_expects.json.
"""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = HERE.parent.parent
DOC_DIRS = [MAIN / "corpus", MAIN / "tests/fixtures/policies", MAIN / "evals/blind/docs",
            MAIN / "evals/blind4/docs", MAIN / "evals/blind5/docs", HERE / "docs"]
LABEL_FILES = [MAIN / "tests/fixtures/policies/LABELS.md", MAIN / "evals/blind/docs/LABELS.md",
               MAIN / "evals/blind4/docs/LABELS.md", MAIN / "evals/blind5/LABELS.md", HERE / "LABELS.md"]
TYPES = {"lookup", "fact", "calc", "cross", "refuse", "followup"}
CN = "一二三四五六七八九十"


def cn_num(n):
    if n <= 10:
        return "十" if n == 10 else CN[n - 1]
    if n < 20:
        return "十" + (CN[n - 11] if n > 10 else "")
    t, o = divmod(n, 10)
    return CN[t - 1] + "十" + (CN[o - 1] if o else "")


def load_docs():
    docs = {}
    for d in DOC_DIRS:
        for p in sorted(d.glob("*.txt")):
            docs[p.stem] = p.read_text(encoding="utf-8")
    return docs


def load_labels():
    labels = {}
    for f in LABEL_FILES:
        cur = None
        lines = f.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^## (\S+)\.txt", line)
            if m:
                cur = m.group(1)
                continue
            if cur and line.startswith("单元"):
                for nxt in lines[i + 1:]:
                    if nxt.strip():
                        labels[cur] = [x.strip() for x in nxt.split(" / ")]
                        break
    labels["guangxi-2021-regional-park"] = ["第%s条" % cn_num(i) for i in range(1, 17)]
    labels["liaocheng-city-park"] = ["第%s条" % cn_num(i) for i in range(1, 18)]
    labels["liuzhou-2024-park-measures"] = (["序言", "一", "二", "二（一）", "二（一）1", "二（一）2", "二（二）"]
                                            + ["二（二）%d" % i for i in range(1, 8)])
    return labels


def spans(lines, heads, start=0):
    """heads: list of (line_index, label, depth). Unit = heading line .. before next heading of depth <= own."""
    out = {}
    for k, (i, lab, dep) in enumerate(heads):
        end = len(lines)
        for j, _, d2 in heads[k + 1:]:
            if d2 <= dep:
                end = j
                break
        out[lab] = "\n".join(lines[i:end])
    return out


def segment(doc_id, text, labels=None):
    """Unit texts for documents whose structure is simple enough to segment here; else None."""
    lines = text.splitlines()
    heads = []
    if doc_id.startswith("yuze-"):
        started = False
        for i, l in enumerate(lines):
            m = re.match(r"^(\d+(?:\.\d+)*)\u3000", l)
            if m and (started or m.group(1) == "1"):
                started = True
                heads.append((i, m.group(1), m.group(1).count(".")))
        return spans(lines, heads)
    if doc_id.startswith("tongya-"):
        for i, l in enumerate(lines):
            m = re.match(r"^第(\d+)条", l)
            if m:
                heads.append((i, "第%s条" % m.group(1), 1))
            elif re.match(r"^第[一二三四五六七八九十]+章", l):
                heads.append((i, "_chapter", 0))
        return spans(lines, heads)
    if doc_id.startswith("cenyang-"):
        for i, l in enumerate(lines):
            m = re.match(r"^([一二三四五六七八九十]+)、", l)
            if m:
                heads.append((i, m.group(1), 1))
            elif l.startswith("为做好"):
                heads.append((i, "序言", 1))
            elif l.strip() == "附件":
                heads.append((i, "附件", 1))
        return spans(lines, heads)
    if doc_id.startswith("yanbei-"):
        for i, l in enumerate(lines):
            m = re.match(r"^(（[一二三四五六七八九十]）)", l)
            if m:
                heads.append((i, m.group(1), 1))
            elif l.startswith("为加快砚北新区"):
                heads.append((i, "序言", 1))
            elif re.fullmatch(r"附件\d", l.strip()):
                heads.append((i, l.strip(), 1))
        return spans(lines, heads)
    # article-style old documents: 第X条 units, 附件/附表 units
    if labels and all(re.fullmatch(r"第[一二三四五六七八九十]+条|附件\d?|附表\d", x) for x in labels):
        for i, l in enumerate(lines):
            m = re.match(r"^\s*(第[一二三四五六七八九十]+条)", l)
            if m:
                heads.append((i, m.group(1), 1))
            elif re.match(r"^第[一二三四五六七八九十]+章", l.strip()):
                heads.append((i, "_chapter", 0))
            elif re.match(r"^(附件|附表)\d?(?=$|[：:\u3000\s])", l.strip()):
                heads.append((i, re.match(r"^(附件|附表)\d?", l.strip()).group(0), 0))
        if heads:
            return spans(lines, heads)
    return None


def norm(s):
    return re.sub(r"\s+", "", s)


def main():
    docs, labels = load_docs(), load_labels()
    comp_path = HERE / "computed_expects.json"
    computed = json.loads(comp_path.read_text(encoding="utf-8")) if comp_path.exists() else {}
    seg_cache = {}
    problems, n, ids = [], 0, set()
    for ln, raw in enumerate((HERE / "blind6.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        n += 1
        try:
            it = json.loads(raw)
        except Exception as e:
            problems.append("line %d: bad JSON %s" % (ln, e))
            continue
        iid = it.get("id", "?")

        def bad(msg):
            problems.append("%s: %s" % (iid, msg))
        if not re.fullmatch(r"b6_\d{3}", str(iid)) or iid in ids:
            bad("bad or duplicate id")
        ids.add(iid)
        t = it.get("type")
        if t not in TYPES:
            bad("bad type %r" % t)
        if t == "followup":
            turns = it.get("turns")
            if not (isinstance(turns, list) and 2 <= len(turns) <= 3 and all(isinstance(x, str) and x for x in turns)):
                bad("followup needs 2-3 turns")
            if "question" in it:
                bad("followup has question")
        else:
            if not (isinstance(it.get("question"), str) and it["question"].strip()):
                bad("missing question")
            if "turns" in it:
                bad("non-followup has turns")
        gold, expect = it.get("gold"), it.get("expect")
        if not isinstance(gold, list) or not isinstance(expect, list):
            bad("gold/expect must be lists")
            continue
        if t == "refuse":
            if gold or expect:
                bad("refuse must have empty gold and expect")
            continue
        if not gold:
            bad("empty gold")
        if not 1 <= len(expect) <= 2 or not all(isinstance(e, str) and e for e in expect):
            bad("expect must have 1-2 non-empty strings")
        extra = set(it) - {"id", "type", "question", "turns", "gold", "expect"}
        if extra:
            bad("unknown fields %s" % sorted(extra))
        unit_texts = []
        for g in gold:
            d, a = g.get("doc"), g.get("article")
            if d not in docs:
                bad("unknown doc %r" % d)
                continue
            if a not in labels.get(d, []):
                bad("label %r not in LABELS for %s" % (a, d))
                continue
            if d not in seg_cache:
                seg_cache[d] = segment(d, docs[d], labels.get(d))
            seg = seg_cache[d]
            if seg is not None and a in seg:
                unit_texts.append(seg[a])
            else:
                unit_texts.append(docs[d])
        comp = computed.get(iid, {})
        for e in expect:
            if e in comp.get("figures", {}):
                continue
            if not any(norm(e) in norm(u) for u in unit_texts):
                bad("verbatim expect %r not found in gold unit(s); not listed in computed_expects.json" % e)
        for f in comp.get("figures", {}):
            if f not in expect:
                bad("computed_expects lists %r which is not an expect" % f)
    for k in computed:
        if k not in ids:
            problems.append("computed_expects.json: unknown id %s" % k)
    for p in problems:
        print(p)
    print("%d items checked, %d problems" % (n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
