"""`python -m assistant …` — the same as the `assistant` command (MCP clients launch it so)."""

from assistant.cli import main

main()
