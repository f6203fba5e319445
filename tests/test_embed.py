from __future__ import annotations

import numpy as np
import pytest

from assistant.embed import get_embedder
from assistant.errors import UnknownEmbedder
from assistant.lc_embeddings import LangChainEmbeddings


def test_unknown_embedder_lists_the_choices() -> None:
    with pytest.raises(UnknownEmbedder, match="use-m3, st:"):
        get_embedder("bge")


def test_st_name_that_is_not_local_is_refused_clearly() -> None:
    with pytest.raises(UnknownEmbedder, match="no model hub"):
        get_embedder("st:BAAI/bge-small-zh-v1.5")


def test_hash_embedder_is_deterministic_and_normalised() -> None:
    emb = get_embedder("hash")
    a, b = emb.encode(["核心区建筑面积", "核心区建筑面积"])
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)


@pytest.mark.slow
def test_use_m3_relates_chinese_paraphrases() -> None:
    emb = LangChainEmbeddings(get_embedder("use-m3"))
    q = np.array(emb.embed_query("公示期多长"))
    near, far = np.array(emb.embed_documents(["经5个工作日公示无异议的", "专职工作人员不少于3人"]))
    assert len(q) == 512 and q @ near > q @ far


@pytest.mark.slow
def test_sentence_transformers_backend_with_packaged_minilm() -> None:
    emb = get_embedder("st:all-MiniLM-L6-v2")
    vectors = emb.encode(["industrial park reward", "reward for an industrial park", "tax holiday in Shanghai"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.slow
def test_index_built_with_sentence_transformers_backend(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.index import Index
    from assistant.ingest import ingest_paths

    from .conftest import CORPUS, TODAY

    report = ingest_paths([CORPUS / "liaocheng-city-park.txt"], tmp_path, "st:all-MiniLM-L6-v2", today=TODAY)
    assert report.embedded == 17
    index = Index(tmp_path, embedder_name="st:all-MiniLM-L6-v2")
    found = index.vectorstore.similarity_search_with_score("第六条 市级产业园申报条件", k=3)
    assert len(found) == 3 and all(d.metadata["doc_id"] == "liaocheng-city-park" for d, _ in found)
