"""Web app entry point: `python app.py` (or `make run`) serves http://127.0.0.1:7860/.

Thin on purpose: everything lives in `assistant.web`. The page (and with it the index and the
models) is built once here at import, never per request — after the bind check, so an unsafe
address is refused before anything loads.
"""

import sys

from assistant.errors import AssistantError
from assistant.settings import get_settings
from assistant.web import build_app, launch
from assistant.web.guards import check_bind

try:
    check_bind(get_settings())
except AssistantError as exc:
    sys.exit(str(exc))

demo = build_app()

if __name__ == "__main__":
    launch(demo)
