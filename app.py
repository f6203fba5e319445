"""Web app entry point: `python app.py` (or `make run`) serves http://127.0.0.1:7860/.

Thin on purpose: everything lives in `assistant.web`. The app (the JSON API, the Gradio page,
the admin page, behind the guards — with the index and the models) is built once here at
import, never per request, after the bind check, so an unsafe address is refused before
anything loads; `uvicorn app:app` serves the same object.
"""

import sys

from assistant.errors import AssistantError
from assistant.web.server import create_app, serve

try:
    app = create_app()
except AssistantError as exc:
    sys.exit(str(exc))

if __name__ == "__main__":
    serve(app)
