"""Read policy files into clean text plus document metadata.

`.txt` is decoded here; `.pdf` and `.docx` are parsed by `assistant.loaders` in a child
process with time and memory limits. Every failure is a `BadDocument` with a reason a clerk
can act on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import BadDocument
from assistant.loaders import PARSED_SUFFIXES, Limits, extract_text
from assistant.loaders.tables import table_rows
from assistant.metadata import DOC_NUMBER, extract_metadata
from assistant.outline import BULLET, STRUCTURAL, Marker, breaks_row, match_annex, own_markers
from assistant.types import Document

if TYPE_CHECKING:
    from assistant.build import IngestReport

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")
MAX_BYTES = 20 * 1024 * 1024  # the default of Limits.max_bytes (ASSISTANT_MAX_FILE_MB)
# What a file really is when its first bytes say so, whatever its name claims.
_SAVE_AS_DOCX = "open it in Word or WPS and save as .docx"
_OCR = "run OCR and save the text as .txt"
_MAGIC = (
    (b"%PDF-", "PDF", "rename it to .pdf"),
    (b"PK\x03\x04", "ZIP/Word (.docx)", "rename it to .docx if it is a Word file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel (.doc/.xls)", _SAVE_AS_DOCX),
    (b"{\\rtf", "RTF", _SAVE_AS_DOCX),
    (b"\x89PNG", "PNG 图片", _OCR),
    (b"\xff\xd8\xff", "JPEG 图片", _OCR),
    (b"GIF8", "GIF 图片", _OCR),
)
# Files a directory scan passes over without complaint: not documents someone meant to add.
_IGNORED = re.compile(r"^(\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)

# Word-export artefacts such as "[bookmark: _GoBack]".
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_TERMINAL = tuple("。；：！？…”’」』）)")
_SENTENCE_PUNCT = re.compile(r"[，。；：、]")
# A reply labelled by a short word and a colon ("答：…") under a question.
_REPLY = re.compile(r"^[\u4e00-\u9fff]{1,3}[：:]")
# "发布日期：2025年3月10日" is a whole line, not a sentence broken after its colon.
_ENDS_WITH_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
def doc_id_for(path: Path) -> str:
    return path.stem


def read_text_file(path: Path, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """Decode a .txt policy: UTF-8 (with or without BOM), else GB18030/GBK, else refuse."""
    raw = _read_bytes(path, max_bytes)
    for magic, kind, hint in _MAGIC:
        if raw.startswith(magic):
            raise BadDocument(path, f"不是文本文件（内容是 {kind}，扩展名却是 .txt）: {hint}")
    if b"\x00" in raw[:4096]:
        raise BadDocument(path, "不是文本文件（含二进制内容）: not a text file; export it as UTF-8 .txt")
    text = decode_text(raw)
    if text is None:
        raise BadDocument(path, "无法识别文本编码: unknown encoding; save it as UTF-8 and retry")
    return text, raw


def decode_text(raw: bytes) -> str | None:
    """Text of any encoding a Chinese office saves: UTF-8 (BOM or not), GB18030/GBK, else what
    charset-normalizer finds; None when nothing reads it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return None if best is None else str(best)


def _read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    _check_size(path, max_bytes)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadDocument(path, f"无法读取文件: cannot read ({exc.strerror})") from exc


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadDocument(path, f"无法读取文件: cannot read ({exc.strerror})") from exc
    if size == 0:
        raise BadDocument(path, "空文件: the file is empty")
    if size > max_bytes:
        raise BadDocument(
            path,
            f"文件过大（{size / 1024 / 1024:.1f} MB > {max_bytes / 1024 / 1024:.3g} MB）: "
            "split it or trim attachments, or raise ASSISTANT_MAX_FILE_MB",
        )


def normalise_line(line: str) -> str:
    """One physical line: artefacts out, full-width spaces and runs of blanks folded."""
    line = _ARTEFACT.sub("", line)
    line = unicodedata.normalize("NFC", line).replace("\u3000", " ").replace("\xa0", " ")
    # A tab between cells is a table's column break: kept as " | ", as the Word loader writes
    # table rows ("建筑面积 | 不低于10000平方米"), so cells never run together.
    line = re.sub(r"[ ]*\t[\t ]*", " | ", line.strip(" \t"))
    line = re.sub(r" *[|｜] *", " | ", line)  # a table written with bars: the same column breaks
    line = re.sub(r" +", " ", line).strip()
    # A space between two CJK characters or between CJK text and a number is layout,
    # not content ("不低于 4000 平方米", "总  则"); the one after an article label is kept.
    label = STRUCTURAL.match(line)
    head, body = (line[: label.end()], line[label.end() :]) if label else ("", line)
    body = re.sub(rf"(?<=[{_CJK}\d%，。；：、（）“”])\s+(?=[{_CJK}\d（）“”])", "", body)
    body = re.sub(rf"(?<=[{_CJK}，。；：、（）“”])\s+(?=[\d%])", "", body)
    return head + body


def _unfinished(paragraph: str) -> bool:
    """A paragraph broken mid-sentence: no closing punctuation, and prose rather than a heading."""
    if not paragraph or paragraph.endswith(_TERMINAL) or _ENDS_WITH_DATE.search(paragraph):
        return False
    if " | " in paragraph:
        return False  # a table row ends at its line
    label = STRUCTURAL.match(paragraph)
    body = paragraph[label.end() :] if label else paragraph
    return bool(_SENTENCE_PUNCT.search(body)) or len(body) > 40


def clean_text(text: str) -> list[str]:
    """Paragraphs of the document, with lines broken mid-sentence joined again."""
    lines = [normalise_line(raw_line) for raw_line in table_rows(text.splitlines())]
    own = own_markers([line for line in lines if line])
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if not line:
            continue
        if paragraphs and _unfinished(paragraphs[-1]) and not _opens_line(previous, line) \
                and not _opens_own_line(own(previous), line, own(line)):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def _opens_own_line(previous: Marker | None, line: str, marker: Marker | None) -> bool:
    """A unit of the document's own numbering (问3, 事项二, 【办理条件】, "3 | …", 说明：) opens a line,
    as a common marker does; so does the reply ("答：…") under a question numbered so."""
    if marker is not None:
        return True
    return previous is not None and previous.kind.startswith("pre:") and bool(_REPLY.match(line))


def _opens_line(previous: str, line: str) -> bool:
    """A line that is never glued onto the one before: a structural label, a bulleted item,
    the next row of a table written as lines, a 文号 on its own line (under a long title)."""
    return bool(
        STRUCTURAL.match(line)
        or BULLET.match(line)
        or match_annex(line)
        or breaks_row(previous, line)
        or DOC_NUMBER.fullmatch(line.strip("（）()"))
    )


def _unsupported(path: Path) -> BadDocument:
    suffix = path.suffix.lower()
    hint = (
        _SAVE_AS_DOCX
        if suffix in (".doc", ".wps", ".rtf", ".odt")
        else f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
    )
    return BadDocument(path, f"不支持的文件类型 {path.suffix or '(无扩展名)'}: {hint}")


def load_document(path: Path, limits: Limits | None = None) -> Document:
    """Read one policy file; `limits` (size, pages, parse time and memory) default to settings."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(path)
    limits = limits or Limits.from_settings()
    if suffix in PARSED_SUFFIXES:
        raw = _read_bytes(path, limits.max_bytes)
        text = extract_text(path, limits)
        if _looks_binary(text):
            raise BadDocument(
                path, "文字无法识别（字体缺少编码表，提取出乱码），需先 OCR: run OCR, then ingest the result"
            )
    else:
        text, raw = read_text_file(path, limits.max_bytes)
        if _looks_binary(text):
            raise BadDocument(path, "不是文本文件（乱码或二进制）: not readable text; export it as UTF-8 .txt")
    paragraphs = clean_text(text)
    if not paragraphs:
        raise BadDocument(path, "文件没有可用文字: no text after cleaning")
    meta = extract_metadata(doc_id_for(path), paragraphs)
    return Document(
        meta=meta,
        text="\n".join(paragraphs),
        source=str(path.resolve()),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample.strip():
        return True
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\r\n\t")
    return bad / len(sample) > 0.05 or "\ufffd" in sample[:200]


def collect_files(paths: list[Path]) -> tuple[list[Path], list[BadDocument], list[Path]]:
    """Files to ingest, refusals for named paths that cannot be, and the directories scanned.

    A directory contributes its supported files (subfolders such as rules/ are not documents);
    a file named explicitly must be of a supported type. A path that cannot even be examined
    (permissions, a name too long) is refused on its own line; the others still go in. In a
    scanned directory, a symlink whose target lies outside it is refused: a link in the corpus
    folder must not make the index (and the answers quoting it) read /etc/passwd.
    """
    files: list[Path] = []
    refused: list[BadDocument] = []
    dirs: list[Path] = []
    for path in paths:
        try:
            kind = _kind(path)
            if kind == "dir":
                dirs.append(path.resolve())
                _scan(path, files, refused)
            elif kind == "missing":
                refused.append(BadDocument(path, "文件不存在（not found）: check the path"))
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                refused.append(_unsupported(path))
            elif kind != "file":
                refused.append(_not_regular(path))
            else:
                files.append(path)
        except OSError as exc:
            refused.append(BadDocument(path, f"无法读取（cannot read: {exc.strerror or exc}）: check the path"))
    return files, refused, dirs


def _kind(path: Path) -> str:
    """'dir', 'file' (regular), 'other' (FIFO, device: reading one may block) or 'missing'.
    Raises OSError when the path cannot be examined at all."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _scan(folder: Path, files: list[Path], refused: list[BadDocument]) -> None:
    root = folder.resolve()
    for child in sorted(folder.iterdir()):
        if _IGNORED.match(child.name):
            continue
        try:
            kind = _kind(child)
            if kind == "dir":
                continue
            if child.is_symlink() and not child.resolve().is_relative_to(root):
                refused.append(
                    BadDocument(child, "链接指向语料目录之外（symlink leaves the folder）: copy the file in instead")
                )
            elif kind == "missing":  # a dangling link: nothing to read, as before
                continue
            elif child.suffix.lower() not in SUPPORTED_SUFFIXES:
                refused.append(_unsupported(child))
            elif kind != "file":
                refused.append(_not_regular(child))
            else:
                files.append(child)
        except OSError as exc:
            refused.append(BadDocument(child, f"无法读取（cannot read: {exc.strerror or exc}）"))


def _not_regular(path: Path) -> BadDocument:
    return BadDocument(path, "不是普通文件（not a regular file: a pipe, device or socket）: copy the file in")


def ingest_paths(
    paths: list[Path],
    index_dir: Path,
    embedder_name: str,
    *,
    today: dt.date | None = None,
    chroma_url: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
    limits: Limits | None = None,
    provenance: Mapping[str, Mapping[str, Any]] | None = None,
) -> IngestReport:
    """Load every file under `paths` and bring the index up to date with them.

    Documents that were ingested from a scanned directory and whose file is gone are removed,
    so `assistant ingest corpus/` mirrors the folder; everything else already indexed stays.
    """
    from assistant.build import build_index
    from assistant.index import read_manifest

    files, failed, dirs = collect_files(paths)
    limits = limits or Limits.from_settings()
    documents: list[Document] = []
    by_id: dict[str, Document] = {}
    for path in files:
        try:
            document = load_document(path, limits)
        except BadDocument as exc:
            failed.append(exc)
            continue
        twin = by_id.setdefault(document.meta.doc_id, document)
        if twin is not document:
            # foo.txt and foo.pdf would both be document "foo": the second would replace the first.
            failed.append(
                BadDocument(
                    path,
                    f"与 {Path(twin.source).name} 同名（same document id {twin.meta.doc_id}）: "
                    "keep one format, or rename one of them",
                )
            )
            continue
        documents.append(document)
    seen = {d.meta.doc_id for d in documents}
    manifest = read_manifest(index_dir) or {"documents": {}}
    remove = [
        doc_id
        for doc_id, entry in manifest["documents"].items()
        if doc_id not in seen
        and Path(entry["source"]).resolve().parent in dirs
        and not Path(entry["source"]).exists()
    ]
    return build_index(
        documents,
        index_dir,
        embedder_name,
        failed=failed,
        remove=remove,
        today=today,
        chroma_url=chroma_url,
        progress=progress,
        provenance=provenance,
    )
