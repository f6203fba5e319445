"""Web app entry point: `python app.py` (or `make run`) serves http://127.0.0.1:7860/.

Thin on purpose: everything lives in `assistant.web`. The page (and with it the index and the
models) is built once here at import, never per request.
"""

from assistant.web import build_app, launch

demo = build_app()

if __name__ == "__main__":
    launch(demo)
