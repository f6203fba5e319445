#!/usr/bin/env python3
"""Self-check for blind7.jsonl (stdlib only).

Checks: ids unique; types valid; shape per type; every gold doc exists in one of the document
folders; every gold unit label of the four new documents exists; for lookup/fact (and follow-ups
whose expect is not a computed figure) every expect phrase occurs verbatim in a gold unit (unit
text for the four new documents and for 第X条/附表/附件 units of the older ones, else the whole
document); for cross every expect phrase is in one gold unit and every gold document is covered
by one phrase; every calc item and computed follow-up has an entry in computed_expects.json whose
figure equals its first expect; refuse items have empty gold and expect.
Run from the repository root or anywhere: python3 evals/blind7/verify.py
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FOLDERS = [
    ROOT / "corpus",
    ROOT / "tests" / "fixtures" / "policies",
    ROOT / "evals" / "blind" / "docs",
    ROOT / "evals" / "blind4" / "docs",
    ROOT / "evals" / "blind5" / "docs",
    ROOT / "evals" / "blind6" / "docs",
    HERE / "docs",
]
TYPES = {"lookup", "fact", "calc", "cross", "refuse", "followup"}
CN = "一二三四五六七八九十"


def load_docs() -> dict[str, str]:
    docs = {}
    for folder in FOLDERS:
        for p in sorted(folder.glob("*.txt")):
            docs[p.stem] = p.read_text(encoding="utf-8")
    return docs


def cn_num(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + (CN[n - 11] if n > 10 else "")
    t, u = divmod(n, 10)
    return CN[t - 1] + "十" + (CN[u - 1] if u else "")


# ------------------------------------------------------------------ unit segmentation (new docs)
def split_at(text: str, starts: list[tuple[str, int]]) -> dict[str, str]:
    starts = sorted(starts, key=lambda x: x[1])
    out = {}
    for i, (label, pos) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        out[label] = text[pos:end]
    return out


def units_qiwu(text: str) -> dict[str, str]:
    body = text[text.index("为加快栖梧"):]
    starts = [("序言", 0)]
    for m in re.finditer(r"^问(\d+)：", body, re.M):
        starts.append((f"问{m.group(1)}", m.start()))
    for m in re.finditer(r"^([一二三四五])、", body, re.M):
        starts.append((f"__h{m.group(1)}", m.start()))
    u = split_at(body, starts)
    # section units 一…五 = heading to next heading
    heads = [(m.group(1), m.start()) for m in re.finditer(r"^([一二三四五])、", body, re.M)]
    for i, (h, pos) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(body)
        u[h] = body[pos:end]
    return {k: v for k, v in u.items() if not k.startswith("__")}


def units_fengzhu(text: str) -> dict[str, str]:
    starts = [("序言", text.index("为进一步加大"))]
    for m in re.finditer(r"^([一二三四五六七八九十]+)、", text, re.M):
        starts.append((m.group(1), m.start()))
    starts.append(("附表", text.index("附表　")))
    starts.append(("__sign", text.rindex("枫渚县人民政府\n")))
    return {k: v for k, v in split_at(text, starts).items() if not k.startswith("__")}


def units_moyuan(text: str) -> dict[str, str]:
    u = {}
    for m in re.finditer(r"^(\d+)\|.*$", text, re.M):
        u[f"第{m.group(1)}项"] = m.group(0)
    for m in re.finditer(r"^(\d+)\.(.*)$", text, re.M):
        u[f"说明{m.group(1)}"] = m.group(0)
    return u


def units_zhequan(text: str) -> dict[str, str]:
    starts = [("序言", text.index("为规范柘泉"))]
    item = None
    for m in re.finditer(r"^(事项[一二三四五六七八九十]+)　.*$|^(其他事项)$|^【([^】]+)】|^柘泉市人力资源和社会保障局\n\d", text, re.M):
        if m.group(1) or m.group(2):
            item = m.group(1) or m.group(2)
            starts.append((item, m.start()))
        elif m.group(3):
            starts.append((f"{item}【{m.group(3)}】", m.start()))
        else:
            starts.append(("__sign", m.start()))
    u = {k: v for k, v in split_at(text, starts).items() if not k.startswith("__")}
    # parent 事项 units contain their fields
    items = [k for k in u if "【" not in k and k != "序言"]
    for it in items:
        u[it] = u[it] + "".join(v for k, v in u.items() if k.startswith(it + "【"))
    return u


NEW_UNITS = {
    "qiwu-2026-hr-park-policy-qa-trial": units_qiwu,
    "fengzhu-county-2026-hr-park-measures-amendment": units_fengzhu,
    "moyuan-2026-hr-park-policy-list": units_moyuan,
    "zhequan-2026-hr-park-service-guide-draft": units_zhequan,
}


def unit_text(doc: str, label: str, text: str) -> tuple[str | None, bool]:
    """(unit text or None, segmented?)"""
    if doc in NEW_UNITS:
        return NEW_UNITS[doc](text).get(label), True
    m = re.fullmatch(r"第([一二三四五六七八九十]+|\d+)条", label)
    if m:
        art = re.compile(r"^\s*第([一二三四五六七八九十]+|\d+)条", re.M)
        hits = list(art.finditer(text))
        for i, h in enumerate(hits):
            if h.group(1) == m.group(1):
                end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
                return text[h.start():end], True
        return None, True
    m = re.fullmatch(r"(附表|附件)(\d*)", label)
    if m:
        pos = [a.start() for a in re.finditer(r"^(附表|附件)\d*", text, re.M)]
        for i, p in enumerate(pos):
            if text[p:].startswith(label):
                end = pos[i + 1] if i + 1 < len(pos) else len(text)
                return text[p:end], True
        return None, True
    return text, False


def main() -> int:
    docs = load_docs()
    problems: list[str] = []
    comp = json.loads((HERE / "computed_expects.json").read_text(encoding="utf-8"))
    items = [json.loads(line) for line in (HERE / "blind7.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    seen = set()
    unsegmented = 0
    for it in items:
        iid = it.get("id")
        if iid in seen:
            problems.append(f"{iid}: duplicate id")
        seen.add(iid)
        t = it.get("type")
        if t not in TYPES:
            problems.append(f"{iid}: bad type {t}")
            continue
        if t == "followup":
            if not (isinstance(it.get("turns"), list) and len(it["turns"]) >= 2) or "question" in it:
                problems.append(f"{iid}: followup needs turns (>=2) and no question")
        elif not it.get("question") or "turns" in it:
            problems.append(f"{iid}: needs question")
        gold, expect = it.get("gold"), it.get("expect")
        if t == "refuse":
            if gold != [] or expect != []:
                problems.append(f"{iid}: refuse must have empty gold/expect")
            continue
        if not gold or not expect:
            problems.append(f"{iid}: empty gold or expect")
            continue
        units = []
        for gd in gold:
            doc, label = gd.get("doc"), gd.get("article")
            if doc not in docs:
                problems.append(f"{iid}: unknown doc {doc}")
                continue
            ut, seg = unit_text(doc, label, docs[doc])
            if ut is None:
                problems.append(f"{iid}: unit {label} not found in {doc}")
                continue
            unsegmented += not seg
            units.append((doc, ut))
        if t == "cross" and len({d for d, _ in units}) < 2:
            problems.append(f"{iid}: cross needs two documents")
        computed = iid in comp
        if t == "calc" or computed:
            if not computed:
                problems.append(f"{iid}: calc item missing from computed_expects.json")
            elif comp[iid]["figure"] != expect[0]:
                problems.append(f"{iid}: computed figure {comp[iid]['figure']} != expect {expect[0]}")
            continue
        for ph in expect:
            if not any(ph in ut for _, ut in units):
                problems.append(f"{iid}: expect {ph!r} not in gold unit")
        if t == "cross":
            for d in {d for d, _ in units}:
                if not any(ph in ut for dd, ut in units if dd == d for ph in expect):
                    problems.append(f"{iid}: no expect phrase from {d}")
    # labels listed in LABELS.md must match the segmenter
    labels_md = (HERE / "LABELS.md").read_text(encoding="utf-8")
    for doc, fn in NEW_UNITS.items():
        if doc not in docs:
            problems.append(f"missing new doc {doc}")
            continue
        for label in fn(docs[doc]):
            if label not in labels_md:
                problems.append(f"LABELS.md lacks {doc} unit {label}")
    for p in problems:
        print(p)
    print(f"{len(items)} items checked ({unsegmented} gold units of older outline documents checked at document level), "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
