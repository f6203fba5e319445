from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.errors import BadDocument
from assistant.ingest import clean_text, collect_files, load_document, normalise_line

from .conftest import CORPUS


def test_metadata_guangxi() -> None:
    meta = load_document(CORPUS / "guangxi-2021-regional-park.txt").meta
    assert meta.title == "自治区级人力资源服务产业园管理暂行办法"
    assert meta.doc_number == "桂人社规〔2021〕1号"
    assert meta.issuer == "广西壮族自治区人力资源和社会保障厅"
    assert meta.issue_date == dt.date(2021, 1, 27)
    assert meta.valid_from == dt.date(2021, 1, 27)  # 自印发之日起施行
    assert meta.status(dt.date(2026, 11, 24)) == "in_force"


def test_metadata_liaocheng() -> None:
    meta = load_document(CORPUS / "liaocheng-city-park.txt").meta
    assert meta.title == "聊城市市级人力资源服务产业园管理暂行办法"
    assert meta.issuer == "聊城市人力资源和社会保障局"
    assert meta.doc_number is None  # the text carries none; never invent one
    assert "聊城" in meta.places


def test_metadata_liuzhou_draft_validity_and_supersedes() -> None:
    meta = load_document(CORPUS / "liuzhou-2024-park-measures.txt").meta
    assert meta.title == "关于推进国家级柳州人力资源服务产业园高质量发展若干措施"
    assert meta.is_draft and meta.draft_label == "第三稿"
    assert meta.valid_from == dt.date(2024, 1, 1)
    assert meta.valid_until == dt.date(2026, 12, 31)
    assert meta.supersedes == ("柳州市加快发展人力资源服务业实施办法（试行）的通知", "柳政规〔2022〕16号")
    assert meta.status(dt.date(2026, 11, 24)) == "draft"
    assert "柳州" in meta.places and "广西" not in meta.places


def test_status_expired_after_validity() -> None:
    meta = load_document(CORPUS / "liuzhou-2024-park-measures.txt").meta
    final = type(meta)(**{**meta.__dict__, "is_draft": False, "draft_label": None})
    assert final.status(dt.date(2026, 12, 31)) == "in_force"  # 有效期至 includes the day
    assert final.status(dt.date(2027, 1, 1)) == "expired"


def test_liaocheng_broken_line_is_rejoined() -> None:
    text = load_document(CORPUS / "liaocheng-city-park.txt").text
    assert "核心区建筑面积不低于4000平方米" in text
    assert "展示交流、供需对接活动" in text
    assert "负责提供产业园运营必要的物理空间" in text


def test_bookmark_artefact_removed() -> None:
    text = load_document(CORPUS / "liuzhou-2024-park-measures.txt").text
    assert "bookmark" not in text and "_GoBack" not in text
    assert text.split("\n")[2].startswith("为进一步建立完善的人力资源服务体系")


def test_normalise_line_folds_layout_spaces_keeps_label_space() -> None:
    assert normalise_line("第一章\u3000\u3000总  则") == "第一章 总则"
    assert normalise_line("第一条  为促进 4000 平方米") == "第一条 为促进4000平方米"


def test_headings_are_not_glued_to_the_next_line() -> None:
    paragraphs = clean_text("一、发展目标\n按照规划，形成产业集群。\n（一）按照布局建设产业园\n一园：国家级产业园。")
    assert paragraphs == ["一、发展目标", "按照规划，形成产业集群。", "（一）按照布局建设产业园", "一园：国家级产业园。"]


def test_rows_of_a_table_written_as_lines_stay_rows() -> None:
    text = (
        "附件3：某类机构奖励标准表\n"
        "年纳税额200万元至500万元（含200万元，不含500万元）：奖励6万元\n"
        "年纳税额500万元及以上：奖励15万元\n"
        "对新引进的机构，给予一次性奖励10万\n"
        "元，所需资金由市财政承担。"
    )
    assert clean_text(text) == [
        "附件3：某类机构奖励标准表",
        "年纳税额200万元至500万元（含200万元，不含500万元）：奖励6万元",
        "年纳税额500万元及以上：奖励15万元",
        "对新引进的机构，给予一次性奖励10万元，所需资金由市财政承担。",
    ]


def test_units_of_a_documents_own_numbering_are_not_glued_to_an_unfinished_line() -> None:
    """A field, a question numbered after its word, the reply under it and a row written with
    bars open their own lines after a line left without a closing mark, as 一、 does; a line
    broken mid-sentence inside a field still goes on."""
    text = (
        "事项一 入驻认定\n【办理条件】租用面积不少于150平方米、从业人员不少于8人\n【办理时限】10个工作日\n"
        "事项二 房租补贴\n【补贴标准】每月每平方米25元，每年最高\n不超过12万元。"
    )
    assert clean_text(text) == [
        "事项一入驻认定", "【办理条件】租用面积不少于150平方米、从业人员不少于8人", "【办理时限】10个工作日",
        "事项二房租补贴", "【补贴标准】每月每平方米25元，每年最高不超过12万元。",
    ]
    qa = "问1：入驻面积、人员有什么要求\n答：面积不少于120平方米，人员\n问2：何时申报\n答：每年4月。"
    assert clean_text(qa) == ["问1：入驻面积、人员有什么要求", "答：面积不少于120平方米，人员", "问2：何时申报", "答：每年4月。"]
    rows = "现将政策事项、支持标准\n1|房租补贴|每月20元\n2｜装修补贴｜最高30万元"
    assert clean_text(rows) == ["现将政策事项、支持标准", "1 | 房租补贴 | 每月20元", "2 | 装修补贴 | 最高30万元"]


@pytest.mark.parametrize(
    "text",
    [
        "第五条 对经认定的市级产业园，入驻机构达到30家\n以上的，给予运营机构一次性奖励50万元。",
        "第六条 对入驻的人力资源服务机构，上一年度营业收入超过1亿元\n的，给予一次性奖励。",
        "第八条 对入驻机构为本市重点企业引进人才的，每引进1人\n给予奖励1万元。",
        "第十条 对入驻机构给予租金补贴，补贴面积不超过300平方米\n（含）。",
    ],
)
def test_a_sentence_broken_after_a_figure_is_joined_again(text: str) -> None:
    """Only a line ending in a cell after its label ("…：奖励6万元") ends a row; prose the layout
    broke after "30家" or "1亿元" goes on on the next line."""
    assert clean_text(text) == [text.replace("\n", "")]


def test_a_document_number_under_a_long_title_stays_its_own_line() -> None:
    """A notice title longer than a line reads like a sentence broken by the layout; the 文号
    under it is a line of its own all the same, and so the salutation after it."""
    title = "某市人力资源和社会保障局关于印发《某市人力资源服务产业园入驻机构奖励申报指南》的通知"
    text = f"{title}\n某人社发〔2025〕17号\n各县（区）人力资源和社会保障局：\n现将指南印发给你们。"
    assert clean_text(text) == [title, "某人社发〔2025〕17号", "各县（区）人力资源和社会保障局：", "现将指南印发给你们。"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    source = (CORPUS / "liaocheng-city-park.txt").read_text(encoding="utf-8")
    path = tmp_path / "liaocheng-city-park.txt"
    path.write_bytes(source.encode(encoding))
    doc = load_document(path)
    assert doc.meta.title == "聊城市市级人力资源服务产业园管理暂行办法"
    assert "核心区建筑面积不低于4000平方米" in doc.text


def test_bad_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    for path, words in ((empty, "空文件"), (binary, "不是文本文件")):
        with pytest.raises(BadDocument) as info:
            load_document(path)
        assert words in info.value.reason


def test_collect_files_refuses_unknown_types_and_missing(tmp_path: Path) -> None:
    (tmp_path / "a.docm").write_text("x")
    files, refused, dirs = collect_files([tmp_path / "a.docm", tmp_path / "nope.txt", CORPUS])
    reasons = {r.path.name: r.reason for r in refused}
    assert "不支持的文件类型" in reasons["a.docm"]
    assert "不存在" in reasons["nope.txt"]
    assert len(files) == 3 and dirs == [CORPUS.resolve()]
