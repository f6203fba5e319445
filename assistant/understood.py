"""How a turn was understood, said plainly on the answer and in the chat ("按上文理解：…"), and
the reply to a turn that only states facts."""

from __future__ import annotations

from assistant.dialogue import DialogueState
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.route import route
from assistant.turn_figures import clause_of

# How a turn was read, said plainly on the answer ("按上文理解：…").
READINGS = {
    "fresh": "新的问题",
    "document": "换一份文件，问同一件事",
    "unit": "上文文件中的条款",
    "item": "上文所引条款中的一项",
    "figures": "同一问题，换成新的数字",
    "added": "同一问题，加上新的数字",
    "subject": "上文文件中的另一件事",
    "narrowed": "上文所引条款中的一项",
    "rule": "上文所引规定的另一项内容",
    "other": "同一问题，问另一项",
    "carried": "接着上文的问题",
    "statement": "记下所说的情况",
}


def describe(state: DialogueState, index: Index) -> str:
    """How a turn was understood, in plain words for the answer and the chat ("按上文理解：…")."""
    lex = lexicon()
    named = route(state.question, index.documents).doc_ids or state.documents
    parts = [READINGS.get(state.read_as, state.read_as)]
    titles = "".join(f"《{index.documents[d].title}》" for d in named if d in index.documents)
    if state.narrowed:
        titles += state.narrowed[1]
    if titles:
        parts.append(f"文件：{titles}")
    noun = next((k.noun for k in lex.kinds if k.name == state.kind and k.noun), "")
    if noun:
        parts.append(f"问：{noun}")
    shown = [f"{role.split(':', 1)[1]}{text}" for role, text in state.figures if text in state.question]
    shown += [said for said in state.own_figures if said in state.question and not any(s in said for s in shown)]
    if shown:
        parts.append(f"数字：{'、'.join(shown)}")
    return "按上文理解：" + "；".join(parts)


def acknowledgement(state: DialogueState) -> str:
    """The reply to a turn that only states facts: what was noted, and what to ask next."""
    said = "；".join(dict.fromkeys(clause_of(state.question, text) for _, text in state.figures if text in state.question))
    return f"好的，已记下：{said}。接下来可以问按这些情况能享受哪些扶持，例如“能拿多少奖励？”“够不够申报条件？”。"
