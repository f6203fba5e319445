"""The one grammar of Chinese policy structure: markers, numerals, the outline tree, labels.

A policy is either 条-structured (第X编/章/节 containers, 第X条 articles with 款 and 项 inside;
a notice forwarding such articles as its annex keeps its own points 一、… before them) or an
outline (一、/（一）/1./（1）/1）/①, 第X部分 and decimal 1 / 1.1 / 1.1.1, at any depth, starting at
any level; items numbered on through their groups, 一1 一2 二3, as 若干措施 number them), with a
preamble (序言), a closing paragraph (附则), annexes (附件/附表/附录) and, for text with no
outline at all, paragraphs (第N段). Labels are the document's own numbering as a path:
第五条, 二（一）1, 二（4）1）, （三）（2）, 第二部分1①, 1.2.3, 附件2, 第3段.

This package depends on nothing else in the package: ingest, the loaders, structure, question
understanding, rules and answers all read structure through it.
"""

from assistant.outline.grammar import (
    BULLET,
    CIRCLED,
    CN_DIGITS,
    CONTAINERS,
    SECTION_NUMBER,
    STRUCTURAL,
    TRAILER,
    Marker,
    Node,
    Outline,
    breaks_row,
    decimal_parts,
    is_prose,
    is_salutation,
    is_signature,
    match_annex,
    match_marker,
    own_markers,
    parse,
    small_numeral,
    to_cn,
    to_int,
)
from assistant.outline.labels import (
    ANNEXES,
    Reference,
    Step,
    decimal_path,
    find_references,
    is_label,
    is_within,
    label_path,
    lines_within,
    path_matches,
    present_instead,
    render_label,
    resolve,
)

__all__ = [
    "ANNEXES",
    "BULLET",
    "CIRCLED",
    "CN_DIGITS",
    "CONTAINERS",
    "Marker",
    "Node",
    "Outline",
    "Reference",
    "SECTION_NUMBER",
    "STRUCTURAL",
    "Step",
    "TRAILER",
    "breaks_row",
    "decimal_parts",
    "decimal_path",
    "find_references",
    "is_label",
    "is_prose",
    "is_salutation",
    "is_signature",
    "is_within",
    "label_path",
    "lines_within",
    "match_annex",
    "match_marker",
    "own_markers",
    "parse",
    "path_matches",
    "present_instead",
    "render_label",
    "resolve",
    "small_numeral",
    "to_cn",
    "to_int",
]
