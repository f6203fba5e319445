"""The web app (`python app.py`, `assistant serve`): `server` (FastAPI: the JSON API with the
Gradio page mounted) over `ui` (the Gradio page).

`render` and `backend` are plain Python; `ui` imports gradio, so it loads only when serving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gradio as gr

    from assistant.web.backend import Backend


def build_app(backend: Backend | None = None) -> gr.Blocks:
    from assistant.web.ui import build_app as build

    return build(backend)


def launch(app: gr.Blocks | None = None, **overrides: Any) -> gr.Blocks:
    from assistant.web.ui import launch as start

    return start(app, **overrides)
