"""The citation checker on real indexes: finding citations, matching documents, units, quotes,
status, and `assistant verify` through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.citations import find_citations, find_mentions, parse_units
from assistant.cli import main
from assistant.index import Index
from assistant.quotes import check_quote
from assistant.verify import TextTooLong, verify_text
from tests.conftest import TODAY
from tests.verify_support import EXPECTED, SIX_CITATIONS, build_index


@pytest.fixture(scope="module")
def verify_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("verify-index"))


@pytest.fixture(scope="module")
def index(verify_index: Path) -> Index:
    return Index(verify_index)


# ---------------------------------------------------------------- finding citations


@pytest.mark.parametrize(
    ("written", "label", "kind"),
    [
        ("第五条", "第五条", "article"),
        ("第5条", "第五条", "article"),
        ("二（二）5", "二（二）5", "outline"),
        ("二(二)5", "二（二）5", "outline"),
        ("第五条第（三）项", "第五条（三）", "item"),
        ("第十三条第二款", "第十三条第二款", "paragraph"),
        ("第十三条第2款第（一）项", "第十三条第二款（一）", "item"),
        ("附件1", "附件1", "annex"),
        ("附件二", "附件2", "annex"),
    ],
)
def test_unit_forms_are_normalised_to_labels(written: str, label: str, kind: str) -> None:
    units = parse_units(f"，{written}规定")
    assert [(u.label, u.kind) for _, u in units] == [(label, kind)]
    assert units[0][1].written == written


def test_mentions_titles_numbers_and_not_inside_quotes() -> None:
    text = (
        "依据《甲办法》（甲规〔2020〕1号）第一条，和乙发〔2019〕3号第二条。"
        "《丙办法》附则规定“《丁办法》（丁规〔2018〕2号）停止执行”。"
    )
    mentions = find_mentions(text)
    assert [(m.title, m.doc_number) for m in mentions] == [
        ("甲办法", "甲规〔2020〕1号"),
        (None, "乙发〔2019〕3号"),
        ("丙办法", None),
    ]


def test_a_quote_attaches_to_the_unit_before_it_and_units_stay_in_their_sentence() -> None:
    text = "《甲办法》第五条规定“甲”，第六条规定：“乙”。另外第七条不是引用。《乙办法》规定“丙”。"
    found = [(c.mention.title, c.unit.label if c.unit else None, c.quote) for c in find_citations(text)]
    assert found == [
        ("甲办法", "第五条", "甲"),
        ("甲办法", "第六条", "乙"),
        ("乙办法", None, "丙"),
    ]


# ---------------------------------------------------------------- quotes


def test_quote_exact_with_ellipsis_and_width_differences() -> None:
    unit = "第五条 入驻面积达到园区建筑面积60%以上；设立多个园区的，核心区不少于20家。"
    assert check_quote("入驻面积达到园区建筑面积６０％以上", unit).result == "exact"
    assert check_quote("入驻面积达到……核心区不少于20家", unit).result == "exact"


def test_quote_with_a_changed_number_is_called_out() -> None:
    unit = "园区企业主营业务收入在5亿元至10亿元的，一次性奖励不超过50万元；"
    check = check_quote("一次性奖励不超过60万元", unit)
    assert check.result == "differs"
    assert [(d.quoted, d.actual, d.number) for d in check.differences] == [("60万", "50万", True)]
    percent = check_quote("入驻率达到87%", "入驻率达到85%以上")
    assert [(d.quoted, d.actual) for d in percent.differences] == [("87%", "85%")]


def test_a_figure_in_no_tier_names_every_equally_close_tier() -> None:
    tiers = "收入1亿元以上的，奖励不超过10万元；收入5亿元以上的，奖励不超过30万元；收入10亿元以上的，奖励不超过50万元。"
    check = check_quote("奖励不超过40万元", tiers)
    assert check.result == "differs"
    first = [d.actual for d in check.differences if d.number]
    assert len(first) == 1
    assert {*first, *check.alternative_figures()} == {"10万", "30万", "50万"}


def test_quote_that_is_not_in_the_unit() -> None:
    check = check_quote("每年安排专项资金一千万元用于奖励", "第一条 为规范管理，制定本办法。")
    assert check.result == "not_found"


# ---------------------------------------------------------------- against the index


def test_six_citations(index: Index) -> None:
    report = verify_text(SIX_CITATIONS, index, TODAY)
    assert [(c.verdict, fragment in c.cited) for c, (_, fragment) in zip(report.citations, EXPECTED, strict=True)] == [
        (verdict, True) for verdict, _ in EXPECTED
    ]
    right, arabic, number, missing, replaced, outside = report.citations
    assert (right.doc_id, right.label, right.quote and right.quote.result) == (
        "guangxi-2021-regional-park", "第六条（二）", "exact")
    assert right.unit_text.startswith("（二）评估。")
    assert (arabic.doc_id, arabic.label, arabic.status and arabic.status.word) == (
        "liaocheng-city-park", "第六条", "现行")
    assert number.quote is not None and number.quote.result == "differs"
    assert [(d.quoted, d.actual) for d in number.quote.differences if d.number] == [("70%", "60%")]
    assert "“70%”应为“60%”" in " ".join(number.problems)
    assert (missing.unit, missing.label) == ("not_found", "第二十五条")
    assert missing.labels == "第一条—第十七条（17个条款）" and len(missing.nearest) == 3
    assert replaced.status is not None and replaced.status.word == "已被替代"
    assert replaced.status.superseded_by is not None
    assert replaced.status.superseded_by.doc_number == "示人社规〔2024〕5号"
    assert replaced.quote is not None and replaced.quote.result == "exact"
    assert outside.document == "not_in_corpus" and outside.doc_id is None
    assert report.failed
    assert report.counts() == {"ok": 2, "warning": 0, "fail": 3, "not_in_corpus": 1}


def test_status_expired_expiring_and_draft(index: Index) -> None:
    expired = verify_text("《示范市人力资源服务机构引进奖励办法》第二条", index, TODAY).citations[0]
    assert expired.status is not None and expired.status.word == "已失效" and expired.verdict == "fail"
    draft = verify_text("《柳州措施》二（二）5", index, TODAY).citations[0]
    assert draft.doc_id == "liuzhou-2024-park-measures"
    assert draft.status is not None and (draft.status.word, draft.status.days_left) == ("草案", 37)
    assert draft.verdict == "warning"
    later = verify_text("《柳州措施》二（二）5", index, dt.date(2027, 1, 5)).citations[0]
    assert later.status is not None and later.status.word == "已失效"
    expiring = verify_text("示人社规〔2024〕5号第二条", index, TODAY).citations[0]
    assert expiring.status is not None and expiring.status.word == "现行"


def test_wrong_doc_number_and_quote_in_another_unit(index: Index) -> None:
    wrong = verify_text("《聊城市市级人力资源服务产业园管理暂行办法》（桂人社规〔2021〕1号）第六条", index, TODAY)
    assert wrong.citations[0].verdict == "fail"
    assert "桂人社规〔2021〕1号是《自治区级人力资源服务产业园管理暂行办法》的文号" in wrong.citations[0].problems[0]
    elsewhere = verify_text("《聊城市市级人力资源服务产业园管理暂行办法》第五条规定“核心区建筑面积不低于4000平方米”",
                            index, TODAY).citations[0]
    assert elsewhere.quote is not None and (elsewhere.quote.result, elsewhere.quote.found_in) == ("not_found", "第六条")


def test_text_without_citations_and_too_long_text(index: Index) -> None:
    assert verify_text("今天天气很好。", index, TODAY).citations == ()
    with pytest.raises(TextTooLong):
        verify_text("字" * 20_001, index, TODAY)


# ---------------------------------------------------------------- CLI


def test_cli_verify_text_and_json(verify_index: Path, tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(SIX_CITATIONS, encoding="utf-8")
    env = {"ASSISTANT_EMBEDDER": "hash"}
    result = CliRunner().invoke(main, ["verify", str(letter), "--index", str(verify_index)], env=env)
    assert result.exit_code == 1, result.output
    assert "6 处引用" in result.output
    assert "数字不符：引文“70%”，原文“60%”" in result.output
    assert "该文件没有第二十五条" in result.output
    assert "已被替代，由《示范市促进人力资源服务产业园发展若干措施》" in result.output
    assert "无法核验（不在语料库中）" in result.output
    as_json = CliRunner().invoke(
        main, ["verify", "-", "--json", "--date", "2026-11-24", "--index", str(verify_index)],
        input=SIX_CITATIONS, env=env,
    )
    assert as_json.exit_code == 1
    data = json.loads(as_json.output)
    assert [c["verdict"] for c in data["citations"]] == [v for v, _ in EXPECTED]
    good = CliRunner().invoke(
        main, ["verify", "-", "--index", str(verify_index)],
        input="《聊城市市级人力资源服务产业园管理暂行办法》第6条规定，“核心区建筑面积不低于4000平方米”。", env=env,
    )
    assert good.exit_code == 0, good.output
    assert "通过 1" in good.output


def test_second_quote_of_a_unit_and_a_quote_without_a_unit(index: Index) -> None:
    text = ("根据《聊城市市级人力资源服务产业园管理暂行办法》第六条第（三）项，入驻机构“不少于15家”，"
            "园区年营业收入“不低于2亿元人民币”。《自治区级人力资源服务产业园管理暂行办法》规定“每3年综合评估一次”。")
    first, second, undated = verify_text(text, index, TODAY).citations
    assert (first.label, first.verdict) == ("第六条（三）", "ok")
    assert (second.label, second.cited) == ("第六条（三）", "“不低于2亿元人民币”")
    assert second.quote is not None
    assert [(d.quoted, d.actual) for d in second.quote.differences if d.number] == [("2亿", "1亿")]
    assert undated.unit == "not_cited" and undated.quote is not None
    assert undated.quote.found_in == "第十三条"  # the unit most like the quote


def test_unbalanced_quote_marks() -> None:
    text = "前言“未闭合。《甲办法》第五条规定“甲”。结尾”多余"
    found = [(c.mention.title, c.unit.label if c.unit else None, c.quote) for c in find_citations(text)]
    assert found == [("甲办法", "第五条", "甲")]


def test_hostile_texts_stay_cheap(index: Index) -> None:
    """Max-size texts built to be slow (a unit list with no sentence end, marks that never
    close, a thousand mentions) are each checked in seconds, not minutes."""
    import time

    texts = [
        "《聊城市市级人力资源服务产业园管理暂行办法》" + "".join(f"第{i}条，" for i in range(1, 1000)),
        "“" * 20_000,
        "“" * 10_000 + "”" * 10_000,
        "《办法》第一条第（一）项第2款" * 1000,
    ]
    for text in texts:
        started = time.perf_counter()
        verify_text(text[:20_000], index, TODAY)
        assert time.perf_counter() - started < 15, text[:30]


def test_a_replacement_replaces_only_once_in_force(index: Index) -> None:
    text = "《示范市人力资源服务产业园租金补贴暂行办法》第三条"
    before = verify_text(text, index, dt.date(2024, 3, 1)).citations[0]
    assert before.status is not None and before.status.word == "现行" and before.verdict == "ok"
    assert "2024-07-01起由《示范市促进人力资源服务产业园发展若干措施》" in before.status.render()
    after = verify_text(text, index, dt.date(2024, 7, 1)).citations[0]
    assert after.status is not None and after.status.word == "已被替代"


def test_a_draft_does_not_replace_yet(tmp_path: Path) -> None:
    from assistant.ingest import ingest_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "old.txt").write_text(
        "样例市人力资源服务业发展办法\n样人社规〔2020〕1号\n第一条 为发展人力资源服务业，制定本办法。\n"
        "第二条 本办法自2020年1月1日起施行。\n", encoding="utf-8")
    (docs / "draft.txt").write_text(
        "样例市人力资源服务业促进办法\n（征求意见稿）\n第一条 为促进人力资源服务业，制定本办法。\n"
        "第二条 本办法自2027年1月1日起施行，《样例市人力资源服务业发展办法》（样人社规〔2020〕1号）同时废止。\n",
        encoding="utf-8")
    assert not ingest_paths([docs], tmp_path / "idx", "hash", today=TODAY).failed
    check = verify_text("样人社规〔2020〕1号第一条", Index(tmp_path / "idx"), TODAY).citations[0]
    assert check.status is not None and check.status.word == "现行" and check.verdict == "ok"
    assert "草案《样例市人力资源服务业促进办法》拟替代本文件" in check.status.render()
