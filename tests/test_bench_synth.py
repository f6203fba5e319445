"""The synthetic corpus behind the cost-growth benchmark (evals/synth.py, evals/bench.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from evals import bench
from evals.synth import chinese_number, load_templates, perturb, relocate, synthesize, write_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_chinese_numbers_match_the_labels_the_chunker_expects() -> None:
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 121)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "一百二十一",
    ]


def test_figures_change_but_dates_and_document_numbers_stay() -> None:
    text = "2024年1月1日起，收到申请后45日内，奖励不超过300万元，面积5000平方米，桂人社规〔2021〕1号"
    out = perturb(text, random.Random(3))
    for kept in ("2024年1月1日", "45日", "〔2021〕1号"):
        assert kept in out
    assert "300万元" not in out or "5000平方米" not in out
    assert re.search(r"不超过\d+万元", out) and re.search(r"面积\d+平方米", out)


def test_places_are_replaced() -> None:
    out = relocate("广西壮族自治区 柳州 聊城 桂人社规 柳政规 自治区级", "湖南", "湘", "株洲")
    assert out == "湖南省 株洲 株洲 湘人社规 株政规 省级"


def test_synthetic_documents_keep_their_article_count(tmp_path: Path) -> None:
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    templates = load_templates(CORPUS)
    corpus = write_corpus(tmp_path, 100, CORPUS, seed=1)
    assert corpus.articles >= 100 and len(corpus.files) >= 100 // max(t.articles for t in templates)
    found = sum(len(chunk_document(load_document(f))) for f in corpus.files)
    assert found == corpus.articles
    texts = [f.read_text(encoding="utf-8") for f in corpus.files]
    assert len(set(texts)) == len(texts)
    assert not any("柳州" in t or "聊城" in t or "广西" in t for t in texts)
    # Articles really moved: the first article of a 条 document differs between two copies.
    gx = [t for t in texts if "第一条 " in t]
    firsts = {re.search(r"第一条 (.{12})", t).group(1) for t in gx}  # type: ignore[union-attr]
    assert len(firsts) > 1
    assert synthesize(templates[0], 0, random.Random(0)) == synthesize(templates[0], 0, random.Random(0))


@pytest.mark.slow
def test_growth_one_size_reports_every_measurement() -> None:
    row = bench.growth_one(150, "hash", 3)
    assert row["articles"] >= 150 and row["failed"] == 0
    assert row["index_bytes"] > 0 and row["peak_rss_bytes"] > 0
    assert row["query_p95_ms"] >= row["query_p50_ms"] > 0
