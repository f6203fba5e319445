"""Web app entry point: `python app.py` (or `make run`) serves http://127.0.0.1:7860/."""

from assistant.web import launch

if __name__ == "__main__":
    launch()
