"""The eval runner (evals/run.py) and the tutorial baseline (evals/baseline.py).

The runner is driven end to end on a five-question set: the real `assistant retrieve` over the
`hash_index` fixture (conftest.py), and a fake `ask` (a tiny script that replays canned answers)
in place of the real one, once answering well and once answering badly.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from evals import run as runner
from evals.baseline import Article, covered, run_baseline

ROOT = Path(__file__).resolve().parent.parent
GX, LC, LZ = "guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"

QUESTIONS = [
    {"id": "t1", "type": "lookup", "question": "聊城办法第5条是什么规定？",
     "gold": [{"doc": LC, "article": "第五条"}], "expect": ["经当地政府同意"]},
    {"id": "t2", "type": "lookup", "question": "柳州措施二（二）3是什么内容",
     "gold": [{"doc": LZ, "article": "二（二）3"}], "expect": ["2万元/家"]},
    {"id": "t3", "type": "cross", "question": "广西和聊城两个办法里认定前的公示期分别多长",
     "gold": [{"doc": GX, "article": "第六条"}, {"doc": LC, "article": "第七条"}],
     "expect": ["7日", "5个工作日"]},
    {"id": "t4", "type": "refuse", "question": "深圳市级人力资源服务产业园申报条件是什么",
     "gold": [], "expect": [], "refuse": True},
    {"id": "t5", "type": "fact", "question": "柳州产业园措施有效期到哪天",
     "gold": [{"doc": LZ, "article": None}], "expect": ["2026年12月31日"]},
]


def _answer(text: str, *cited: tuple[str, str], answered: bool = True) -> dict[str, object]:
    return {
        "answer": text,
        "answered": answered,
        "citations": [{"doc_id": d, "title": "", "article": a, "text": "", "status": "in_force"} for d, a in cited],
        "tools": [],
        "latency_ms": 12.5,
    }


GOOD = {
    "t1": _answer("第五条：…经当地政府同意后，向市人社局提出申请。", (LC, "第五条")),
    "t2": _answer("给予运营机构一次性奖励 2万元/家，最高不超过20万元。", (LZ, "二（二）3")),
    "t3": _answer("广西公示 7 日；聊城公示 5个工作日。", (GX, "第六条"), (LC, "第七条（二）")),
    "t4": _answer("未找到相关规定：语料中没有深圳的办法。", answered=False),
    "t5": _answer("有效期至2026年12月31日。", (LZ, "附则")),
}
BAD = {
    "t1": _answer("第五条规定市级产业园由市政府直接认定。", (LC, "第五条")),  # wrong answer
    "t2": _answer("给予运营机构一次性奖励2万元/家。", (LZ, "二（二）2")),  # wrong article
    "t3": _answer("未找到相关规定。", answered=False),  # false refusal
    "t4": _answer("深圳要求5000平方米。", (GX, "第五条")),  # answers what it should decline
    "t5": {"error": "boom: the composer crashed"},  # an {"error"} line
}

FAKE_ASK = """\
import json, sys
canned = json.load(open(sys.argv[1], encoding="utf-8"))
for line in sys.stdin:
    item = json.loads(line)
    out = {"id": item["id"], **canned[str(item["id"])]}
    if "error" not in out:
        out["question"] = item["question"]
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


@pytest.fixture
def workspace(tmp_path: Path, use_hash_index: Path) -> Path:
    (tmp_path / "set.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8"
    )
    (tmp_path / "fake_ask.py").write_text(FAKE_ASK, encoding="utf-8")
    for name, canned in (("good", GOOD), ("bad", BAD)):
        (tmp_path / f"{name}.json").write_text(json.dumps(canned, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _run(ws: Path, index: Path, answers: str, *extra: str) -> tuple[int, str]:
    cmd = shlex.join([sys.executable, str(ws / "fake_ask.py"), str(ws / f"{answers}.json")])
    argv = ["--set", str(ws / "set.jsonl"), "--index", str(index), "--out", str(ws / "report.md")]
    code = runner.main([*argv, "--answerer-cmd", cmd, *extra])
    return code, (ws / "report.md").read_text(encoding="utf-8")


def _overall_row(report: str, heading: str) -> dict[str, str]:
    section = report.split(heading, 1)[1]
    row = next(line for line in section.splitlines() if line.startswith("| overall |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    return dict(zip(["type", *[h for _, h in runner.COLUMNS]], cells, strict=True))


@pytest.mark.slow
def test_good_answerer_passes_every_gate(workspace: Path, hash_index: Path) -> None:
    code, report = _run(workspace, hash_index, "good", "--no-baseline")
    overall = _overall_row(report, "## Project, per type")
    assert code == 0, report
    assert overall["R@5"] == "1.000" and overall["MRR"] == "1.000"
    assert (overall["answer"], overall["cite P"], overall["cite R"], overall["refusal"]) == (
        "1.000", "1.000", "1.000", "1.000",
    )
    assert "## Misses (project): 0" in report
    assert (workspace / "report.png").stat().st_size > 10_000


@pytest.mark.slow
def test_bad_answerer_lists_every_miss_and_fails(
    workspace: Path, hash_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _run(workspace, hash_index, "bad")
    printed = capsys.readouterr().out
    assert code == 1
    assert "## Misses (project): 5" in report
    expected = {
        "t1": "answer: missing 「经当地政府同意」",
        "t2": f"citation: cited non-gold {LZ} 二（二）2",
        "t3": "answer: declined a question the corpus answers",
        "t4": "answer: answered a question it should decline",
        "t5": "error: boom: the composer crashed",
    }
    for qid, why in expected.items():
        detail = report.split(f"### {qid} ", 1)[1].split("\n### ", 1)[0]
        assert why in detail, (qid, detail)
        assert f"  {qid} (" in printed and why in printed
    assert "- answer: 深圳要求5000平方米。" in report  # the answer itself is shown
    assert f"- citations: {GX} 第五条" in report
    overall = _overall_row(report, "## Project, per type")
    # Right answers: t2 only. Citations: t1 (1/1), t3 and t5 (0), t2 (0/1), t4 (cited: 0).
    assert overall["answer"] == "0.200"
    assert overall["cite P"] == "0.200" and overall["cite R"] == "0.200"
    assert overall["refusal"] == "0.400"  # t3 declined, t4 answered, t5 came back as an error
    assert "answer 0.200 < 0.95" in printed
    # The baseline ran beside it on the same set and never declines.
    baseline = _overall_row(report, "## Baseline")
    assert baseline["refusal"] == "0.800"


@pytest.mark.slow
def test_missing_answer_command_still_reports_retrieval(workspace: Path, hash_index: Path) -> None:
    argv = ["--set", str(workspace / "set.jsonl"), "--index", str(hash_index)]
    out = workspace / "report.md"
    code = runner.main([*argv, "--out", str(out), "--no-baseline", "--answerer-cmd", "no-such-ask-command"])
    report = out.read_text(encoding="utf-8")
    assert code == 2
    assert "**answers not scored**: cannot start `no-such-ask-command`" in report
    assert _overall_row(report, "## Project, per type")["R@5"] == "1.000"
    code = runner.main([*argv, "--out", str(out), "--no-baseline", "--retrieval-only"])
    assert code == 0


def _q(gold: list[tuple[str, str | None]], **kw: object) -> runner.Question:
    return runner.Question("x", str(kw.pop("type", "fact")), "?", tuple(runner.Gold(d, a) for d, a in gold), **kw)  # type: ignore[arg-type]


def test_label_rule_from_the_readme() -> None:
    assert runner.label_matches("第五条（三）", "第五条")
    assert runner.label_matches("二(二)5", "二（二）5")
    assert runner.label_matches("二（二）5", "二、（二）.5")
    assert runner.label_matches("第十条", None)
    assert not runner.label_matches("第十五条", "第五条")
    assert not runner.label_matches("二（一）", "一")
    assert not runner.label_matches("二（二）", "二（二）5")


def test_recall_mrr_and_citations() -> None:
    cross = _q([(GX, "第六条"), (LC, "第七条")], type="cross")
    ranked = (frozenset({(LC, "第七条")}), frozenset({(LZ, "一")}), frozenset({(GX, "第六条（二）")}))
    assert runner.recall_at(cross, ranked, 1) == 1.0  # denominator capped at k
    assert runner.recall_at(cross, ranked[:2], 5) == 0.5
    assert runner.recall_at(cross, ranked, 5) == 1.0
    assert runner.reciprocal_rank(cross, ranked[1:]) == 0.5
    p, r, why = runner.citation_scores(cross, [(GX, "第六条"), (LZ, "附则")])
    assert (p, r) == (0.5, 0.5) and len(why) == 2
    anywhere = _q([(LZ, None)])
    assert runner.citation_scores(anywhere, [(LZ, "附则"), (LZ, "附则")])[:2] == (1.0, 1.0)
    refuse = _q([], refuse=True, type="refuse")
    assert runner.citation_scores(refuse, [])[:2] == (1.0, 1.0)
    assert runner.citation_scores(refuse, [(LZ, "一")])[:2] == (0.0, 0.0)


def test_answer_rules() -> None:
    q = _q([(LZ, "二（二）5")], expect=("10万",), expect_any=("不符合", "不能"))
    assert runner.judge_answer(q, runner.Answered("不能：最多 10 万元", True)) == []
    assert runner.judge_answer(q, runner.Answered("最多10万元", True)) == ["none of 不符合/不能"]
    assert "declined" in runner.judge_answer(q, runner.Answered("不能 10万", False))[0]
    s = runner.score(q, runner.Retrieved(error="boom"), runner.Answered(error="bad line"))
    assert (s.r5, s.answer_ok, s.cite_p, s.refusal_ok) == (0.0, False, 0.0, False)
    assert s.reasons == ["retrieve error: boom", "error: bad line"]


def test_gate_fails_below_each_threshold() -> None:
    good = {"r5": 1.0, "answer": 1.0, "cite_p": 1.0, "cite_r": 1.0}
    assert runner.gate(good, answers_scored=True) == []
    assert runner.gate({**good, "cite_r": 0.9}, answers_scored=True) == ["cite R 0.900 < 0.95"]
    assert runner.gate({**good, "answer": None}, answers_scored=False) == []
    assert runner.gate({**good, "r5": 0.97}, answers_scored=False) == ["R@5 0.970 < 0.98"]


def test_baseline_chunk_covers_the_articles_it_overlaps() -> None:
    a = Article(LC, "第五条", "第五条设立市级产业园坚持以市场需求为导向，以提高人力资源服务供给能力")
    b = Article(LC, "第六条", "第六条申报市级产业园应具备以下条件：核心区建筑面积不少于4000平方米")
    chunk = "坚持以市场需求为导向，以提高人力资源服务供给能力\n第六条 申报市级产业园应具备以下条件：核心区建筑面积"
    assert covered(chunk, [a, b]) == {(LC, "第五条"), (LC, "第六条")}
    assert covered(chunk[:19], [a, b]) == frozenset()  # under 20 shared characters
    assert covered("第六条 申报市级产业园", [Article(LC, "第六条", "第六条申报")]) == {(LC, "第六条")}


@pytest.mark.slow
def test_baseline_scores_with_the_same_metrics() -> None:
    questions = runner.load_questions(ROOT / "evals" / "dev.jsonl")[:12]
    result = run_baseline(questions, sorted((ROOT / "corpus").glob("*.txt")), "hash")
    assert result.chunks > 20
    for q in questions:
        answer = result.answers[q.id]
        assert answer.answered and answer.answer
        assert set(answer.citations) <= set().union(*result.retrieved[q.id].ranked[:1])
        assert len(result.retrieved[q.id].ranked) == runner.K
