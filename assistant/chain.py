"""The answer chain: contextualise → route → retrieve → tools → compose (also as LangChain LCEL).

`chain.py` only wires stages; each stage lives in its own module. The optional LLM composer
(`assistant.llm`) sits after the offline one and must pass the same guards.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any

from assistant.answer import compose, content_words
from assistant.errors import BadQuestion
from assistant.index import Index
from assistant.retrieve import Retriever
from assistant.route import route
from assistant.types import Answer

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

MAX_QUESTION_CHARS = 2000
_FOLLOW_UP = re.compile(r"^(那|那么|那如果|如果|要是|假如|换成|改成|换作|若|那要是)")


def contextualise(question: str, history: Sequence[Sequence[str]], index: Index) -> str:
    """Make a follow-up ("那1.2亿呢？") self-contained using the conversation's last question.

    The previous question supplies the document and the subject; figures in the follow-up
    replace the previous figures of the same kind, so the calculator sees the new numbers.
    """
    if not history:
        return question
    intent = route(question, index.documents)
    if intent.articles:
        return question
    elliptical = bool(_FOLLOW_UP.match(intent.question)) or (
        not intent.doc_ids and len(content_words(intent.topic)) <= 1
    )
    previous = next((q for q, _ in reversed(history) if q.strip()), "")
    if not elliptical or not previous:
        return question
    if intent.doc_ids:
        # "那聊城呢？": the new document, the previous subject
        return f"{intent.question} {route(previous, index.documents).topic}"
    merged = _replace_figures(previous, intent.question)
    return merged if merged is not None else f"{previous}；{intent.question}"


def _replace_figures(previous: str, follow_up: str) -> str | None:
    try:
        from assistant.calc.numbers import extract_quantities

        old, new = extract_quantities(previous), extract_quantities(follow_up)
    except Exception:  # a bad figure in either turn: fall back to plain concatenation
        return None
    if not new:
        return None
    text = previous
    replaced = False
    for figure in new:
        same = [q for q in old if q.kind == figure.kind]
        if not same:
            continue
        target = same[0]
        text = text[: target.span[0]] + figure.text + text[target.span[1] :]
        replaced = True
        shift = len(figure.text) - (target.span[1] - target.span[0])
        old = [
            q if q.span[0] < target.span[0] else replace(q, span=(q.span[0] + shift, q.span[1] + shift))
            for q in old
            if q is not target
        ]
    return text if replaced else None


class AnswerChain:
    """One question (and its conversation) in, one cited `Answer` out."""

    def __init__(
        self, index: Index, today: dt.date, retriever: Retriever | None = None, chat_model: Any = None
    ) -> None:
        self.index = index
        self.today = today
        self.retriever = retriever or Retriever(index)
        self.chat_model = chat_model  # optional LLM composer, guarded (assistant.llm)
        # The one wiring of the stages. `ask` runs them in this order directly; `runnable` is the
        # same sequence as LCEL, for composing with other LangChain pieces. LCEL's per-call
        # bookkeeping (signatures, callbacks, tracing context) cost ~2.5 ms of a ~12 ms answer
        # and its import ~0.5 s of a cold CLI answer.
        self.stages: tuple[Callable[[dict[str, Any]], Any], ...] = (
            self._contextualise,
            self._route,
            self._retrieve,
            self._tools,
            self._compose,
        )

    @cached_property
    def runnable(self) -> Runnable[dict[str, Any], Answer]:
        from langchain_core.runnables import RunnableLambda

        steps = [RunnableLambda(stage) for stage in self.stages]
        return reduce(operator.or_, steps)

    def ask(self, question: str, history: Sequence[Sequence[str]] = (), item_id: Any = None) -> Answer:
        started = time.perf_counter()
        text, notice = _clean_question(question)
        state: Any = {"question": text, "history": list(history)}
        for stage in self.stages:
            state = stage(state)
        answer: Answer = state
        if notice:
            answer = replace(answer, answer=f"{notice}\n\n{answer.answer}", warnings=(notice, *answer.warnings))
        return replace(answer, id=item_id, latency_ms=(time.perf_counter() - started) * 1000)

    def _contextualise(self, state: dict[str, Any]) -> dict[str, Any]:
        effective = contextualise(state["question"], state["history"], self.index)
        return {**state, "effective": effective}

    def _route(self, state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "intent": route(state["effective"], self.index.documents)}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        intent = state["intent"]
        found = self.retriever.search(state["effective"], k=5, intent=intent)
        return {**state, "hits": found.hits, "support": found.support}

    def _tools(self, state: dict[str, Any]) -> dict[str, Any]:
        from assistant.calc_bridge import run_calculator

        return {**state, "calc": run_calculator(state["intent"], state["hits"], self.index, self.today)}

    def _compose(self, state: dict[str, Any]) -> Answer:
        calc = state["calc"]
        if calc is not None and calc.error:
            return Answer(
                question=state["question"],
                answer=f"{calc.text}\n请把数字写成如“6亿元”“4500平方米”“62%”“2026年3月2日”的形式再问一次。",
                answered=False,
                notes={"refusal": "bad figure"},
            )
        answer = compose(
            state["intent"],
            state["hits"],
            self.index.documents,
            self.index.chunks,
            self.today,
            tools=calc.tools if calc else (),
            tool_text=calc.text if calc else "",
            tool_chunks=calc.chunks if calc else (),
            support=state["support"],
        )
        if self.chat_model is not None and answer.answered:
            answer = self._with_llm(answer, state)
        if state["effective"] != state["question"]:
            answer = replace(answer, question=state["question"], notes={**answer.notes, "understood_as": state["effective"]})
        return answer


    def _with_llm(self, offline: Answer, state: dict[str, Any]) -> Answer:
        from assistant.answer import citation_for
        from assistant.llm import compose_with_llm

        calc = state["calc"]
        chunks = list(dict.fromkeys([*(h.chunk for h in state["hits"]), *(calc.chunks if calc else ())]))
        citations = {
            (c.doc_id, c.article): citation_for(c, self.index.documents[c.doc_id], self.today) for c in chunks
        }
        tools = calc.tools if calc else ()
        return compose_with_llm(self.chat_model, offline, chunks, tools, citations)


# Characters that carry no words and break output: lone surrogates (unencodable in UTF-8),
# control characters, zero-width and bidi-override marks.
_INVISIBLE = re.compile(
    "[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def _clean_question(question: str) -> tuple[str, str]:
    text = _INVISIBLE.sub("", question or "").strip()
    if not text:
        raise BadQuestion("问题是空的（empty question）: type a question about the park policies")
    if not re.search(r"[\w\u3400-\u9fff]", text):
        raise BadQuestion("问题里没有文字（no words in the question）: ask in words, e.g. 第五条讲什么")
    if len(text) > MAX_QUESTION_CHARS:
        notice = f"问题过长（{len(text)}字），只按前{MAX_QUESTION_CHARS}字回答。"
        return text[:MAX_QUESTION_CHARS], notice
    return text, ""
