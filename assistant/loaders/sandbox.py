"""Parse one file in a child process with a time limit and a memory limit.

A decompression bomb, a parser stuck in a loop or a crash in C code then costs that one
file: the parent sees a timeout, a memory error or a dead child, and reports a reason.
The child is a fresh interpreter (`python -m assistant.loaders.sandbox`), not a fork, so it
inherits no threads or open indexes from the ingest, and sets its own `RLIMIT_AS` and
`RLIMIT_CPU` before it imports any parser.

Protocol: argv = kind, path, limits as JSON; stdout = one JSON object, either
{"text": …} / {"pages": […]} or {"error": reason}.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.loaders.errors import Refusal

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Defaults come from settings (ASSISTANT_MAX_FILE_MB …)."""

    max_bytes: int = 20 * 1024 * 1024  # on disk
    max_pages: int = 500  # PDF pages
    timeout_s: float = 60.0  # wall clock for parsing one file
    memory_bytes: int = 1024 * 1024 * 1024  # address space of the parsing child
    max_unzipped_bytes: int = 200 * 1024 * 1024  # a .docx package, unpacked

    @classmethod
    def from_settings(cls) -> Limits:
        from assistant.settings import get_settings

        s = get_settings()
        return cls(
            max_bytes=int(s.max_file_mb * 1024 * 1024),
            max_pages=s.max_pages,
            timeout_s=s.parse_timeout_s,
            memory_bytes=int(s.parse_memory_mb * 1024 * 1024),
        )


def run_parser(kind: str, path: Path, limits: Limits) -> dict[str, Any]:
    """The child's answer for `path`; a Refusal with the reason when it failed or overran."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH")) if p)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    command = [
        sys.executable, "-X", "utf8", "-m", "assistant.loaders.sandbox",
        kind, str(path), json.dumps(asdict(limits)),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=limits.timeout_s, env=env, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:  # run() has killed the child already
        raise Refusal(
            f"解析超时（超过 {limits.timeout_s:g} 秒）: the file may be damaged or built to hang "
            "the parser; re-export it, or raise ASSISTANT_PARSE_TIMEOUT_S"
        ) from None
    try:
        answer: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refusal(_death_reason(done.returncode, limits)) from None
    if "error" in answer:
        raise Refusal(str(answer["error"]))
    return answer


def _death_reason(returncode: int, limits: Limits) -> str:
    if returncode == -signal.SIGXCPU:
        return f"解析超时（超过 {limits.timeout_s:g} 秒 CPU）: the file may be damaged or built to hang the parser"
    if returncode == -signal.SIGKILL:
        return "解析进程被系统终止（可能内存不足）: the file may be too large or hostile; re-export it"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"解析器崩溃（{name}）: the file is damaged; re-export it"
    return f"解析失败（子进程退出码 {returncode}）: the file is damaged or too large; re-export it"


def _limit_self(limits: Limits) -> None:
    import resource

    memory = int(limits.memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.timeout_s) + 1
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or cpu < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _parse(kind: str, path: Path, limits: Limits) -> dict[str, Any]:
    if kind == "pdf":
        from assistant.loaders.pdf import read_pdf_pages

        return {"pages": read_pdf_pages(path, limits.max_pages)}
    if kind == "docx":
        from assistant.loaders.word import read_docx

        return {"text": read_docx(path, limits.max_unzipped_bytes)}
    raise Refusal(f"unknown parser kind {kind!r}")


def _out_of_memory(exc: BaseException | None) -> bool:
    """MemoryError, or an import or C-extension error raised while memory ran out."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _memory_reason(limits: Limits) -> str:
    return (
        f"解析所需内存超过上限（{limits.memory_bytes // 1024 // 1024} MB，可能是压缩炸弹）: "
        "re-export the file, or raise ASSISTANT_PARSE_MEMORY_MB"
    )


def main(argv: list[str]) -> int:
    kind, path, raw_limits = argv
    limits = Limits(**json.loads(raw_limits))
    try:
        _limit_self(limits)
        answer = _parse(kind, Path(path), limits)
    except Refusal as exc:
        answer = {"error": exc.reason}
    except RecursionError:
        answer = {"error": "文件结构嵌套过深，无法解析（damaged or hostile file）: re-export it"}
    except Exception as exc:  # any other parser failure is a damaged file, never a traceback
        answer = {"error": _memory_reason(limits) if _out_of_memory(exc) else
                  f"文件已损坏，无法解析（{type(exc).__name__}）: re-export it"}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
