from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.index import Index
from assistant.retrieve import FusionWeights, PolicyRetriever, Retriever, fuse, validity_unit
from assistant.route import Intent

from .conftest import ROOT

GX, LC, LZ = "guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"


def test_fuse_is_a_weighted_sum_of_max_normalised_scores() -> None:
    fused = fuse(np.array([2.0, 1.0, 0.0]), np.array([0.2, 0.4, 0.0]), FusionWeights(0.6, 0.4))
    assert fused.tolist() == pytest.approx([0.6 + 0.2, 0.3 + 0.4, 0.0])
    assert fuse(np.zeros(2), np.zeros(2), FusionWeights()).tolist() == [0.0, 0.0]


@pytest.fixture
def retriever(hash_index: Path) -> Retriever:
    return Retriever(Index(hash_index))


@pytest.mark.parametrize(
    ("question", "doc", "article"),
    [
        ("广西第五条", GX, "第五条"),
        ("桂人社规1号第5条", GX, "第五条"),
        ("聊城办法第十七条说什么", LC, "第十七条"),
        ("柳州措施二(二)5是什么", LZ, "二（二）5"),
        ("柳州那个措施的附则", LZ, "附则"),
    ],
)
def test_exact_lookup_comes_first(retriever: Retriever, question: str, doc: str, article: str) -> None:
    hit = retriever.retrieve(question, k=3)[0]
    assert (hit.chunk.doc_id, hit.chunk.article, hit.via) == (doc, article, "exact")


def test_article_without_document_returns_it_from_every_document(retriever: Retriever) -> None:
    hits = retriever.retrieve("第十七条讲什么", k=5)
    # only 聊城 has a 第十七条
    assert [(h.chunk.doc_id, h.via) for h in hits[:1]] == [(LC, "exact")]
    both = {h.chunk.doc_id for h in retriever.retrieve("第五条", k=5) if h.via == "exact"}
    assert both == {GX, LC}


def test_named_document_restricts_results(retriever: Retriever) -> None:
    hits = retriever.retrieve("聊城的产业园评估多久一次", k=5)
    assert hits and {h.chunk.doc_id for h in hits} == {LC}


def test_cross_document_question_leads_with_each_document(retriever: Retriever) -> None:
    hits = retriever.retrieve("广西和聊城对入驻机构数量的要求分别是多少", k=5)
    assert {hits[0].chunk.doc_id, hits[1].chunk.doc_id} == {GX, LC}


def test_a_named_document_asked_whether_it_applies_leads_with_its_validity_unit(retriever: Retriever) -> None:
    top = retriever.retrieve("柳州措施里引进人才的补贴政策现在还有效吗")[0]
    assert top.chunk.doc_id == LZ and "有效期" in top.chunk.text


def test_a_document_on_trial_states_its_validity_with_试行() -> None:
    """自…起试行，试行期2年 is the unit a validity answer cites (not the preamble), though an
    earlier unit names another document's （试行） title."""
    from assistant.types import Chunk

    units = [
        Chunk("d", "序言", "根据《国家级人力资源服务产业园管理办法（试行）》，制定本指南。"),
        Chunk("d", "3.2", "3.2 审核\n市人社局在20个工作日内完成审核。"),
        Chunk("d", "附则", "本指南自2025年1月1日起试行，试行期2年。"),
    ]
    assert validity_unit(units) == units[2]
    assert validity_unit(units[:2]) is None


def test_hybrid_hits_say_how_they_were_found(retriever: Retriever) -> None:
    hits = retriever.retrieve("专项发展资金每年安排多少", k=5)
    assert hits[0].chunk.article == "二（二）1"
    assert {h.via for h in hits} <= {"bm25", "dense", "fused"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_langchain_retriever_wraps_the_same_results(retriever: Retriever) -> None:
    docs = PolicyRetriever(retriever=retriever, k=2).invoke("广西第六条")
    assert docs[0].metadata["article"] == "第六条" and docs[0].metadata["via"] == "exact"


@pytest.mark.slow
def test_sample_gold_articles_in_top5_via_cli(use_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Acceptance: `assistant retrieve --json -k 5 -` over the public sample, default embedder."""
    from assistant import settings

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(use_index))
    monkeypatch.delenv("ASSISTANT_EMBEDDER", raising=False)
    settings.get_settings.cache_clear()
    sample = ROOT.parent / "shared" / "evals" / "sample.jsonl"
    if not sample.exists():
        pytest.skip(f"public sample not found at {sample}")
    questions = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line]
    stdin = "\n".join(json.dumps({"id": q["id"], "question": q["question"]}, ensure_ascii=False) for q in questions)
    result = CliRunner().invoke(main, ["retrieve", "--json", "-k", "5", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    for q in questions:
        found = {(h["doc_id"], h["article"]) for h in out[q["id"]]["hits"]}
        for gold in q["gold"]:
            assert (gold["doc"], gold["article"]) in found, (q["id"], found)


# --- candidate sets: the index tables give what a scan over every chunk gives


def test_exact_positions_match_a_scan_of_every_chunk(retriever: Retriever) -> None:
    """With no document named, references resolve over the index's distinct labels; the result
    is what resolving them in every document's chunks gives, also within a candidate set."""
    from assistant.retrieve import exact_positions, resolve_refs
    from assistant.route import Intent, parse_article_refs

    index = retriever.index
    labels = sorted({c.article for c in index.chunks} | {c.chapter.split(" ")[0] for c in index.chunks if c.chapter})
    questions = [*labels, "（二）5", "（一）", "第5条", "附则", "序言", "第二章", "二"]
    for question in questions:
        refs = parse_article_refs(question)
        if not refs or any(r.kind == "last" for r in refs):
            continue
        intent = Intent(question, "", (), (), refs, (), ())
        scanned = sorted(index.position(c) for c in resolve_refs(refs, index.chunks, named=False))
        assert sorted(exact_positions(intent, index, None)) == scanned, question
        for positions in index.doc_positions.values():
            restricted = [int(p) for p in positions if int(p) in scanned]
            assert exact_positions(intent, index, positions) == restricted, question


def test_top_k_equals_a_full_sort_with_ties() -> None:
    from assistant.retrieve import _top

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        fused = rng.integers(0, 4, n).astype(float) / 3  # many ties
        orders = rng.integers(0, 5, n)
        eligible = fused > 0
        k = int(rng.integers(1, 8))
        full = sorted((i for i in range(n) if eligible[i]), key=lambda i: (-fused[i], orders[i], i))
        assert _top(fused, orders, eligible, k) == full[:k]


def test_lexical_decision_only_when_no_dense_score_can_change_the_leader() -> None:
    from assistant.retrieve import _lexically_decided

    weights = FusionWeights(0.6, 0.4)
    # the rival keeps 30 % of the leader's BM25 score: 0.6·0.3 + 0.4 < 0.6, the leader holds
    assert _lexically_decided(np.array([10.0, 3.0, 0.0]), weights)
    # at 40 % it could be overtaken (0.6·0.4 + 0.4 > 0.6): embed the query
    assert not _lexically_decided(np.array([10.0, 4.0, 0.0]), weights)
    assert not _lexically_decided(np.zeros(3), weights)
    # the worst case the bound allows, checked against fuse itself
    bm25 = np.array([10.0, 3.3])
    for leader_dense, rival_dense in ((0.0, 1.0), (0.2, 1.0), (1.0, 0.0)):
        fused = fuse(bm25, np.array([leader_dense, rival_dense]), weights)
        assert fused[0] > fused[1]


def test_dense_search_numpy_and_chroma_agree(retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import vectors

    index = retriever.index
    brute = index.vectors
    assert brute.matrix is not None  # a small collection is searched in memory
    monkeypatch.setattr(vectors, "BRUTE_FORCE_MAX", 0)
    hnsw = vectors.VectorSearch(lambda: brute.collection, brute.embedder, brute.positions, len(index.chunks))
    assert hnsw.matrix is None and brute.brute_force_max > len(index.chunks)
    for question, doc_ids in (("核心区建筑面积", ()), ("经济贡献奖励", ("liuzhou-2024-park-measures",))):
        positions = retriever.candidate_positions(Intent(question, question, doc_ids, (), (), (), ()))
        a_pos, a_sim = brute.search(question, 5, positions, doc_ids)
        b_pos, b_sim = hnsw.search(question, 5, positions, doc_ids)
        assert sorted(a_pos.tolist()) == sorted(b_pos.tolist())
        assert sorted(a_sim.tolist()) == pytest.approx(sorted(b_sim.tolist()), abs=1e-5)
        assert {index.chunks[int(p)].doc_id for p in a_pos} <= set(doc_ids or index.doc_positions)


def test_query_vectors_are_cached(retriever: Retriever) -> None:
    search = retriever.index.vectors
    first = search.query_vector("园区认定条件")
    assert search.query_vector("园区认定条件") is first
    assert not first.flags.writeable


def test_small_embedded_index_answers_without_chromadb(hash_index: Path) -> None:
    """The vectors of a small embedded index are kept in chunk order beside it: the same
    numbers Chroma holds, searched without opening Chroma."""
    index = Index(hash_index)
    search = index.vectors
    assert search.matrix is not None and "collection" not in search.__dict__
    stored = search.collection.get(include=["embeddings"])
    for chunk_id, vector in zip(stored["ids"], stored["embeddings"], strict=True):
        assert np.allclose(search.matrix[index._positions[chunk_id]], vector)


def test_lcel_runnable_is_the_same_chain(hash_index: Path) -> None:
    from assistant.chain import AnswerChain

    from .conftest import TODAY

    chain = AnswerChain(Index(hash_index), TODAY)
    question = "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"
    direct = chain.ask(question)
    via_lcel = chain.runnable.invoke({"question": question, "history": []})
    assert via_lcel.answer == direct.answer and via_lcel.citations == direct.citations


def test_dense_search_leaves_one_blas_thread_for_the_process(retriever: Retriever) -> None:
    from threadpoolctl import threadpool_info

    retriever.index.vectors.search("园区认定条件", 3)
    blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    assert blas and set(blas) == {1}


def test_named_documents_are_searched_in_memory_when_the_index_is_large(
    hash_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from assistant import vectors

    index = Index(hash_index)
    search = index.vectors
    assert isinstance(search.matrix, np.memmap)  # vectors.npy is mapped, not read
    search.brute_force_max = 20  # the index (46 articles) counts as large
    positions = index.doc_positions[LZ]
    found, _ = search.search("经济贡献奖励", 5, positions, (LZ,))
    assert "collection" not in search.__dict__  # answered from the mapped rows, Chroma never opened
    assert {index.chunks[int(p)].doc_id for p in found} == {LZ}
    monkeypatch.setattr(vectors, "GATHER_MAX", 0)  # many named rows: every row's product, then theirs
    again, _ = search.search("经济贡献奖励", 5, positions, (LZ,))
    assert sorted(again.tolist()) == sorted(found.tolist())
    search.search("经济贡献奖励", 5)
    assert "collection" in search.__dict__  # every article: more than brute_force_max, so HNSW
    index.close()


def test_best_article_per_document_in_one_sort_equals_top_per_document() -> None:
    import numpy as np

    from assistant.retrieve import _best_per_code, _top

    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 60))
        fused = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=n)  # ties on purpose
        orders = rng.integers(0, 5, size=n)
        codes = rng.integers(0, 6, size=n)
        eligible = fused > 0
        best = _best_per_code(fused, orders, eligible, codes)
        for code in range(6):
            assert best.get(code, []) == _top(fused, orders, eligible & (codes == code), 1)


AMENDMENT = """澄川县人民政府关于修改《澄川县人力资源服务产业园扶持办法》的决定
澄政发〔2026〕3号
各乡镇人民政府，县直各单位：
县人民政府决定对《澄川县人力资源服务产业园扶持办法》作如下修改：
一、将第五条修改为：“入驻机构租用办公用房的，按照每月每平方米15元给予房租补贴，每年最高不超过5万元。”
二、增加一条作为第九条：“入驻机构举办招聘会的，每场补贴3000元，每年最多补贴10场。”
原第九条至第十二条相应顺延为第十条至第十三条。
三、本决定施行前已按原《办法》第五条享受房租补贴、补贴期未满的机构，剩余期限按照修改后的第五条执行。
四、本决定自2026年5月1日起施行。
澄川县人民政府
2026年4月1日
"""


def test_a_document_number_is_no_unit_reference() -> None:
    from assistant.route import route

    assert [a.label for a in route("枫政发（2026）9号的附表给我看下", {}).articles] == ["附表"]


def test_an_article_of_a_decision_with_no_articles_is_the_item_that_writes_it(tmp_path: Path) -> None:
    """"新增的第九条" of a 修改决定 numbered 一、二、: the item that writes 第九条, not a loose 九;
    "第一项" is its item 一."""
    from .conftest import chain_over

    chain = chain_over(tmp_path, {"chengchuan-amendment": AMENDMENT})
    first = chain.retriever.retrieve("澄川那个修改决定新加的第九条原文")
    assert [h.chunk.article for h in first[:1]] == ["二"]
    # 一 and 三 both write 第五条; 一 is also the 第一项 asked, so it leads
    both = chain.retriever.retrieve("澄川修改决定第一项，把第五条改成了什么？原文给我")
    assert [h.chunk.article for h in both[:2]] == ["一", "三"]


SIBLINGS = """岚溪县人力资源服务产业园扶持办法
岚政规〔2026〕2号
为促进产业园发展，制定本办法。
一、规模奖励
（一）已获得规模奖励的机构，营业收入首次升入更高档次的，按照新档次规模奖励标准与已获规模奖励的差额给予补差。
（二）对上一年度营业收入达到1000万元以上的机构，按照以下标准给予一次性奖励：1000万元（含）至3000万元（不含）的，奖励10万元；3000万元（含）至5000万元（不含）的，奖励20万元；5000万元（含）至1亿元（不含）的，奖励30万元；1亿元（含）至3亿元（不含）的，奖励50万元；3亿元（含）以上的，奖励80万元。
（三）规模奖励累计不超过100万元。
二、附则
本办法自2026年1月1日起施行。
"""


def test_the_sibling_whose_tier_the_asked_figure_falls_in_leads(tmp_path: Path) -> None:
    """Sibling items share the question's words; the one holding the tier 营收6000万 falls in
    is read first (the calculator cites it), and without a figure the words decide."""
    from .conftest import chain_over

    chain = chain_over(tmp_path, {"lanxi-measures": SIBLINGS})
    worded = chain.retriever.retrieve("岚溪规模奖励升档了怎么补差")
    assert worded[0].chunk.article == "一（一）"
    figured = chain.retriever.retrieve("岚溪营收6000万，规模奖励拿多少")
    assert figured[0].chunk.article == "一（二）"  # by the words alone （一） ties and leads
    assert "30万元" in chain.ask("岚溪营收6000万，规模奖励拿多少").answer
