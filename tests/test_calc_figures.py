"""Figures of a free-text question: the bar asked about is not a value, figures per branch park,
amounts said of every enterprise, year spans, durations, and what the profile derives from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.calc.figures import collect_inputs, label_quantities, profile_from_text
from assistant.calc.tools import normalize_profile


def _labels(question: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(q.display(), q.field, q.scope, q.role) for q in label_quantities(question)]


# ---------------------------------------------------------------- the bar asked about


@pytest.mark.parametrize(
    "question",
    [
        "入驻机构办公面积4500平方米，总面积8000平方米，够不够60%？",
        "入驻面积占比是否达到60%",
        "入驻面积占比58%，达不达到60%",
        "满足60%的要求吗？入驻3000平方米，建筑面积5000平方米",
        "离60%还差多少，入驻4500平方米，总面积8000平方米",
        "入驻面积要达到60%吗",
        "按60%的标准，入驻4500平方米，总面积8000平方米",
    ],
)
def test_a_figure_after_a_question_word_is_the_bar_not_the_value(question: str) -> None:
    (bar,) = [q for q in label_quantities(question) if q.display() == "60%"]
    assert (bar.field, bar.role) == (None, "bar")


def test_the_value_is_derived_from_the_areas_instead() -> None:
    raw = profile_from_text("入驻机构办公面积4500平方米，总面积8000平方米，够不够60%？")
    assert set(raw) == {"occupied_area", "total_area"}
    prof, notes = normalize_profile(raw)
    assert prof["occupancy"].value == Decimal("0.5625")  # 4500 / 8000, exact
    assert notes[-1] == "入驻面积占比按入驻面积4500平方米 ÷ 园区总面积8000平方米 = 56.25%计算"


def test_a_share_that_does_not_divide_evenly_says_it_is_rounded() -> None:
    _, notes = normalize_profile(profile_from_text("入驻面积3100平方米，建筑面积4700平方米"))
    assert "约65.96%" in notes[-1] and "四舍五入" in notes[-1]


def test_a_figure_equal_to_a_rules_bar_is_the_bar_only_when_the_value_is_known_otherwise() -> None:
    # the areas give the share: 60% (a rule's bar) is the yardstick quoted
    assert _labels("入驻3000平方米，建筑面积5000平方米，占比60%")[-1] == ("60%", None, None, "bar")
    # nothing else gives it: 60% is the asker's own figure
    assert _labels("占比60%，够吗") == [("60%", "occupancy", None, None)]
    assert _labels("入驻面积达到62%，够吗") == [("62%", "occupancy", None, None)]
    # two figures for one input, one of them a rule's bar: the bar is quoted, the other is the value
    assert profile_from_text("聊城要求核心区4000平方米，我们核心区3800平方米够吗")["core_area"].display() == "3800平方米"


def test_a_plain_question_particle_does_not_make_a_bar() -> None:
    assert _labels("营收6亿元吗") == [("6亿元", "revenue", None, None)]
    assert _labels("核心区4500平方米够吗") == [("4500平方米", "core_area", None, None)]


# ---------------------------------------------------------------- figures per branch park


def test_figures_for_the_core_and_each_branch() -> None:
    question = "核心区入驻22家机构、入驻面积52%，分园区A 12家、55%，分园区B 9家、60%"
    assert _labels(question) == [
        ("22家", "core_institutions", None, None), ("52%", "core_occupancy", None, None),
        ("12家", "branch_institutions", "分园区A", None), ("55%", "branch_occupancy", "分园区A", None),
        ("9家", "branch_institutions", "分园区B", None), ("60%", "branch_occupancy", "分园区B", None),
    ]
    raw = profile_from_text(question)
    assert [q.display() for q in raw["branch_institutions"]] == ["12家", "9家"]
    assert [q.display() for q in raw["branch_occupancy"]] == ["55%", "60%"]
    assert raw["core_institutions"].display() == "22家" and raw["core_occupancy"].display() == "52%"
    prof, notes = normalize_profile(raw)
    assert (prof["branch_count"], prof["park_count"]) == (2, 3)
    assert "分园区数量按所列分园区计为2个" in notes


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("两个分园区分别入驻12家和9家，核心区入驻25家",
         [("2个", "branch_count", None), ("12家", "branch_institutions", None), ("9家", "branch_institutions", None),
          ("25家", "core_institutions", None)]),
        ("第一个分园区入驻12家，第二个分园区入驻9家",
         [("12家", "branch_institutions", "第一个分园区"), ("9家", "branch_institutions", "第二个分园区")]),
        # branches named but no figures of theirs: the core's figures are still the core's
        ("分园区数量3个，核心区入驻22家", [("3个", "branch_count", None), ("22家", "core_institutions", None)]),
        ("准备设1个核心园区加3个分园区，入驻16家",
         [("1个", "park_count", None), ("3个", "branch_count", None), ("16家", "institutions", None)]),
        # no branch parks at all: park-level fields as before (聊城 counts the whole park)
        ("核心区4500平方米，入驻16家，占比62%",
         [("4500平方米", "core_area", None), ("16家", "institutions", None), ("62%", "occupancy", None)]),
    ],
)
def test_branch_scopes(question: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(q.display(), q.field, q.scope) for q in label_quantities(question)] == expected


def test_branch_areas_add_up_to_the_total_area() -> None:
    prof, notes = normalize_profile(profile_from_text("核心区3500平方米，分园区A 2000平方米、分园区B 2500平方米"))
    assert prof["total_area"].value == Decimal(8000) and prof["branch_count"] == 2
    assert "园区总面积按核心区与各分园区面积之和计算" in notes


def test_collect_inputs_keeps_the_first_mention_except_per_branch() -> None:
    figures = label_quantities("营收6亿元，营收7亿元，分园区A 12家，分园区B 9家")
    raw = collect_inputs(figures)
    assert raw["revenue"].display() == "6亿元"
    assert [q.scope for q in raw["branch_institutions"]] == ["分园区A", "分园区B"]


# ---------------------------------------------------------------- other fields


def test_an_amount_said_of_every_enterprise_counted() -> None:
    assert _labels("柳州招商团队今年引进了12家新企业，首年纳税都超过200万")[-1] == ("200万元", "tax", "每家", None)
    assert _labels("引进了3家企业，其中一家纳税250万")[-1] == ("250万元", "tax", None, None)
    assert _labels("首年纳税都超过200万")[-1] == ("200万元", "tax", None, None)  # no count to spread over


def test_year_spans_and_durations_fill_their_inputs() -> None:
    assert _labels("2024到2026年一共安排多少") == [("2024年至2026年（3年）", "years", None, None)]
    assert _labels("柳州有家企业上规入统才8个月") == [("8个月", "regulated_duration", None, None)]


def test_a_date_without_its_year_takes_the_given_today() -> None:
    (q,) = label_quantities("公示从6月3日开始", today=dt.date(2025, 2, 1))
    assert (q.field, q.day, q.year_assumed) == ("publicity_start", dt.date(2025, 6, 3), True)


@pytest.mark.parametrize(("text", "field"), [
    ("核心区建筑面积3500平方米", "core_area"),  # 核心区 names the measure; 建筑面积 is its head noun
    ("园区建筑面积3500平方米", "area"),
    ("核心区外的园区面积3500平方米", "area"),  # other words between: the nearer hint wins
])
def test_a_modifier_before_a_measure_word_names_the_figure(text: str, field: str) -> None:
    (q,) = label_quantities(text)
    assert q.field == field


def test_a_figure_asked_about_or_a_span_naming_a_tier_is_no_input() -> None:
    """"顶格都是80万吗" asks whether the text says 80万, "满2年不满3年" names a tier by its own
    condition: neither is the asker's value; "营收是6000万，能拿多少" gives one."""
    import datetime as dt

    from assistant.calc.extracted_answer import asked_figures

    today = dt.date(2026, 6, 1)
    assert asked_figures("甲市和乙市营收奖励顶格都是80万吗", today) == ()
    assert asked_figures("奖励是不是80万", today) == ()
    assert asked_figures("享受补贴满2年不满3年迁走退多少", today) == ()
    assert asked_figures("营收3000万至5000万的奖励多少", today) == ()
    given = asked_figures("我们营收是6000万，能拿多少", today)
    assert given is not None and [str(q.value) for q in given] == ["60000000"]
