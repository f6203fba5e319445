"""Where each indexed document came from: seed (the operator's corpus folder) or upload (an
admin on the web page), who, when, whether reviewed. The manifest keeps it per document beside
its sha256 and final path; answers citing an unreviewed upload say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

SEED = "seed"
UPLOAD = "upload"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def seed_provenance() -> dict[str, Any]:
    """A document put in by whoever runs `assistant ingest` from a folder they control, so it
    counts as reviewed."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        user = "unknown"
    return {"origin": SEED, "by": user, "at": now(), "reviewed": True}


def upload_provenance(by: str) -> dict[str, Any]:
    return {"origin": UPLOAD, "by": by, "at": now(), "reviewed": False}


def unreviewed_uploads(manifest: Mapping[str, Any], doc_ids: Iterable[str]) -> list[str]:
    """The doc ids among `doc_ids` that were uploaded and not yet marked reviewed."""
    entries = manifest.get("documents", {})
    found = []
    for doc_id in dict.fromkeys(doc_ids):
        record = entries.get(doc_id, {}).get("provenance") or {}
        if record.get("origin") == UPLOAD and not record.get("reviewed"):
            found.append(doc_id)
    return found


def unreviewed_warning(titles: Iterable[str]) -> str:
    names = "、".join(f"《{t}》" for t in titles)
    return f"⚠ 引用的{names}是管理员上传、尚未审核的文件，内容以正式发布的原文为准。"
