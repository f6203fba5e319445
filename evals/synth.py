"""A synthetic corpus for the cost-growth benchmark, made from the seed documents.

Each synthetic document is one seed document with another province and city, its articles
shuffled and renumbered (第X条 within the document; 1. 2. … within each （X） section of an
outline document), and its figures perturbed (amounts, areas, counts, percentages; dates, years
and document numbers stay valid). It keeps the seed's structure, so the real chunker finds the
same number of articles, and every file differs from every other.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.outline import TRAILER, match_marker, to_cn

PROVINCES = (
    ("湖南", "湘"), ("湖北", "鄂"), ("江西", "赣"), ("福建", "闽"), ("安徽", "皖"), ("河南", "豫"),
    ("河北", "冀"), ("山西", "晋"), ("陕西", "陕"), ("甘肃", "甘"), ("四川", "川"), ("贵州", "黔"),
    ("云南", "滇"), ("浙江", "浙"), ("江苏", "苏"), ("广东", "粤"), ("海南", "琼"), ("吉林", "吉"),
    ("辽宁", "辽"), ("青海", "青"),
)
CITIES = (
    "株洲", "襄阳", "赣州", "泉州", "芜湖", "洛阳", "保定", "大同", "宝鸡", "天水", "绵阳", "遵义",
    "曲靖", "温州", "徐州", "佛山", "三亚", "鞍山", "西宁", "岳阳", "宜昌", "九江", "漳州", "蚌埠",
    "开封", "邯郸", "长治", "汉中", "酒泉", "德阳",
)

# Markers are read by the chunker's own grammar, so the synthetic documents split the same way.
# A figure, but not a year (2024年), a month or day (1月27日), a day count (45日) or a 文号 part.
_FIGURE = re.compile(r"(?<![\d.〔月年第\-])(\d+(?:\.\d+)?)(?![\d.年月日〕号\-])")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 112 → 一百一十二."""
    return to_cn(n)


def _kind(para: str) -> str:
    marker = match_marker(para)
    return marker.kind if marker else ""


def _strip_marker(para: str) -> str:
    marker = match_marker(para)
    return marker.rest if marker else para


@dataclass(frozen=True)
class Template:
    name: str
    paragraphs: tuple[str, ...]
    articles: int  # what the real chunker finds in it


@dataclass(frozen=True)
class SynthCorpus:
    files: tuple[Path, ...]
    articles: int
    bytes: int


def load_templates(corpus_dir: Path) -> list[Template]:
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    templates = []
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = load_document(path)
        templates.append(Template(path.stem, tuple(doc.text.split("\n")), len(chunk_document(doc))))
    return templates


def relocate(text: str, province: str, abbr: str, city: str) -> str:
    for old, new in (
        ("广西壮族自治区", f"{province}省"), ("广西", province), ("自治区级", "省级"),
        ("自治区", "省"), ("我区", "我省"), ("桂人社", f"{abbr}人社"), ("山东", province),
        ("柳州", city), ("聊城", city), ("龙城", city),
    ):
        text = text.replace(old, new)
    return re.sub(r"柳(?=[发政人])", city[0], text)


def perturb(text: str, rng: random.Random) -> str:
    def one(match: re.Match[str]) -> str:
        raw = match.group(1)
        value = float(raw) * rng.uniform(0.6, 1.6)
        if "." in raw:
            return f"{value:.{len(raw.split('.')[1])}f}"
        digits = len(raw)
        return str(max(1, int(round(value, -max(0, digits - 2)))))

    return _FIGURE.sub(one, text)


def _shuffle_articles(paragraphs: list[str], rng: random.Random) -> list[str]:
    """条-structured: article blocks change places; chapters stay; labels run 第一条, 第二条 …"""
    slots: list[str | None] = []  # None: an article goes here
    blocks: list[list[str]] = []
    in_article = False
    for para in paragraphs:
        if _kind(para) == "tiao":
            blocks.append([_strip_marker(para)])
            slots.append(None)
            in_article = True
        elif in_article and not (_kind(para) == "zhang" or TRAILER.match(para)):
            blocks[-1].append(para)
        else:
            slots.append(para)
            in_article = False
    rng.shuffle(blocks)
    lines: list[str] = []
    numbered = iter(enumerate(blocks, start=1))
    for slot in slots:
        if slot is not None:
            lines.append(slot)
            continue
        number, block = next(numbered)
        lines.append(f"第{chinese_number(number)}条 {block[0]}")
        lines.extend(block[1:])
    return lines


def _shuffle_items(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Outline: within each （X） section, the numbered items change places and are renumbered."""
    lines: list[str] = []
    items: list[list[str]] = []

    def flush() -> None:
        rng.shuffle(items)
        for number, item in enumerate(items, start=1):
            lines.append(f"{number}.{item[0]}")
            lines.extend(item[1:])
        items.clear()

    for para in paragraphs:
        if _kind(para) == "ar":
            items.append([_strip_marker(para)])
        elif items and not (_kind(para) in ("cn", "（cn）") or para.startswith("本")):
            items[-1].append(para)
        else:
            flush()
            lines.append(para)
    flush()
    return lines


def synthesize(template: Template, serial: int, rng: random.Random) -> str:
    province, abbr = PROVINCES[serial % len(PROVINCES)]
    city = CITIES[(serial // len(PROVINCES) + serial) % len(CITIES)]
    paragraphs = list(template.paragraphs)
    if any(_kind(p) == "tiao" for p in paragraphs):
        paragraphs = _shuffle_articles(paragraphs, rng)
    else:
        paragraphs = _shuffle_items(paragraphs, rng)
    text = "\n".join(paragraphs)
    return perturb(relocate(text, province, abbr, city), rng) + "\n"


def write_corpus(out_dir: Path, articles: int, corpus_dir: Path, seed: int = 7) -> SynthCorpus:
    """Documents until at least `articles` articles, round robin over the seed documents."""
    templates = load_templates(corpus_dir)
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    total = size = serial = 0
    while total < articles:
        template = templates[serial % len(templates)]
        path = out_dir / f"synth-{serial:06d}-{template.name}.txt"
        data = synthesize(template, serial, rng).encode("utf-8")
        path.write_bytes(data)
        files.append(path)
        total += template.articles
        size += len(data)
        serial += 1
    return SynthCorpus(tuple(files), total, size)
