"""Web app entry point: `python app.py` (or `make run`) serves http://127.0.0.1:7860/.

Thin on purpose: everything lives in `assistant.web`. The app (the JSON API and the Gradio page,
with the index and the models) is built once here at import, never per request; `uvicorn app:app`
serves the same object.
"""

from assistant.web.server import create_app, serve

app = create_app()

if __name__ == "__main__":
    serve(app)
