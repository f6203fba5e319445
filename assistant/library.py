"""Admin changes to the document set, never silent: add (refused when the id exists), replace
(the previous version kept and restorable), delete (restorable too), restore, mark reviewed.

Uploaded files live in `ASSISTANT_UPLOADS_DIR` (data/uploads/, git-ignored) under their own
name, and the manifest records that final path and the provenance (who, when, sha256,
reviewed). Previous versions sit in `<uploads>/.versions/<doc id>/<stamp>/` with the manifest
entry they had. The operator's corpus folder is never written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, BadDocument, IndexMissing
from assistant.provenance import upload_provenance
from assistant.settings import Settings

VERSIONS = ".versions"


@dataclass(frozen=True)
class Change:
    ok: bool
    message: str
    doc_ids: tuple[str, ...] = ()
    changed: bool = False  # the index has a new generation


def upload_suffixes() -> tuple[str, ...]:
    from assistant.ingest import SUPPORTED_SUFFIXES

    return tuple(SUPPORTED_SUFFIXES)


def max_upload_bytes(settings: Settings) -> int:
    return int(settings.max_file_mb * 1024 * 1024)


class Library:
    """One per process; one change at a time (the index lock covers other processes)."""

    def __init__(self, settings: Settings, today: dt.date) -> None:
        self.settings = settings
        self.today = today
        self.root = settings.uploads_dir
        self._lock = threading.Lock()

    # ------------------------------------------------------------ reading

    def entries(self) -> dict[str, dict[str, Any]]:
        from assistant.index import read_manifest

        manifest = read_manifest(self.settings.index_dir) or {"documents": {}}
        return dict(manifest["documents"])

    def versions(self, doc_id: str) -> list[str]:
        """Kept versions of `doc_id`, newest first (their stamps)."""
        folder = self.root / VERSIONS / doc_id
        if not folder.is_dir():
            return []
        return sorted((p.name for p in folder.iterdir() if (p / "entry.json").exists()), reverse=True)

    # ------------------------------------------------------------ changes

    def add(self, path: str | Path | None, by: str, replace: bool = False) -> Change:
        """Ingest an uploaded file. An existing document id is refused unless `replace`."""
        refusal = self._check_file(path)
        if refusal:
            return Change(False, refusal)
        source = Path(str(path))
        with self._lock:
            return self._put(source, source.name, upload_provenance(by), replace)

    def delete(self, doc_id: str, by: str) -> Change:
        from assistant.build import build_index

        with self._lock:
            entry = self.entries().get(doc_id)
            if entry is None:
                return Change(False, f"索引中没有 {doc_id}。")
            stamp = self._keep(doc_id, entry, by, "deleted")
            try:
                build_index([], self.settings.index_dir, self._embedder(), remove=[doc_id], today=self.today,
                            chroma_url=self.settings.chroma_url)
            except AssistantError as exc:
                self._drop_version(doc_id, stamp)
                return Change(False, f"删除失败，索引未改变：{exc}")
            current = Path(entry["source"])
            if self._is_upload(current):
                current.unlink(missing_ok=True)
            note = "" if self._is_upload(current) else (
                "（语料目录中的原文件未改动；再次运行 `assistant ingest` 会重新收录它。）"
            )
            return Change(True, f"已删除《{entry['meta']['title']}》，可在“历史版本”中恢复。{note}", (doc_id,), True)

    def restore(self, doc_id: str, stamp: str, by: str) -> Change:
        folder = self.root / VERSIONS / doc_id / stamp
        if not stamp or "/" in stamp or not (folder / "entry.json").exists():
            return Change(False, f"{doc_id} 没有版本 {stamp}。")
        kept = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
        files = [p for p in folder.iterdir() if p.name != "entry.json"]
        if not files:
            return Change(False, f"{doc_id} 的版本 {stamp} 缺少文件。")
        provenance = {**kept.get("provenance", {}), "restored_by": by, "restored_at": _now()}
        with self._lock:
            return self._put(files[0], files[0].name, provenance, replace=True)

    def review(self, doc_id: str, by: str) -> Change:
        with self._lock:
            try:
                update_provenance(self.settings.index_dir, doc_id, reviewed=True, reviewed_by=by,
                                  reviewed_at=_now())
            except AssistantError as exc:
                return Change(False, str(exc))
        return Change(True, f"{doc_id} 已标记为已审核。", (doc_id,), True)

    # ------------------------------------------------------------ internals

    def _check_file(self, path: str | Path | None) -> str:
        suffixes = upload_suffixes()
        if not path:
            return f"请先选择一个文件（{' / '.join(suffixes)}）。"
        source = Path(str(path))
        name = source.name
        if name.startswith(".") or not name.strip() or source.stem in (VERSIONS, ""):
            return f"{name}: 文件名无效（invalid file name）"
        if source.suffix.lower() not in suffixes:
            return f"{name}: 不支持的文件类型 {source.suffix or '(无扩展名)'}: supported: {', '.join(suffixes)}"
        size, cap = source.stat().st_size, max_upload_bytes(self.settings)
        if size > cap:
            return (f"{name}: 文件过大（{size / 1024 / 1024:.1f} MB，上限 {cap / 1024 / 1024:g} MB）: "
                    "split or compress it")
        return ""

    def _put(self, source: Path, name: str, provenance: dict[str, Any], replace: bool) -> Change:
        """Place `source` as uploads/<name> and ingest it; on any failure put everything back."""
        from assistant.ingest import doc_id_for, ingest_paths

        doc_id = doc_id_for(Path(name))
        existing = self.entries().get(doc_id)
        if existing and not replace:
            return Change(False, (
                f"{name}: 已有同名文件《{existing['meta']['title']}》（{doc_id}），未导入。"
                "如需替换，请勾选“替换同名文件”；旧版本会保留，可以恢复。"
            ))
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / name
        stamp = self._keep(doc_id, existing, provenance.get("by", ""), "replaced") if existing else None
        previous = target.read_bytes() if target.exists() else None
        partial = self.root / f".{name}.part"
        shutil.copyfile(source, partial)
        partial.replace(target)
        changed = False
        try:
            report = ingest_paths([target], self.settings.index_dir, self._embedder(), today=self.today,
                                  chroma_url=self.settings.chroma_url, provenance={doc_id: provenance})
            error = "\n".join(f"{bad.path.name}: {bad.reason}" for bad in report.failed)
            changed = report.changed
        except AssistantError as exc:
            error = f"{name}: {exc}"
        if error or not changed:
            # Nothing new went in: the files go back to what the live index describes.
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(previous)
            if stamp:
                self._drop_version(doc_id, stamp)
            if error:
                return Change(False, "\n".join(["导入失败，索引未改变：", error]))
            return Change(True, f"{name}: 内容与已收录的文件相同，索引未改变。", (doc_id,))
        old_path = Path(existing["source"]) if existing else None
        if old_path and old_path != target.resolve() and self._is_upload(old_path):
            old_path.unlink(missing_ok=True)  # foo.pdf replaced by foo.txt: one file per id
        verb = "已替换" if existing else "已导入"
        return Change(True, f"{verb} {doc_id}（上传者 {provenance.get('by')}，待审核）。", (doc_id,), True)

    def _keep(self, doc_id: str, entry: dict[str, Any], by: str, why: str) -> str:
        """Copy the current file and its manifest entry aside; the stamp names the version."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        folder = self.root / VERSIONS / doc_id / stamp
        folder.mkdir(parents=True)
        current = Path(entry["source"])
        if current.is_file():
            shutil.copyfile(current, folder / current.name)
        record = {**entry, "kept": {"why": why, "by": by, "at": _now()}}
        (folder / "entry.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        return stamp

    def _drop_version(self, doc_id: str, stamp: str) -> None:
        shutil.rmtree(self.root / VERSIONS / doc_id / stamp, ignore_errors=True)

    def _is_upload(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def _embedder(self) -> str:
        from assistant.index import read_manifest

        manifest = read_manifest(self.settings.index_dir)
        return str(manifest["embedder"]) if manifest else self.settings.embedder


def update_provenance(index_dir: Path, doc_id: str, **fields: Any) -> dict[str, Any]:
    """Change one document's provenance (e.g. reviewed=True) in the live manifest, no rebuild.
    Writing the manifest is what tells running apps to reload."""
    from assistant.build import index_lock, write_json
    from assistant.index import read_manifest

    with index_lock(index_dir):
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise IndexMissing(index_dir)
        entry = manifest["documents"].get(doc_id)
        if entry is None:
            raise BadDocument(doc_id, f"索引中没有这个文件（no document {doc_id}）")
        entry["provenance"] = {**entry.get("provenance", {}), **fields}
        write_json(index_dir / manifest["generation"] / "manifest.json", manifest)
        write_json(index_dir / "manifest.json", manifest)
        return dict(entry["provenance"])


def _now() -> str:
    from assistant.provenance import now

    return now()
