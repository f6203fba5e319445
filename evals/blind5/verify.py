"""Self-check for blind5 (plain python3, no project code).

- every gold label exists in its document (new docs: own segmenter; older docs: their LABELS.md, and the
  segmenter must reproduce those lists; the 3 seeds have no LABELS.md, so the segmenter's list is used);
- every non-computed expect occurs verbatim in the text of a gold unit (line breaks removed; a parent unit
  includes its children);
- computed expects are exactly those listed in computed_expects.json;
- ids unique, formats right, new documents 1,500–3,000 Chinese characters, LABELS.md lists match.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from segment import DOC_PATHS, NEW_DOCS, parse_labels_md, segment  # noqa: E402

TYPES = {"lookup", "fact", "calc", "cross", "refuse", "followup"}
problems = []


def bad(msg):
    problems.append(msg)


labels_md = {}
for p in ["/work/main/tests/fixtures/policies/LABELS.md", "/work/main/evals/blind/docs/LABELS.md",
          "/work/main/evals/blind4/docs/LABELS.md"]:
    labels_md.update(parse_labels_md(p))
own = parse_labels_md(os.path.join(HERE, "LABELS.md"))

segs = {d: segment(d) for d in DOC_PATHS}
units = {}
for d in DOC_PATHS:
    seg_labels = [x for x in segs[d] if not x.startswith("(")]
    if d in NEW_DOCS:
        if own.get(d) != seg_labels:
            bad(f"{d}: blind5 LABELS.md list differs from segmenter")
        units[d] = set(seg_labels)
    elif d in labels_md:
        if labels_md[d] != seg_labels:
            bad(f"{d}: segmenter does not reproduce LABELS.md")
        units[d] = set(labels_md[d])
    else:
        units[d] = set(seg_labels)

for d in NEW_DOCS:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", d):
        bad(f"{d}: bad doc id")
    n = len(re.findall(r"[\u4e00-\u9fff]", open(DOC_PATHS[d], encoding="utf-8").read()))
    if not 1500 <= n <= 3000:
        bad(f"{d}: {n} Chinese characters")

computed = json.load(open(os.path.join(HERE, "computed_expects.json"), encoding="utf-8"))
ids = set()
items = []
for n, line in enumerate(open(os.path.join(HERE, "blind5.jsonl"), encoding="utf-8"), 1):
    try:
        it = json.loads(line)
    except Exception as e:  # noqa: BLE001
        bad(f"line {n}: not JSON ({e})")
        continue
    items.append(it)
    iid = it.get("id")
    if not isinstance(iid, str) or iid in ids:
        bad(f"line {n}: missing or duplicate id {iid}")
    ids.add(iid)
    typ = it.get("type")
    if typ not in TYPES:
        bad(f"{iid}: bad type {typ}")
    want = {"id", "type", "gold", "expect", "turns" if typ == "followup" else "question"}
    if set(it) != want:
        bad(f"{iid}: keys {sorted(it)}")
    if typ == "followup":
        t = it.get("turns")
        if not (isinstance(t, list) and 2 <= len(t) <= 3 and all(isinstance(x, str) and x.strip() for x in t)):
            bad(f"{iid}: turns must be 2-3 non-empty strings")
    elif not (isinstance(it.get("question"), str) and it["question"].strip()):
        bad(f"{iid}: empty question")
    gold, exp = it.get("gold"), it.get("expect")
    if not isinstance(gold, list) or not isinstance(exp, list):
        bad(f"{iid}: gold/expect not lists")
        continue
    if typ == "refuse":
        if gold or exp:
            bad(f"{iid}: refusal must have empty gold and expect")
        continue
    if not gold or not 1 <= len(exp) <= 2:
        bad(f"{iid}: needs gold and 1-2 expects")
    text = ""
    for g in gold:
        if set(g) != {"doc", "article"}:
            bad(f"{iid}: gold keys {sorted(g)}")
            continue
        d, a = g["doc"], g["article"]
        if d not in DOC_PATHS:
            bad(f"{iid}: unknown doc {d}")
            continue
        if a not in units[d]:
            bad(f"{iid}: label {a} not in {d}")
            continue
        text += segs[d].get(a, "") + "\n"
    comp = computed.get(iid, {}).get("figures", [])
    for e in exp:
        if not isinstance(e, str) or not e:
            bad(f"{iid}: empty expect")
            continue
        if e in comp:
            continue
        if e not in text:
            bad(f"{iid}: expect {e!r} not found verbatim in gold units")
    for c in comp:
        if c not in exp:
            bad(f"{iid}: computed figure {c!r} not among expects")
    if iid in computed and not computed[iid].get("derivation"):
        bad(f"{iid}: computed expect without derivation")
for k in computed:
    if k not in ids:
        bad(f"computed_expects.json: unknown id {k}")

for p in problems:
    print("PROBLEM", p)
print(f"{len(items)} items checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
