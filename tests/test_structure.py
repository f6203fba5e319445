from __future__ import annotations

from assistant.ingest import load_document
from assistant.structure import chunk_document

from .conftest import CORPUS


def _chunks(stem: str):  # type: ignore[no-untyped-def]
    return chunk_document(load_document(CORPUS / f"{stem}.txt"))


CN = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七".split()


def test_guangxi_sixteen_articles_with_chapters() -> None:
    chunks = _chunks("guangxi-2021-regional-park")
    assert [c.article for c in chunks] == [f"第{n}条" for n in CN[:16]]
    by_label = {c.article: c for c in chunks}
    assert by_label["第五条"].chapter == "第二章 申报认定"
    assert by_label["第十六条"].chapter == "第五章 附则"
    assert "公开方式" not in by_label["第十六条"].text
    # items （一）…（七） stay inside their 条
    assert "（七）有数字化园区建设基础" in by_label["第五条"].text
    assert "5．入驻企业名录" in by_label["第六条"].text
    assert all(c.title == "自治区级人力资源服务产业园管理暂行办法" for c in chunks)


def test_liaocheng_seventeen_articles() -> None:
    chunks = _chunks("liaocheng-city-park")
    assert [c.article for c in chunks] == [f"第{n}条" for n in CN[:17]]
    sixth = next(c for c in chunks if c.article == "第六条")
    assert "核心区建筑面积不低于4000平方米" in sixth.text
    assert sixth.chapter == "第二章 申报设立"


def test_liuzhou_outline_labels() -> None:
    chunks = _chunks("liuzhou-2024-park-measures")
    assert [c.article for c in chunks] == [
        "序言", "一", "二（一）", "二（一）1", "二（一）2",
        *[f"二（二）{i}" for i in range(1, 8)], "附则",
    ]
    by_label = {c.article: c for c in chunks}
    assert by_label["二（二）5"].text.startswith("5.经济贡献奖励。")
    assert by_label["二（二）5"].chapter == "二、工作措施 / （二）支持产业园高质量发展"
    assert by_label["二（一）"].text.startswith("（一）按照“一园三区多站点”布局建设产业园\n一园：")
    assert by_label["附则"].text.startswith("本办法自2024年1月1日起实施")
    assert by_label["序言"].text.startswith("为进一步建立完善的人力资源服务体系")


def test_chunk_ids_are_content_hashes() -> None:
    first, again = _chunks("liaocheng-city-park"), _chunks("liaocheng-city-park")
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)
