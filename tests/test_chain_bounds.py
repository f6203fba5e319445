"""What one request may cost: history is cut before anything tokenises it; non-text questions
and text that is not language are refused with a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

QUESTION = "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"


def test_history_is_capped_in_turns_and_characters_before_tokenising(
    use_hash_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.chain as chain_module
    import assistant.index as index_module
    from assistant.chain import MAX_HISTORY_TURNS, MAX_TURN_CHARS
    from assistant.service import get_chain

    chain = get_chain()
    seen: list[int] = []
    real_tokenize = index_module.tokenize

    def spy(text: str) -> list[str]:
        seen.append(len(text))
        return real_tokenize(text)

    for module in (chain_module, index_module):
        monkeypatch.setattr(module, "tokenize", spy, raising=False)
    monkeypatch.setattr("jieba.lcut_for_search", _counting(seen))
    huge = "柳州经济贡献奖励" * 12_500  # 100,000 characters
    history = [[f"第{i}个问题", "答"] for i in range(50)] + [[huge, huge]]
    answer = chain.ask("那1.2亿呢？", history)
    assert answer.answered
    assert seen and max(seen) <= MAX_TURN_CHARS + 100, max(seen)
    assert len(chain_module.bounded_history(history)) == MAX_HISTORY_TURNS


def _counting(seen: list[int]) -> Any:
    import jieba

    real = jieba.lcut_for_search

    def count(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(text))
        return real(text, *args, **kwargs)

    return count


def test_history_of_the_wrong_shape_is_ignored(use_hash_index: Path) -> None:
    from assistant.service import get_chain

    chain = get_chain()
    for history in ("abc", 5, [["only one"]], [[1, 2]], {"a": "b"}):
        assert chain.ask(QUESTION, history).answered  # type: ignore[arg-type]


@pytest.mark.parametrize("question", [123, None, ["第五条"], {"q": 1}])
def test_a_question_that_is_not_text_is_refused_with_a_message(use_hash_index: Path, question: Any) -> None:
    from assistant.errors import BadQuestion
    from assistant.service import get_chain

    with pytest.raises(BadQuestion, match="问题必须是文字"):
        get_chain().ask(question)


@pytest.mark.parametrize("question", ["a#$%^&*(b", "@@@@x!!", "\ufffd\ufffdA\ufffd\x7f\ufffdq\ufffd"])
def test_symbols_and_bytes_are_refused_as_unrecognisable(use_hash_index: Path, question: str) -> None:
    from assistant.errors import BadQuestion
    from assistant.service import get_chain

    with pytest.raises(BadQuestion, match="无法识别的问题"):
        get_chain().ask(question)
