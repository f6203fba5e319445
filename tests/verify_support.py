"""What the citation-checker tests share: the fixture corpus and a text with six citations."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CORPUS, ROOT, TODAY

FIXTURES = ROOT / "tests" / "fixtures" / "verify"

# Two correct citations, one quoting a wrong number, one to a unit that does not exist, one to
# a replaced document, one to a document outside the corpus — in the forms clerks write them.
SIX_CITATIONS = """关于申报事项的说明：
一是依据《自治区级人力资源服务产业园管理暂行办法》（桂人社规〔2021〕1号）第六条第（二）项规定“自治区人力资源社会保障部门自收到申请之日起45日内，组织对产业园进行评估”。
二是《聊城市市级人力资源服务产业园管理暂行办法》第6条规定，“核心区建筑面积不低于4000平方米”。
三是按照桂人社规〔2021〕1号第五条第（四）项：“只设立一个园区的，入驻的人力资源服务机构不少于30家，入驻面积达到园区建筑面积70%以上”。
四是《聊城市市级人力资源服务产业园管理暂行办法》第二十五条对园区退出作了规定。
五是《示范市人力资源服务产业园租金补贴暂行办法》（示人社规〔2019〕7号）第三条规定“入驻机构按实际租用面积享受租金补贴”。
六是《柳州市招商引资激励办法》（柳政规〔2022〕8号）第十条。
"""

# (verdict, a fragment of the citation as written) for each, in order
EXPECTED = (
    ("ok", "第六条第（二）项"),
    ("ok", "第6条"),
    ("fail", "第五条第（四）项"),
    ("fail", "第二十五条"),
    ("fail", "示人社规〔2019〕7号"),
    ("not_in_corpus", "柳州市招商引资激励办法"),
)


def build_index(index_dir: Path) -> Path:
    """The seed corpus and the verify fixtures, indexed with the hash embedder."""
    from assistant.ingest import ingest_paths

    report = ingest_paths([CORPUS, FIXTURES], index_dir, "hash", today=TODAY)
    assert not report.failed, report.failed
    return index_dir
