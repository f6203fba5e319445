"""Document metadata in the shapes real policies write it: 文号 forms, issuer and date in the
header or the signature, 施行, validity (stated or derived, with the rule), drafts, replacements."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.ingest import clean_text
from assistant.metadata import extract_metadata
from assistant.types import DocumentMeta

BODY = "第一条 为规范管理，制定本办法。\n第二条 入驻机构不少于20家。\n"


def meta(header: str, tail: str = "", body: str = BODY) -> DocumentMeta:
    return extract_metadata("doc", clean_text(header + "\n" + body + tail))


@pytest.mark.parametrize(
    "number",
    ["桂人社规〔2021〕1号", "澜江人社发[2023]12号", "禾源人社规（2024）3号", "某政办发【2025】7号",
     "某市人民政府令第12号", "云岫省人力资源和社会保障厅公告2024年第5号"],
)
def test_document_number_forms(number: str) -> None:
    assert meta(f"某市人力资源服务产业园管理办法\n{number}").doc_number == number


@pytest.mark.parametrize("verb", ["印发", "发布", "公布"])
def test_a_list_or_a_q_and_a_inside_a_notice_is_titled_by_its_own_title(verb: str) -> None:
    """关于发布《…惠企政策清单（2026年版）》的通知 wraps the policy; its own title line names it."""
    own = "某市人力资源服务产业园惠企政策清单（2026年版）"
    m = meta(f"某市人力资源和社会保障局关于{verb}《{own}》的通知\n某人社发〔2026〕8号\n{own}")
    assert m.title == own
    assert meta(f"某市人力资源和社会保障局关于{verb}《{own}》的通知\n某人社发〔2026〕8号").title == own


def test_an_announcement_number_on_the_line_under_its_issuer() -> None:
    m = meta("某市人力资源和社会保障局公告\n2026年第11号\n某市人力资源服务产业园政策兑现服务指南")
    assert m.doc_number == "某市人力资源和社会保障局公告2026年第11号"


def test_issuer_and_date_from_the_signature_when_the_header_has_none() -> None:
    m = meta("某市关于人才引进的通知", "某市人力资源和社会保障局\n2024年12月16日\n")
    assert (m.issuer, m.issue_date) == ("某市人力资源和社会保障局", dt.date(2024, 12, 16))


def test_a_guide_is_titled_like_any_policy() -> None:
    """申报指南 (often numbered 1 / 1.1): its title line is the title, not the file name."""
    m = meta("某市人力资源服务产业园入驻申报指南（试行）", body="1 总体要求\n1.1 申报单位应当在本市注册。\n")
    assert m.title == "某市人力资源服务产业园入驻申报指南（试行）"


def test_a_date_in_chinese_numerals() -> None:
    assert meta("某市管理办法\n二〇二一年一月二十七日").issue_date == dt.date(2021, 1, 27)


@pytest.mark.parametrize(
    ("closing", "valid_from", "valid_until", "rule"),
    [
        ("第三条 本办法自2024年1月1日起施行，有效期至2026年12月31日。", dt.date(2024, 1, 1), dt.date(2026, 12, 31), None),
        ("第三条 本办法自2023年7月1日起施行，有效期5年。", dt.date(2023, 7, 1), dt.date(2028, 6, 30), "有效期5年"),
        ("第三条 本办法自2024年9月1日起实施，有效期三年。", dt.date(2024, 9, 1), dt.date(2027, 8, 31), "有效期三年"),
        ("第三条 本办法自2024年3月1日起执行，有效期18个月。", dt.date(2024, 3, 1), dt.date(2025, 8, 31), "有效期18个月"),
        ("第三条 本办法自印发之日起施行。", dt.date(2024, 5, 20), None, None),
        ("第三条 本办法自发布之日起30日后施行，有效期3年。", dt.date(2024, 6, 19), dt.date(2027, 6, 18), "30日后施行"),
        ("第三条 本办法有效期为2024年1月1日至2025年12月31日。", None, dt.date(2025, 12, 31), None),
        ("第三条 本办法自2026年3月1日起试行，试行期2年。", dt.date(2026, 3, 1), dt.date(2028, 2, 29), "试行期2年"),
    ],
)
def test_coming_into_force_and_validity(
    closing: str, valid_from: dt.date | None, valid_until: dt.date | None, rule: str | None
) -> None:
    m = meta("某市管理办法\n2024年5月20日", body=BODY + closing + "\n")
    assert (m.valid_from, m.valid_until) == (valid_from, valid_until)
    if rule:
        assert m.validity_rule and rule in m.validity_rule  # the derived date says how
    else:
        assert m.validity_rule is None


@pytest.mark.parametrize("mark", ["征求意见稿", "送审稿", "讨论稿", "第三稿", "（征求意见稿）"])
def test_draft_marks(mark: str) -> None:
    m = meta(f"某市人力资源服务产业园管理办法\n{mark}")
    assert m.is_draft and m.draft_label == mark.strip("（）")


def test_a_long_cover_notice_keeps_its_number_and_the_policy_its_title_and_draft_mark() -> None:
    """The notice wrapper (an issuer before 关于印发) is not the title; the 文号 under it is
    read; a draft mark right under the policy's title counts however long the cover is."""
    notice = "某市人民政府办公室关于印发《某市人力资源服务业集聚发展三年行动计划（2025—2027年）》的通知"
    m = meta(f"{notice}\n某政办发〔2025〕12号\n各区人民政府：\n现印发给你们。\n某市人民政府办公室\n2025年2月18日")
    assert (m.title, m.doc_number) == ("某市人力资源服务业集聚发展三年行动计划（2025—2027年）", "某政办发〔2025〕12号")
    cover = "某省人力资源和社会保障厅\n关于公开征求《某省人力资源服务产业园认定管理实施细则（征求意见稿）》意见的公告\n某人社公告〔2026〕14号\n我厅起草了《某省人力资源服务产业园认定管理实施细则》，现全文公布，向社会公开征求意见。\n某省人力资源和社会保障厅\n2026年10月20日"
    m = meta(f"{cover}\n某省人力资源服务产业园认定管理实施细则\n（征求意见稿）")
    assert m.title == "某省人力资源服务产业园认定管理实施细则" and m.draft_label == "征求意见稿"
    assert m.doc_number == "某人社公告〔2026〕14号"


def test_a_document_without_a_draft_mark_is_not_a_draft() -> None:
    assert not meta("某市人力资源服务产业园管理办法").is_draft


def test_what_a_document_replaces_by_title_and_number() -> None:
    closing = (
        "第三条 本办法自2023年7月1日起施行。《某市人力资源服务产业园管理办法（试行）》"
        "（某人社发[2019]8号）同时废止；《某市人才引进暂行办法》停止执行。"
    )
    m = meta("某市人力资源服务产业园管理办法", body=BODY + closing + "\n")
    assert m.supersedes == ("某市人力资源服务产业园管理办法（试行）", "某人社发[2019]8号", "某市人才引进暂行办法")


@pytest.mark.parametrize(
    ("header", "places"),
    [
        ("澜江市人力资源和社会保障局\n澜江市人力资源服务产业园管理办法", {"澜江市", "澜江"}),
        ("鹭岑高新技术产业开发区管理委员会\n关于支持人力资源服务机构的若干措施", {"鹭岑"}),
        ("青岚县人民政府办公室文件\n青岚县人力资源服务产业园建设实施方案", {"青岚县", "青岚"}),
    ],
)
def test_places_a_document_belongs_to_even_when_jieba_does_not_know_them(header: str, places: set[str]) -> None:
    assert places <= set(meta(header).places)
    assert "岚县" not in meta(header).places  # a piece of an unknown name is not a place


def test_a_district_heading_a_title_is_its_place() -> None:
    m = meta("栖湖区人力资源服务产业园政策兑现服务指南")
    assert m.places[:1] == ("栖湖区",)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["砚北新区管理委员会关于推动人力资源服务业集聚发展的通", "知"], "砚北新区管理委员会关于推动人力资源服务业集聚发展的通知"),
        (["某市人民政府办公室关于印发《某市人力资源服务业集", "聚发展三年行动计划（2025—2027年）》的通知", "某政办发〔2025〕12号",
          "某市人力资源服务业集聚发展三年行动计划（2025—2027年）"], "某市人力资源服务业集聚发展三年行动计划（2025—2027年）"),
    ],
)
def test_a_title_a_page_broke_onto_two_lines_reads_as_one(lines: list[str], title: str) -> None:
    assert meta("\n".join(lines)).title == title


def test_an_issuer_line_over_the_title_is_not_part_of_it() -> None:
    header = "某市人力资源和社会保障局文件\n某市人力资源服务产业园管理办法\n某人社发〔2024〕3号"
    assert meta(header).title == "某市人力资源服务产业园管理办法"
