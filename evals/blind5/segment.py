"""Small independent segmenter for the 20 documents of blind5 (no project code).

segment(doc_id) -> OrderedDict label -> text (line breaks removed; a parent unit contains its children).
Document locations are listed in DOC_PATHS.
"""
import os
import re
from collections import OrderedDict

MAIN = "/work/main"
HERE = os.path.dirname(os.path.abspath(__file__))

DOC_PATHS = {
    "guangxi-2021-regional-park": f"{MAIN}/corpus/guangxi-2021-regional-park.txt",
    "liaocheng-city-park": f"{MAIN}/corpus/liaocheng-city-park.txt",
    "liuzhou-2024-park-measures": f"{MAIN}/corpus/liuzhou-2024-park-measures.txt",
    "lanjiang-2023-hr-park-rules": f"{MAIN}/tests/fixtures/policies/lanjiang-2023-hr-park-rules.txt",
    "heyuan-hr-service-subsidy": f"{MAIN}/tests/fixtures/policies/heyuan-hr-service-subsidy.txt",
    "qinglan-county-park-implementation": f"{MAIN}/tests/fixtures/policies/qinglan-county-park-implementation.txt",
    "yunxiu-province-hr-industry-plan": f"{MAIN}/tests/fixtures/policies/yunxiu-province-hr-industry-plan.txt",
    "chengjiang-bay-talent-notice": f"{MAIN}/tests/fixtures/policies/chengjiang-bay-talent-notice.txt",
    "zhiting-2024-park-fund-measures": f"{MAIN}/evals/blind/docs/zhiting-2024-park-fund-measures.txt",
    "lucen-hitech-2023-employment-measures": f"{MAIN}/evals/blind/docs/lucen-hitech-2023-employment-measures.txt",
    "songyu-2025-hr-industry-action-plan": f"{MAIN}/evals/blind4/docs/songyu-2025-hr-industry-action-plan.txt",
    "qiaoshan-2025-hr-park-promotion-measures": f"{MAIN}/evals/blind4/docs/qiaoshan-2025-hr-park-promotion-measures.txt",
    "muxi-2024-hr-service-employment-notice": f"{MAIN}/evals/blind4/docs/muxi-2024-hr-service-employment-notice.txt",
    "weitang-2026-hr-park-entry-provisions": f"{HERE}/docs/weitang-2026-hr-park-entry-provisions.txt",
    "jichuan-2026-provincial-park-rules-draft": f"{HERE}/docs/jichuan-2026-provincial-park-rules-draft.txt",
    "tangling-2025-hr-park-expansion-notice": f"{HERE}/docs/tangling-2025-hr-park-expansion-notice.txt",
    "puling-county-2024-hr-park-interim-measures": f"{HERE}/docs/puling-county-2024-hr-park-interim-measures.txt",
}
NEW_DOCS = [
    "weitang-2026-hr-park-entry-provisions",
    "jichuan-2026-provincial-park-rules-draft",
    "tangling-2025-hr-park-expansion-notice",
    "puling-county-2024-hr-park-interim-measures",
]

CN = "一二三四五六七八九十百零〇"
CIRC = "①②③④⑤⑥⑦⑧⑨⑩"

ARTICLE_DOCS = {
    "guangxi-2021-regional-park", "liaocheng-city-park", "lanjiang-2023-hr-park-rules",
    "zhiting-2024-park-fund-measures", "qiaoshan-2025-hr-park-promotion-measures",
    "weitang-2026-hr-park-entry-provisions", "jichuan-2026-provincial-park-rules-draft",
}

P_PART = (re.compile(r"^(第[一二三四五六七八九十]+部分)"), lambda m: m.group(1))
P_CN_DUN = (re.compile(rf"^([{CN}]+)、"), lambda m: m.group(1))
P_CN_DOT = (re.compile(rf"^([{CN}]+)\."), lambda m: m.group(1))
P_CN_PAREN = (re.compile(rf"^（([{CN}]+)）"), lambda m: f"（{m.group(1)}）")
P_AR_DOT = (re.compile(r"^(\d+)[\.．](?!\d)"), lambda m: m.group(1))
P_AR_PAREN = (re.compile(r"^[（(](\d+)[）)]"), lambda m: f"（{m.group(1)}）")
P_CIRC = (re.compile(rf"^([{CIRC}])"), lambda m: m.group(1))

# outline documents: level patterns (outermost first), preface start, tail (附则) start, stop prefixes
OUTLINE = {
    "liuzhou-2024-park-measures": dict(levels=[P_CN_DUN, P_CN_PAREN, P_AR_DOT], preface="[bookmark: _GoBack]为",
                                       tail=("本办法自2024年1月1日起实施", "(尾段)"), stop=[]),
    "heyuan-hr-service-subsidy": dict(levels=[P_CN_PAREN, P_AR_PAREN], preface="为贯彻落实",
                                      tail=("本通知自印发之日起施行", "附则"), stop=["禾源市人力资源和社会保障局"]),
    "qinglan-county-park-implementation": dict(levels=[P_CN_DUN, P_CN_PAREN, P_AR_DOT, P_AR_PAREN],
                                               preface="为加快发展县域", tail=None, stop=[]),
    "yunxiu-province-hr-industry-plan": dict(levels=[P_PART, P_AR_DOT, P_CIRC], preface="为深入实施",
                                             tail=None, stop=[]),
    "lucen-hitech-2023-employment-measures": dict(levels=[P_AR_DOT, P_AR_PAREN, P_CIRC], preface="为帮助区内企业",
                                                  tail=("本措施自2023年1月1日起施行", "附则"), stop=[]),
    "songyu-2025-hr-industry-action-plan": dict(levels=[P_PART, P_CN_DUN, P_CN_PAREN, P_AR_DOT],
                                                preface="为加快建设松屿", tail=None, stop=[]),
    "muxi-2024-hr-service-employment-notice": dict(levels=[P_CN_DUN, P_AR_DOT, P_AR_PAREN], preface="为发挥人力资源服务机构",
                                                   tail=None, stop=["沐溪市人力资源和社会保障局　　"]),
    "tangling-2025-hr-park-expansion-notice": dict(levels=[P_CN_DUN, P_AR_PAREN], preface="为加快棠陵",
                                                   tail=None, stop=["棠陵市人力资源和社会保障局　　"]),
    "puling-county-2024-hr-park-interim-measures": dict(levels=[P_CN_DOT, P_CIRC], preface="为培育县域",
                                                        tail=None, stop=[]),
}

ANNEX = re.compile(r"^(附件\d*|附表\d+)(?=[：:　\s]|$)")
ARTICLE = re.compile(rf"^(第[{CN}]+条)")
CONTAINER = re.compile(rf"^第[{CN}]+[章节](\s|　|$)")


def read(doc_id):
    with open(DOC_PATHS[doc_id], encoding="utf-8") as f:
        return f.read()


def _collect(rows):
    """rows: list of (path tuple | None, line). Returns OrderedDict label -> joined text."""
    out = OrderedDict()
    for path, line in rows:
        if path is None:
            continue
        for i in range(1, len(path) + 1):
            lab = "".join(path[:i])
            out.setdefault(lab, "")
            out[lab] += line
    return out


def segment(doc_id):
    text = read(doc_id)
    lines = [ln.strip() for ln in text.splitlines()]
    rows = []
    if doc_id in ARTICLE_DOCS:
        cur = None
        for ln in lines:
            if not ln:
                continue
            m = ANNEX.match(ln)
            if m:
                cur = (m.group(1),)
            elif ARTICLE.match(ln):
                cur = (ARTICLE.match(ln).group(1),)
            elif CONTAINER.match(ln):
                cur = None
                continue
            rows.append((cur, ln))
        return _collect(rows)
    if doc_id == "chengjiang-bay-talent-notice":
        started, n = False, 0
        for ln in lines:
            if not ln:
                continue
            if ln.startswith("各区人力资源和社会保障局"):
                started = True
                continue
            if ln.startswith("澄江湾市人力资源和社会保障局") and started and n >= 12:
                break
            if started:
                n += 1
                rows.append(((f"第{n}段",), ln))
        return _collect(rows)
    cfg = OUTLINE[doc_id]
    stack = []  # list of (depth, token)
    cur = None
    in_annex = False
    started = False
    for ln in lines:
        if not ln:
            continue
        if any(ln.startswith(s) for s in cfg["stop"]) and started:
            cur = None
            continue
        if not started:
            if ln.startswith(cfg["preface"]):
                started = True
                cur = ("序言",)
                rows.append((cur, ln))
            continue
        m = ANNEX.match(ln)
        if m:
            in_annex = True
            cur = (m.group(1),)
            rows.append((cur, ln))
            continue
        if in_annex:
            rows.append((cur, ln))
            continue
        if cfg["tail"] and ln.startswith(cfg["tail"][0]):
            cur = (cfg["tail"][1],)
            stack = []
            rows.append((cur, ln))
            continue
        hit = None
        for depth, (rx, fmt) in enumerate(cfg["levels"]):
            mm = rx.match(ln)
            if mm:
                hit = (depth, fmt(mm))
                break
        if not hit and doc_id == "puling-county-2024-hr-park-interim-measures" and cur and len(cur) == 2:
            # an unnumbered sentence after the last ① item belongs to the parent item (e.g. 四's closing rule)
            cur = cur[:1]
            stack = stack[:1]
        if hit:
            depth, tok = hit
            while stack and stack[-1][0] >= depth:
                stack.pop()
            stack.append((depth, tok))
            cur = tuple(t for _, t in stack)
        rows.append((cur, ln))
    return _collect(rows)


def parse_labels_md(path):
    """LABELS.md -> {doc_id: [labels]} from the '单元' line of each '## <doc>.txt' section."""
    res = {}
    doc = None
    for ln in open(path, encoding="utf-8"):
        ln = ln.rstrip("\n")
        m = re.match(r"^## (\S+)\.txt", ln)
        if m:
            doc = m.group(1)
            continue
        if doc and " / " in ln and not ln.startswith("-"):
            res[doc] = [x.strip() for x in ln.split(" / ")]
    return res


if __name__ == "__main__":
    import sys
    for d in (sys.argv[1:] or DOC_PATHS):
        segs = segment(d)
        print(d, len(segs))
        print("  " + " / ".join(segs))
