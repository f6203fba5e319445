"""Rules found at ingest, stored with the index generation (`rules.json`).

Every document is read by `assistant.calc.extract` when it is indexed. A document with a
reviewed file in corpus/rules/ keeps only its reviewed rules (they win); any other document's
extracted rules are stored, each marked unreviewed. The manifest records a hash of every rules
source — each reviewed YAML file and each document's extracted rules — so a changed reviewed file
or a new extractor shows in the manifest, and an ingest rebuilds the rules even when no document
changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.calc.extract_types import (
    Bound,
    Cap,
    Deadline,
    DueDate,
    Figure,
    Installments,
    Period,
    PerUnitCapped,
    Refund,
    Rule,
    ScaledBars,
    Threshold,
    TierRow,
    Tiers,
    Variant,
    Window,
)
from assistant.errors import CalcError
from assistant.types import Chunk

RULES_FILE = "rules.json"
# Bump when the extractor reads text differently: stored rules of unchanged documents are then
# extracted again instead of reused.
EXTRACTOR_VERSION = 17
EXTRACTED = "extracted"
REVIEWED = "reviewed"
_CLASSES: dict[str, type[Rule]] = {
    c.kind: c for c in (Threshold, Tiers, PerUnitCapped, Period, Window, Deadline, Installments, Refund, ScaledBars, DueDate)
}


# ---------------------------------------------------------------- (de)serialising


def _plain(data: Any) -> Any:
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def rule_to_json(rule: Rule) -> dict[str, Any]:
    return {"kind": rule.kind, **_plain(asdict(rule))}


def _fig(d: Mapping[str, Any] | None) -> Figure | None:
    if d is None:
        return None
    return Figure(Decimal(d["value"]), d["unit"], d["text"], d.get("label", ""))


def _must_fig(d: Mapping[str, Any]) -> Figure:
    fig = _fig(d)
    assert fig is not None
    return fig


def _bound(d: Mapping[str, Any] | None) -> Bound | None:
    return Bound(_must_fig(d["figure"]), d["inclusive"]) if d else None


def _cap(d: Mapping[str, Any]) -> Cap:
    return Cap(_must_fig(d["figure"]), d["op"], d["scope"], d["phrase"], d.get("of", ""), d.get("basis", ""),
               d.get("when", ""))


def rule_from_json(data: Mapping[str, Any]) -> Rule:
    kind = data.get("kind")
    cls = _CLASSES.get(str(kind))
    if cls is None:
        raise CalcError(f"索引里的规则类型未知：{kind}（unknown stored rule kind）: run `assistant ingest` again")
    base = {k: data[k] for k in ("doc_id", "unit", "phrase", "subject")}
    if cls is Threshold:
        return Threshold(**base, op=data["op"], value=_must_fig(data["value"]), basis=data["basis"],
                         of=data.get("of", ""), applies_to=data.get("applies_to", ""))
    if cls is Tiers:
        rows = tuple(TierRow(_bound(r["lower"]), _bound(r["upper"]), _must_fig(r["reward"]), r["ceiling"],
                             r["bounds"], r["phrase"]) for r in data["rows"])
        return Tiers(**base, rows=rows, caps=tuple(_cap(c) for c in data.get("caps", ())))
    if cls is PerUnitCapped:
        return PerUnitCapped(**base, amount=_must_fig(data["amount"]), per=data["per"],
                             frequency=data["frequency"], ceiling=data["ceiling"], base=data.get("base", ""),
                             caps=tuple(_cap(c) for c in data.get("caps", ())), longest=_fig(data.get("longest")),
                             years=tuple(data.get("years", ())),
                             variants=tuple(Variant(v["condition"], _must_fig(v["factor"]), v["phrase"])
                                            for v in data.get("variants", ())),
                             yearly=tuple((tuple(y), _must_fig(f)) for y, f in data.get("yearly", ())))
    if cls is Period:
        return Period(**base, every=_must_fig(data["every"]), times=_fig(data.get("times")))
    if cls is Window:
        return Window(**base, start=_fig(data.get("start")), end=_must_fig(data["end"]), year=data["year"])
    if cls is Installments:
        return Installments(**base, shares=tuple((tuple(y), _must_fig(f)) for y, f in data["shares"]))
    if cls is DueDate:
        return DueDate(**base, due=_must_fig(data["due"]))
    if cls is ScaledBars:
        return ScaledBars(**base, factor=_must_fig(data["factor"]), bars=tuple(_cap(c) for c in data["bars"]))
    if cls is Refund:
        return Refund(**base, below=_must_fig(data["below"]), above=_fig(data.get("above")),
                      share=_fig(data.get("share")), whole=_fig(data.get("whole")), received=data["received"])
    return Deadline(**base, period=_must_fig(data["period"]), meaning=data["meaning"], start=data.get("start", ""))


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------- at ingest


def reviewed_sources(rules_dir: Path | None = None) -> tuple[set[str], dict[str, str]]:
    """(documents with reviewed rules, {"reviewed:<file>": sha256}). No rules folder: none."""
    from assistant.calc.rules import default_rules_dir, load_rules

    directory = rules_dir or default_rules_dir()
    if not directory.is_dir():
        return set(), {}
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    hashes = {f"reviewed:{f.name}": hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    return {r.doc_id for r in load_rules(directory)}, hashes


def build_rules(
    chunks_by_doc: Mapping[str, Sequence[Chunk]],
    previous: Mapping[str, Any] | None,
    changed: set[str],
    rules_dir: Path | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The rules file's content and the manifest's source hashes. A document neither changed nor
    re-read by a new extractor keeps its stored rules (extraction is not free at 10k documents)."""
    from assistant.calc.extract import extract_chunks

    reviewed, sources = reviewed_sources(rules_dir)
    reuse = previous if previous and previous.get("version") == EXTRACTOR_VERSION else {}
    old_docs: Mapping[str, Any] = reuse.get("documents", {}) if reuse else {}
    documents: dict[str, Any] = {}
    for doc_id in sorted(chunks_by_doc):
        if doc_id in reviewed:
            documents[doc_id] = {"status": REVIEWED, "rules": []}
            continue
        old = old_docs.get(doc_id)
        if old and old.get("status") == EXTRACTED and doc_id not in changed:
            rules = old["rules"]
        else:
            rules = [rule_to_json(r) for r in extract_chunks(chunks_by_doc[doc_id]).rules]
        documents[doc_id] = {"status": EXTRACTED, "rules": rules}
        sources[f"extracted:{doc_id}"] = _sha(rules)
    return {"version": EXTRACTOR_VERSION, "documents": documents}, sources


def write_rules(gen_dir: Path, content: Mapping[str, Any]) -> None:
    (gen_dir / RULES_FILE).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def read_rules_file(gen_dir: Path | None) -> dict[str, Any] | None:
    if gen_dir is None or not (gen_dir / RULES_FILE).exists():
        return None
    data: dict[str, Any] = json.loads((gen_dir / RULES_FILE).read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------- when answering


@lru_cache(maxsize=8)
def _stored(gen_dir: Path) -> tuple[Rule, ...]:
    data = read_rules_file(gen_dir) or {}
    out: list[Rule] = []
    for entry in (data.get("documents") or {}).values():
        if entry.get("status") == EXTRACTED:
            out += [rule_from_json(r) for r in entry["rules"]]
    return tuple(out)


def extracted_rules(gen_dir: Path, reviewed_docs: set[str] | frozenset[str] = frozenset()) -> list[Rule]:
    """The unreviewed rules stored with a generation, without those of documents that have a
    reviewed file now (one added after the ingest wins at once)."""
    return [r for r in _stored(gen_dir) if r.doc_id not in reviewed_docs]


def own_units(rule: Rule) -> set[str]:
    """The units a rule is read from: its unit, or for a table written one row per item, any
    row's item, or for an amount paid by a schedule of yearly shares in a sibling item, that item."""
    if isinstance(rule, PerUnitCapped):
        return {rule.unit} | {f.label for _, f in rule.yearly if f.label}
    return {rule.unit} | ({f.label for f in rule.figures() if f.label} if isinstance(rule, Tiers) else set())


@lru_cache(maxsize=8)
def _by_unit(gen_dir: Path) -> dict[tuple[str, str], tuple[Rule, ...]]:
    out: dict[tuple[str, str], list[Rule]] = {}
    for rule in _stored(gen_dir):
        for unit in own_units(rule):
            out.setdefault((rule.doc_id, unit), []).append(rule)
    return {k: tuple(v) for k, v in out.items()}


def extracted_rules_of(gen_dir: Path, units: Iterable[tuple[str, str]],
                       reviewed_docs: set[str] | frozenset[str] = frozenset()) -> list[Rule]:
    """The unreviewed rules read from these (doc_id, unit) pairs, once each, in stored order:
    answering looks at the rules of the units it retrieved, not at every rule of the corpus."""
    by_unit = _by_unit(gen_dir)
    order = _stored_order(gen_dir)
    found = {id(r): r for key in units for r in by_unit.get(key, ()) if r.doc_id not in reviewed_docs}
    return sorted(found.values(), key=lambda r: order[id(r)])


@lru_cache(maxsize=8)
def _stored_order(gen_dir: Path) -> dict[int, int]:
    return {id(r): i for i, r in enumerate(_stored(gen_dir))}
