"""The answer chain: contextualise → route → retrieve → tools → compose (also as LangChain LCEL).

`chain.py` only wires stages; each stage lives in its own module. The optional LLM composer
(`assistant.llm`) sits after the offline one and must pass the same guards.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any

from assistant.answer import compose
from assistant.dialogue import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, read_turn, state_after
from assistant.errors import BadQuestion
from assistant.index import Index
from assistant.parts import within_parts
from assistant.question import Question, understand
from assistant.retrieve import Retriever
from assistant.route import route
from assistant.types import Answer, Chunk, Citation, Hit, ToolCall
from assistant.uncovered import subject_missing_from, uncovered_subject
from assistant.understood import acknowledgement, describe

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

MAX_TURN_CHARS = MAX_QUESTION_CHARS


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
        state: Any = {"question": text, "history": bounded_history(history)}
        for stage in self.stages:
            state = stage(state)
        return _stamped(state, notice, item_id, started)

    def stream(
        self, question: str, history: Sequence[Sequence[str]] = (), item_id: Any = None
    ) -> Iterator[str | Answer]:
        """`ask`, for a chat that shows the LLM composer's draft while it is written: each `str`
        is the unchecked draft so far; the last item is the `Answer`, the one `ask` gives for
        the same reply (guards passed, or the extractive answer and the reason). Without a
        composer it yields the answer alone."""
        started = time.perf_counter()
        text, notice = _clean_question(question)
        state: Any = {"question": text, "history": bounded_history(history)}
        for stage in self.stages[:-1]:
            state = stage(state)
        answer = self._offline(state)
        if self.chat_model is not None and answer.answered:
            from assistant.llm import stream_with_llm

            for item in stream_with_llm(self.chat_model, answer, *self._llm_inputs(state)):
                if isinstance(item, str):
                    yield item
                else:
                    answer = item
        yield _stamped(self._finish(answer, state), notice, item_id, started)

    def without_llm(self) -> AnswerChain:
        """The same index and retriever, answering offline (warm-ups, generated examples)."""
        return AnswerChain(self.index, self.today, retriever=self.retriever)

    def _contextualise(self, state: dict[str, Any]) -> dict[str, Any]:
        history = state["history"]
        dialogue = read_turn(state["question"], state_after(history, self.index) if history else None, self.index)
        return {**state, "effective": dialogue.question, "dialogue": dialogue}

    def _route(self, state: dict[str, Any]) -> dict[str, Any]:
        intent = within_parts(route(state["effective"], self.index.documents), self.index.by_doc)
        return {**state, "intent": intent, "understood": understand(intent)}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        intent = state["intent"]
        found = self.retriever.search(state["effective"], k=5, intent=intent)
        return {**state, "hits": found.hits, "support": found.support}

    def _tools(self, state: dict[str, Any]) -> dict[str, Any]:
        from assistant.calc_bridge import run_calculator

        dialogue = state.get("dialogue")
        if state["history"] and (_asks_no_figure(state["question"]) or (dialogue is not None and dialogue.read_as == "rule")):
            # the text answers it: a fact asked of the rule in focus, not a sum of carried figures
            return {**state, "calc": None}
        if _counts_days_of_validity(state["understood"]):
            return {**state, "calc": None}
        return {**state, "calc": run_calculator(state["intent"], state["hits"], self.index, self.today)}

    def _compose(self, state: dict[str, Any]) -> Answer:
        answer = self._offline(state)
        if self.chat_model is not None and answer.answered:
            from assistant.llm import compose_with_llm

            answer = compose_with_llm(self.chat_model, answer, *self._llm_inputs(state))
        return self._finish(answer, state)

    def _offline(self, state: dict[str, Any]) -> Answer:
        dialogue = state.get("dialogue")
        if dialogue is not None and dialogue.read_as == "statement":
            # facts about the asker, nothing asked: remembered for the turns that follow
            return Answer(question=state["question"], answer=acknowledgement(dialogue), answered=True, notes={"statement": True})
        calc = state["calc"]
        if calc is not None and calc.error:
            return Answer(
                question=state["question"],
                answer=f"{calc.text}\n请把数字写成如“6亿元”“4500平方米”“62%”“2026年3月2日”的形式再问一次。",
                answered=False,
                notes={"refusal": "bad figure"},
            )
        answer = compose(
            state["understood"],
            state["hits"],
            self.index.documents,
            self.index.chunks,
            self.today,
            tools=calc.tools if calc else (),
            tool_text=calc.text if calc else "",
            tool_chunks=calc.chunks if calc else (),
            support=state["support"],
            by_doc=self.index.by_doc,
        )
        reckoned = tuple(calc.chunks) if calc is not None and calc.tools else ()
        missing = None
        if dialogue is not None and dialogue.read_as == "document":
            missing = uncovered_subject(dialogue, reckoned, self.index)
        elif answer.answered and not state["history"] and _asks_of_the_text(state["understood"], state["hits"]):
            missing = subject_missing_from(state["effective"], reckoned, self.index, compound=True)
        if missing:  # "那聊城呢" / "聊城…营收奖励" where 聊城 has nothing on it: say so, quote nothing near it
            return Answer(question=state["question"], answer=f"未找到相关规定：{missing}", answered=False, notes={"refusal": "not in document"})
        return answer

    def _finish(self, answer: Answer, state: dict[str, Any]) -> Answer:
        if state["effective"] != state["question"]:
            answer = replace(answer, question=state["question"], notes={**answer.notes, "understood_as": state["effective"]})
        dialogue = state.get("dialogue")
        if dialogue is not None and (state["history"] or dialogue.read_as == "statement"):
            answer = replace(answer, notes={**answer.notes, "understood": describe(dialogue, self.index)})
        return self._with_cautions(answer)

    def _with_cautions(self, answer: Answer) -> Answer:
        """Warning lines: a cited upload nobody has reviewed; a quoted article (asked for by
        name) that speaks to its reader rather than stating policy."""
        from assistant.addressed import addressed_to_reader
        from assistant.provenance import unreviewed_uploads, unreviewed_warning

        lines = []
        unreviewed = unreviewed_uploads(self.index.manifest, (c.doc_id for c in answer.citations))
        if unreviewed:
            lines.append(unreviewed_warning(self.index.documents[d].title for d in unreviewed))
        if any(addressed_to_reader(c.text) for c in answer.citations):
            lines.append("⚠ 所引条文含有对读者的指令、电话或付款要求，这不是政策规定，请勿照做。")
        if not lines:
            return answer
        return replace(answer, answer="\n\n".join([answer.answer, *lines]), warnings=(*answer.warnings, *lines))


    def _llm_inputs(self, state: dict[str, Any]) -> tuple[list[Chunk], tuple[ToolCall, ...], dict[tuple[str, str], Citation]]:
        """What the LLM composer sees and may cite: the retrieved and calculator units, the tool calls."""
        from assistant.render import citation_for

        calc = state["calc"]
        chunks = list(dict.fromkeys([*(h.chunk for h in state["hits"]), *(calc.chunks if calc else ())]))
        citations = {
            (c.doc_id, c.article): citation_for(c, self.index.documents[c.doc_id], self.today) for c in chunks
        }
        return chunks, tuple(calc.tools if calc else ()), citations


def _stamped(answer: Answer, notice: str, item_id: Any, started: float) -> Answer:
    if notice:
        answer = replace(answer, answer=f"{notice}\n\n{answer.answer}", warnings=(notice, *answer.warnings))
    return replace(answer, id=item_id, latency_ms=(time.perf_counter() - started) * 1000)


# Sentence punctuation a question may carry freely; any other symbol counts against it.
_PUNCTUATION = frozenset("，。？！、；：,.?!;:“”‘’\"'（）()《》〈〉【】[]…—-·%％")


def looks_like_language(text: str) -> bool:
    """Whether `text` reads as words, not bytes or symbols. Random bytes arrive as U+FFFD
    (undecodable input) among stray letters and symbols; a question is mostly letters and
    digits of some script once its sentence punctuation is set aside."""
    chars = [ch for ch in text if not ch.isspace() and ch not in _PUNCTUATION]
    if not chars:
        return False
    return sum(ch.isalnum() for ch in chars) / len(chars) >= 0.6


# Characters that carry no words and break output: lone surrogates (unencodable in UTF-8),
# control characters, zero-width and bidi-override marks.
_INVISIBLE = re.compile(
    "[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def bounded_history(history: Sequence[Sequence[str]]) -> list[list[str]]:
    """The last MAX_HISTORY_TURNS [question, answer] pairs, each side cut to MAX_TURN_CHARS."""
    if not isinstance(history, list | tuple):
        return []
    turns = [turn for turn in history if isinstance(turn, list | tuple) and len(turn) >= 2][-MAX_HISTORY_TURNS:]
    return [[str(turn[0])[:MAX_TURN_CHARS], str(turn[1])[:MAX_TURN_CHARS]] for turn in turns]


def _clean_question(question: str) -> tuple[str, str]:
    if not isinstance(question, str):  # JSON callers send numbers, lists, null
        raise BadQuestion("问题必须是文字（question must be a string）: send the question as text")
    text = _INVISIBLE.sub("", question or "").strip()
    if not text:
        raise BadQuestion("问题是空的（empty question）: type a question about the park policies")
    if not re.search(r"[\w\u3400-\u9fff]", text):
        raise BadQuestion("问题里没有文字（no words in the question）: ask in words, e.g. 第五条讲什么")
    if not looks_like_language(text[:MAX_QUESTION_CHARS]):
        raise BadQuestion("无法识别的问题（not recognisable as language）: ask in words, e.g. 第五条讲什么")
    if len(text) > MAX_QUESTION_CHARS:
        notice = f"问题过长（{len(text)}字），只按前{MAX_QUESTION_CHARS}字回答。"
        return text[:MAX_QUESTION_CHARS], notice
    return text, ""


def _asks_no_figure(turn: str) -> bool:
    """A follow-up that itself gives no figure and asks who, how often, how long (not which day)
    or on what conditions ("那分几年给？" after "那2亿呢？"): the text answers it, not the
    calculator run again on the figures carried from earlier turns."""
    from assistant.calc.applied import (
        has,  # the calculator's own words for a day asked (最晚, 哪天 …)
    )
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.errors import CalcError
    from assistant.question import asked_kind

    # each question the turn asks ("分几年给？第三年能拿多少" asks an amount too)
    asked = [p for p in re.split(r"[？?！!。；;]", turn) if p.strip()] or [turn]
    if any(asked_kind(p) not in ("who", "frequency", "date", "duration", "condition") for p in asked) \
            or has(turn, "due"):
        return False
    try:
        return not extract_quantities(turn)
    except CalcError:
        return False


def _counts_days_of_validity(q: Question) -> bool:
    """"《…》还有多少天到期": the days left of a named document's (or part's) own validity, which
    its 施行/有效期 unit answers — not a deadline or window the calculator finds in its articles.
    Only a date may be given (the day to count from); any other figure is for the calculator."""
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.errors import CalcError
    from assistant.lexicon import lexicon

    if not (q.intent.doc_ids and q.about_validity and lexicon().days_asked.search(q.intent.question)):
        return False
    try:
        return all(f.kind == "date" for f in extract_quantities(q.intent.question))
    except CalcError:
        return False


def _asks_of_the_text(q: Question, hits: Sequence[Hit]) -> bool:
    """A question about what a document grants, not about the document itself or a unit it names."""
    return not (
        q.about_validity or q.about_draft or q.which_article or q.wants_whole or q.intent.articles
        or any(h.via == "exact" for h in hits)
    )
