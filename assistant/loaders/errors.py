"""The one exception a parser raises in the child process: the reason, for the user, as is."""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
