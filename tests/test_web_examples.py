"""The empty chat's example questions come from the documents in the index: a park that
ingests only its own policies sees examples about them, each answered from the document it
names (real ingest, real chain; hash embedder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.chain import AnswerChain
from assistant.index import Index
from assistant.web.examples import answerable, candidates, tier_example

from .conftest import CORPUS, TODAY

FIXTURES = Path(__file__).parent / "fixtures" / "policies"


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five invented policies, nothing of the seed corpus (and no rules directory)."""
    from assistant.ingest import ingest_paths

    root = tmp_path_factory.mktemp("fixture-park")
    corpus = root / "corpus"
    corpus.mkdir()
    for policy in FIXTURES.glob("*.txt"):
        shutil.copy(policy, corpus / policy.name)
    assert not ingest_paths([corpus], root / "index", "hash", today=TODAY).failed
    return root / "index"


def _seed_names(seed: Index) -> list[str]:
    """Every way an example could name a seed document: title, 文号, places."""
    names = []
    for meta in seed.documents.values():
        names += [meta.title, *(meta.places), *([meta.doc_number] if meta.doc_number else [])]
    return names


def _names(question: str, meta: object) -> bool:
    title = getattr(meta, "title", "")
    return any(p in question for p in getattr(meta, "places", ())) or title in question


@pytest.mark.parametrize("rules_from", ["none", "seed"])
def test_a_fixture_only_index_gets_examples_about_its_own_documents(
    fixture_index: Path, hash_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_from: str
) -> None:
    from assistant import settings

    # no rules at all, or the seed's reviewed rules (about documents this index lacks)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path if rules_from == "none" else CORPUS))
    settings.get_settings.cache_clear()
    index = Index(fixture_index)
    chain = AnswerChain(index, TODAY)
    examples = answerable(chain)
    assert 4 <= len(examples) <= 6, examples
    seed = _seed_names(Index(hash_index))
    for example in examples:
        assert not [n for n in seed if n in example.question], example
        named = [d for d, meta in index.documents.items() if _names(example.question, meta)]
        assert named and set(example.doc_ids) <= set(named), example
        answer = chain.ask(example.question)
        assert answer.answered and {c.doc_id for c in answer.citations} & set(example.doc_ids), example
    assert len({d for e in examples for d in e.doc_ids}) >= 4  # many documents, not one
    asked = [e.question for e in examples]  # more than one kind of question
    assert any("讲了什么" in q for q in asked) and any("有效期" in q for q in asked)


def test_the_seed_index_gets_rule_questions_with_a_figure_inside_a_tier(hash_index: Path) -> None:
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.calc.rules import load_rules

    index = Index(hash_index)
    examples = answerable(AnswerChain(index, TODAY))
    assert 4 <= len(examples) <= 6
    assert {d for e in examples for d in e.doc_ids} == set(index.documents)
    tiers = [r for r in load_rules() if r.kind == "tiers" and r.doc_id in index.documents]
    assert tiers
    for rule in tiers:
        example = tier_example(rule, index.documents)
        assert example is not None and example.follow_up
        figure = extract_quantities(example.question)[0].value
        inside = [t for t in rule.tiers if t.contains(figure)]
        assert inside and figure not in (inside[0].min, inside[0].max)  # inside, not on a bound
    # one question of each kind the rules allow: a tier, a threshold, a comparison
    kinds = [e for e in examples if len(e.doc_ids) == 2]
    assert kinds and "相差" in kinds[0].question


def test_candidates_without_rules_still_name_every_document(fixture_index: Path) -> None:
    index = Index(fixture_index)
    found = candidates(index.documents, index.by_doc, [], TODAY)
    assert {d for e in found for d in e.doc_ids} == set(index.documents)


def test_the_backend_offers_the_examples_and_warms_up_with_them(
    fixture_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import settings
    from assistant.web.backend import Backend

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(fixture_index))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    settings.get_settings.cache_clear()
    backend = Backend()
    try:
        shown = backend.examples()
        assert 4 <= len(shown) <= 6
        assert all(any(_names(q, m) for m in backend.index.documents.values()) for q in shown)
    finally:
        backend.close()
