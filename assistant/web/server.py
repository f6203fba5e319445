"""One FastAPI app: the JSON API (`/api/…`), routers other surfaces add, and the Gradio page.

    assistant serve                  # or: python app.py — uvicorn on ASSISTANT_HOST:ASSISTANT_PORT
    uvicorn assistant.web.server:create_app --factory --workers 2 --host 127.0.0.1 --port 7860

The JSON API is the fast path for integrations (no Gradio queue, no event stream); Gradio's
`/ask` stays for gradio_client users. Every route shares the process's one `Backend` (index,
chain and models, loaded once). Workers share nothing but the index on disk (and a Chroma
server, with ASSISTANT_CHROMA_URL), so any number can serve one generation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.errors import AssistantError, BadQuestion

if TYPE_CHECKING:
    from assistant.types import Hit
    from assistant.web.backend import Backend

RouterFactory = Callable[["Backend"], APIRouter]


class AskRequest(BaseModel):
    id: Any = None
    question: str
    history: list[list[str]] = Field(default_factory=list)  # [[question, answer], …]


class RetrieveRequest(BaseModel):
    id: Any = None
    question: str
    k: int = Field(5, ge=1, le=50)


def hit_json(hit: Hit) -> dict[str, Any]:
    chunk = hit.chunk
    return {"doc_id": chunk.doc_id, "article": chunk.article, "score": hit.score, "via": hit.via, "text": chunk.text}


def api_router(backend: Backend) -> APIRouter:
    """`POST /api/ask`, `POST /api/retrieve`, `GET /api/health` (objects as in DESIGN.md).

    Plain `def` handlers: FastAPI runs them in its thread pool, so requests answer side by side
    while each answer's numeric work stays on one BLAS thread."""
    router = APIRouter(prefix="/api")

    @router.post("/ask", response_model=None)
    def ask(request: AskRequest) -> dict[str, Any]:
        answer: dict[str, Any] = backend.ask(request.question, request.history).to_json()
        answer["id"] = request.id
        return answer

    @router.post("/retrieve", response_model=None)
    def retrieve(request: RetrieveRequest) -> dict[str, Any]:
        text = request.question.strip()
        if not text:
            raise BadQuestion("问题是空的（empty question）: type a question about the park policies")
        hits = backend.chain.retriever.retrieve(text, k=request.k)
        return {"id": request.id, "question": text, "hits": [hit_json(h) for h in hits]}

    @router.get("/health", response_model=None)
    def health() -> dict[str, Any]:
        index = backend.index
        return {
            "status": "ok",
            "generation": index.manifest["generation"],
            "documents": len(index.documents),
            "articles": len(index.chunks),
            "embedder": index.embedder_name,
            "vectors": "server" if index.location.server else "embedded",
            "pid": os.getpid(),
        }

    return router


def verify_router(backend: Backend) -> APIRouter:
    """`POST /api/verify`: the citation checker over this process's index."""
    from assistant.web.verify_api import make_router

    return make_router(lambda: backend.index, lambda: backend.today)


def openai_router(backend: Backend) -> APIRouter:
    """`POST /v1/chat/completions`: the same answers for OpenAI-compatible chat clients."""
    from assistant.web.openai_api import chat_completions_router

    return chat_completions_router(backend.ask)


# The HTTP surfaces of the app, each built with the process's Backend and included before
# Gradio is mounted at "/" (so their paths win). Add a surface: `ROUTERS.append(factory)`.
ROUTERS: list[RouterFactory] = [api_router, verify_router, openai_router]
# Gradio's own settings, read from the environment when its queue is made. Besides usage
# analytics (off), its queue keeps each event's timing for the monitoring dashboard (off here:
# enable_monitoring False) and, after every event, rebuilds a pandas summary of the last
# 10,000: ~1.4 ms of ~7 ms of server CPU per /ask answer at the start of a load test, growing
# with every event kept. One record, summarised never.
GRADIO_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "GRADIO_ANALYTICS_MAX_EVENTS": "1",
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(2**62),
}
# Gradio launch options that apply to a mounted app (the rest are uvicorn's or a tunnel's).
_MOUNT_OPTIONS = (
    "max_file_size", "allowed_paths", "blocked_paths", "show_error", "ssr_mode", "mcp_server",
    "pwa", "enable_monitoring", "theme", "css", "head",
)


def create_app(backend: Backend | None = None, routers: Sequence[RouterFactory] | None = None) -> FastAPI:
    """The whole app; also the uvicorn factory (`--factory`) for several workers."""
    for name, value in GRADIO_ENV.items():
        os.environ.setdefault(name, value)
    import gradio as gr

    from assistant.embed import one_blas_thread
    from assistant.settings import get_settings
    from assistant.web.admin import mount_admin
    from assistant.web.backend import Backend
    from assistant.web.guards import check_bind, install
    from assistant.web.ui import build_app, launch_options

    settings = get_settings()
    check_bind(settings)  # beyond loopback only with admin credentials: before anything loads
    one_blas_thread()  # before any request thread: see its docstring
    backend = backend or Backend()
    one_blas_thread()  # again: the warm-up may have loaded more BLAS libraries (scipy's)
    app = FastAPI(title="园区政策助手", docs_url=None, redoc_url=None, openapi_url=None)
    install(app, settings)  # trusted hosts, CORS off, rate limit, no uploads outside /admin

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        # A user mistake is a 400 with its one clear message; anything else about the index
        # (missing, mismatched, busy) means this worker cannot answer now.
        status = 400 if isinstance(exc, BadQuestion) else 503
        return JSONResponse({"error": str(exc)}, status_code=status)

    for factory in ROUTERS if routers is None else routers:
        app.include_router(factory(backend))

    mount_admin(app, settings)  # before "/", which would otherwise take every path
    blocks = build_app(backend)
    blocks.queue(default_concurrency_limit=2)
    options = launch_options(settings)  # never share=True: no tunnel, ever
    return gr.mount_gradio_app(app, blocks, path="/", **{k: options[k] for k in _MOUNT_OPTIONS})


def serve(app: FastAPI | None = None, **overrides: Any) -> None:
    """Run the app with uvicorn on ASSISTANT_HOST:ASSISTANT_PORT (127.0.0.1:7860 by default)."""
    import uvicorn

    from assistant.settings import get_settings

    settings = get_settings()
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_level": "warning"}
    uvicorn.run(app or create_app(), **{**options, **overrides})
