"""Documents the code was not written for: the fixture policies of other outline shapes, their
metadata in use (supersession, expiry, no end date), and references resolved on real labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain import AnswerChain
from assistant.index import Index
from assistant.ingest import ingest_paths
from assistant.retrieve import Retriever

from .conftest import CORPUS, TODAY
from .fixtures import samples

GX, LZ = "guangxi-2021-regional-park", "liuzhou-2024-park-measures"
LJ, HY, QL, YX, CJ = (
    "lanjiang-2023-hr-park-rules", "heyuan-hr-service-subsidy", "qinglan-county-park-implementation",
    "yunxiu-province-hr-industry-plan", "chengjiang-bay-talent-notice",
)
# An older version that the 澜江 rules name as replaced, by title and 文号.
OLD_LANJIANG = """澜江市人力资源和社会保障局
澜江人社发[2019]8号
澜江市人力资源服务产业园管理办法（试行）
第一条 为规范产业园管理，制定本办法。
第二条 入驻机构不少于20家。
第三条 本办法自2019年5月1日起施行。
"""


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    old = folder / "lanjiang-2019-trial.txt"
    old.write_text(OLD_LANJIANG, encoding="utf-8")
    index = folder / "index"
    report = ingest_paths(
        [CORPUS, *sorted(samples.POLICIES.glob("*.txt")), old], index, "hash", today=TODAY
    )
    assert not report.failed, report.failed
    assert any(CJ in note and "第N段" in note for note in report.notes)  # said at ingest
    return index


@pytest.fixture(scope="module")
def chain(index_dir: Path) -> AnswerChain:
    return AnswerChain(Index(index_dir, "hash"), today=TODAY)


@pytest.mark.parametrize(
    ("question", "doc", "label"),
    [
        ("禾源那个补贴通知（三）第2点说的啥", HY, "（三）（2）"),
        ("青岚方案二（一）1第（2）点", QL, "二（一）1（2）"),
        ("云岫规划第二部分2②是什么", YX, "第二部分2②"),
        ("澄江湾人才通知第3段讲什么", CJ, "第3段"),
        ("澜江管理办法附件2", LJ, "附件2"),
        ("澜江办法第二十一条", LJ, "第二十一条"),
        ("柳州措施最后那段写了什么", LZ, "附则"),
        ("自治区级的那个办法第十条规定了什么", GX, "第十条"),
    ],
)
def test_references_find_the_unit_in_each_shape(index_dir: Path, question: str, doc: str, label: str) -> None:
    hits = Retriever(Index(index_dir, "hash")).retrieve(question, k=3)
    assert (hits[0].chunk.doc_id, hits[0].chunk.article, hits[0].via) == (doc, label, "exact")


def test_a_list_is_quoted_with_all_its_items(chain: AnswerChain) -> None:
    """A 条 whose lead ends with "：" and whose list is （一）（二）… items."""
    answer = chain.ask("澜江产业园的入驻机构出现什么情况会被督促退出？")
    assert (LJ, "第十一条") in [(c.doc_id, c.article) for c in answer.citations]
    assert "被吊销人力资源服务许可证" in answer.answer and "连续6个月未实际开展经营活动" in answer.answer


def test_a_superseded_document_names_its_replacement(chain: AnswerChain, index_dir: Path) -> None:
    index = Index(index_dir, "hash")
    assert index.superseded_by("lanjiang-2019-trial") == LJ
    assert index.status("lanjiang-2019-trial", TODAY) == "superseded"
    answer = chain.ask("澜江2019年那个试行办法第二条")
    assert answer.citations[0].status == "superseded"
    assert "已被《澜江市人力资源服务产业园管理办法》（澜江人社发[2023]12号）替代" in answer.answer


def test_a_document_ending_within_sixty_days_says_so(chain: AnswerChain) -> None:
    answer = chain.ask("柳州措施二（二）3是什么内容")
    assert "将于2026年12月31日到期" in answer.answer  # TODAY is 2026-11-24


def test_validity_without_an_end_date_is_said_plainly(chain: AnswerChain) -> None:
    answer = chain.ask("自治区级的那个办法现在还能用吗")
    assert answer.answered and "没有规定有效期的截止日期" in answer.answer
    assert (GX, "第十六条") in [(c.doc_id, c.article) for c in answer.citations]


def test_a_derived_end_date_shows_its_rule(chain: AnswerChain) -> None:
    answer = chain.ask("澜江那个管理办法什么时候到期")
    assert "2028年6月30日" in answer.answer and "有效期5年" in answer.answer


def test_a_follow_up_with_its_own_subject_stays_in_the_documents_of_the_conversation(
    chain: AnswerChain,
) -> None:
    first = chain.ask("青岚县产业园核心区建筑面积最低要求多少")
    follow = chain.ask("那入驻机构的房租减免面积有上限吗", [[first.question, first.answer]])
    assert {c.doc_id for c in follow.citations} == {QL}
    assert "300平方米" in follow.answer


def test_a_follow_up_naming_only_a_unit_reads_it_in_the_same_document(chain: AnswerChain) -> None:
    first = chain.ask("澜江市级产业园的申报条件有哪些")
    follow = chain.ask("第二十一条呢", [[first.question, first.answer]])
    assert [(c.doc_id, c.article) for c in follow.citations][:1] == [(LJ, "第二十一条")]
