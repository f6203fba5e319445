"""`POST /api/verify`: the citation checker as a FastAPI router, for the app's one server.

    app.include_router(assistant.web.verify_api.router)

Body `{"text": "…", "date": "2026-11-24"?}` (text at most 20 000 characters); response the
report object of `assistant verify --json`, plus `text` (the readable report). An unusable
index is a 503 and a bad date a 422, each with one clear `detail` message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from assistant.errors import AssistantError, IndexMismatch, IndexMissing
from assistant.verify import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from assistant.index import Index


class VerifyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="含引用的文字")
    date: dt.date | None = Field(None, description="核对状态的日期（默认今天）")


def current_index() -> Index:
    from assistant.service import load_index
    from assistant.settings import get_settings

    settings = get_settings()
    return load_index(settings.index_dir, settings.embedder, settings.chroma_url)


def current_today() -> dt.date:
    from assistant.settings import get_settings

    return get_settings().today_or_now()


def make_router(
    index: Callable[[], Index] = current_index, today: Callable[[], dt.date] = current_today
) -> APIRouter:
    """A router over the index `index()` returns (the process-wide one by default)."""
    router = APIRouter(tags=["verify"])

    @router.post("/api/verify")
    def verify(request: VerifyRequest) -> dict[str, Any]:
        """Check every citation in the text: document, unit, quote, status on the date."""
        from assistant.verify import verify_text

        try:
            report = verify_text(request.text, index(), request.date or today())
        except (IndexMissing, IndexMismatch) as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        except AssistantError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return {**report.to_json(), "text": report.render()}

    return router


router = make_router()
