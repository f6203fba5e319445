from __future__ import annotations

import pytest

from assistant import outline
from assistant.ingest import load_document
from assistant.route import normalise_question, parse_article_refs, route

from .conftest import CORPUS

DOCS = {d.meta.doc_id: d.meta for d in (load_document(p) for p in sorted(CORPUS.glob("*.txt")))}
GX, LC, LZ = "guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("第五条讲什么", "第五条"),
        ("第5条讲什么", "第五条"),
        ("第 15 条", "第十五条"),
        ("柳州措施二（二）5", "二（二）5"),
        ("柳州措施二(二)5是啥", "二（二）5"),
        ("二（二）第5项", "二（二）5"),
        ("（二）3说了什么", "（二）3"),
        ("柳州的附则", "附则"),
        ("第二章讲什么", "第二章"),
    ],
)
def test_article_references(question: str, label: str) -> None:
    assert label in [r.label for r in parse_article_refs(normalise_question(question))]


def test_item_after_article_is_not_an_outline_reference() -> None:
    refs = parse_article_refs("第五条（三）说了什么")
    assert [r.label for r in refs] == ["第五条（三）"]
    assert outline.resolve(refs[0].ref, ["第四条", "第五条", "第六条"]) == ["第五条"]


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("桂人社规〔2021〕1号第六条", (GX,)),
        ("桂人社规1号第5条", (GX,)),
        ("桂人社规[2021]1号讲了什么", (GX,)),
        ("聊城那个办法第十五条", (LC,)),
        ("《自治区级人力资源服务产业园管理暂行办法》第八条", (GX,)),
        ("广西和聊城的公示期分别多久", (GX, LC)),
        ("自治区级和聊城市级产业园的营收门槛", (LC, GX)),
        ("柳州营收6亿能拿多少奖励", (LZ,)),
        ("核心区面积要求是多少", ()),
        # a level word inside the subject of a named document names no second one
        ("申报聊城市级产业园之前，要先当几年自治区级产业园", (LC,)),
    ],
)
def test_named_documents(question: str, docs: tuple[str, ...]) -> None:
    assert route(question, DOCS).doc_ids == docs


def test_level_word_alone_is_only_a_hint() -> None:
    intent = route("自治区级产业园多久综合评估一次", DOCS)
    assert intent.doc_ids == () and intent.hinted == (GX,)


def test_traditional_and_fullwidth_are_normalised() -> None:
    intent = route("聊城產業園申報條件第６條", DOCS)
    assert intent.question == "聊城产业园申报条件第6条"
    assert intent.doc_ids == (LC,) and intent.articles[0].label == "第六条"


def test_foreign_places_are_flagged() -> None:
    assert route("上海市对人力资源服务企业有什么税收优惠", DOCS).foreign_places == ("上海市",)
    assert route("柳州园区企业能拿多少奖励", DOCS).foreign_places == ()


def test_topic_drops_names_keeps_the_subject() -> None:
    topic = route("桂人社规1号里多个园区的核心园区面积要求", DOCS).topic
    assert "桂人社规" not in topic and "核心园区面积要求" in topic


def test_homophone_typo_of_a_place_still_names_the_document() -> None:
    assert route("聊成市级产业园办法第十一条说了什么", DOCS).doc_ids == (LC,)
    assert route("六州的措施", DOCS).doc_ids == (LZ,)


def test_names_found_by_character_pairs_equal_testing_every_name() -> None:
    """The pair index only skips names a question cannot contain: stripping words and naming
    documents give what testing every name, longest first, gives — words with blanks included."""
    import random

    from assistant.route import _Heads, build_routing, hinted_documents, named_documents

    corpus = build_routing(DOCS)
    words = (*corpus.words, "A B", "园区 办法")
    heads = _Heads(tuple(sorted(set(words), key=lambda w: (-len(w), w))))
    rng = random.Random(7)
    pieces = [*words, "A", "B", "的", "奖励", "多少", " ", "A…B", "第五条", "聊成"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        naive, fast = text, text
        for word in heads.words:
            if word in naive:
                naive = naive.replace(word, " ")
        for word in heads.within(fast):
            if word in fast:
                fast = fast.replace(word, " ")
        assert fast == naive, text
        every = {
            e.doc_id: min(text.find(a) for a in e.aliases if a in text)
            for e in corpus.names
            if any(a in text for a in e.aliases)
        }
        if "号" not in text:  # no 文号 reference: names alone decide, in order of mention
            assert named_documents(text, DOCS) == tuple(sorted(every, key=every.__getitem__)) or not every
        stripped = text
        for alias in corpus.aliases:
            stripped = stripped.replace(alias, " ") if alias in stripped else stripped
        levels = tuple(e.doc_id for e in corpus.names if any(lv in stripped for lv in e.levels))
        assert hinted_documents(text, DOCS) == levels


def test_a_level_word_no_named_document_carries_is_the_subject() -> None:
    assert "市级" in route("柳州那个措施对市级产业园有什么要求", DOCS).topic
    assert "自治区级" not in route("自治区级那个办法对园区面积有什么要求", DOCS).topic


def test_a_gap_asked_of_one_document_is_no_comparison_with_another() -> None:
    """"还差多少" asks a gap to the named document's bar; only a comparison cue lets a level word
    (市级) beside the name bring in the other document of that level."""
    from assistant.types import DocumentMeta

    docs = {
        "a": DocumentMeta(doc_id="a", title="甲市人力资源服务业培育发展办法", places=("甲市",)),
        "b": DocumentMeta(doc_id="b", title="乙市市级人力资源服务产业园管理暂行办法", places=("乙市",)),
    }
    assert route("甲市想申请市级产业园，建筑面积5800平，还差多少", docs).doc_ids == ("a",)


def test_an_announcement_number_named_with_a_shortened_issuer() -> None:
    """"X市人社局公告2026年第11号" names "X市人力资源和社会保障局公告2026年第11号" (the same kind,
    year and serial); another year or another kind does not."""
    from assistant.route import named_documents
    from assistant.types import DocumentMeta

    docs = {
        "a": DocumentMeta(doc_id="a", title="甲市人力资源服务产业园政策兑现服务指南",
                          doc_number="甲市人力资源和社会保障局公告2026年第11号"),
        "b": DocumentMeta(doc_id="b", title="乙市人力资源服务产业园扶持办法", doc_number="乙政规〔2026〕11号"),
    }
    assert named_documents("人社局公告2026年第11号里的办理条件", docs) == ("a",)
    assert named_documents("人社局公告2025年第11号里的办理条件", docs) == ()
    assert named_documents("人社局令2026年第11号", docs) == ()


def test_a_named_documents_kind_written_with_part_of_its_title_is_not_the_subject() -> None:
    """"甲市那个实施办法" names the document; its 实施 asks nothing about validity and its words
    are no subject. A document noun the title does not end with stays in the topic."""
    from assistant.question import understand
    from assistant.types import DocumentMeta

    docs = {"a": DocumentMeta(doc_id="a", title="甲市人力资源服务产业园扶持资金管理实施办法", places=("甲市",))}
    intent = route("甲市那个实施办法对高管有没有奖励", docs)
    assert intent.doc_ids == ("a",)
    assert "实施办法" not in intent.topic and "那个" not in intent.topic
    assert not understand(intent).about_validity
    assert understand(route("甲市的办法什么时候开始实施", docs)).about_validity


def test_an_everyday_word_is_rewritten_only_where_written_as_itself() -> None:
    """房补 → 房租补贴 in "房补退不退", never inside another word (购房补贴 is 购房 + 补贴)."""
    from assistant.route import topic_of

    assert "房租补贴" in topic_of("第一年房补能拿多少", {})
    assert topic_of("高层次人才购房补贴有多少", {}) == "高层次人才购房补贴有多少"
    assert "各县（市、区）" in topic_of("各县区的自评情况啥时候报", {})  # a word holding it is rewritten
