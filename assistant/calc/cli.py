"""`assistant calc` and `assistant check`: the calculator from the shell.

    assistant calc --list
    assistant calc liuzhou.economic_contribution --revenue 6亿
    assistant calc liaocheng.application --core-area 3800平方米 --institutions 16家 --json
    assistant calc liuzhou.investment_team --tax 250万 --tax 180万
    assistant calc liaocheng.publicity --start 2026-03-06
    assistant calc deadline --start 2026-03-02 --period 45日
    assistant calc liaocheng.publicity --start 2024-11-13 --include-start --weekends-only
    assistant check --profile profile.yaml [--json]

The main CLI registers `calc_command` and `check_command`. A user mistake is one line
(click.ClickException), never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from assistant.errors import CalcError

_SPECIAL = ("start", "period", "today", "count", "already_awarded", "previous_revenue", "title",
            "include_start", "weekends_only")
_SWITCHES = ("include_start", "weekends_only")  # flags without a value


def _flags(args: list[str]) -> dict[str, Any]:
    """`--core-area 4500平方米 --tax 250万 --tax 180万 --x=y` → {core_area: …, tax: [..], x: y}."""
    from assistant.calc.tools import PROFILE_ALIASES

    out: dict[str, Any] = {}
    i = 0
    while i < len(args):
        token = args[i]
        if not token.startswith("--") or len(token) == 2:
            raise click.ClickException(f"多余的参数 {token}（unexpected argument '{token}'; use --field value）")
        name, eq, value = token[2:].partition("=")
        if not eq and name.replace("-", "_") in _SWITCHES:
            out[name.replace("-", "_")] = True
            i += 1
            continue
        if not eq:
            if i + 1 >= len(args) or args[i + 1].startswith("--"):
                raise click.ClickException(f"{token} 缺少取值（{token} needs a value）")
            value = args[i + 1]
            i += 1
        i += 1
        key = PROFILE_ALIASES.get(name, name).replace("-", "_").lower()
        if key in out:
            out[key] = [*out[key], value] if isinstance(out[key], list) else [out[key], value]
        else:
            out[key] = value
    return out


def _echo(result: Any, as_json: bool, title: str | None = None) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.render(title) if title else result.render())


def _list(as_json: bool) -> None:
    from assistant.calc.rules import load_rules

    rules = load_rules()
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rules], ensure_ascii=False, indent=2))
        return
    for r in rules:
        flags = " ".join(f"--{n.replace('_', '-')}" for n in r.inputs)
        click.echo(f"{r.id}  [{r.kind}]  《{r.title}》{r.article} {r.label}\n    {flags}")


def _run_calc(rule_id: str, flags: dict[str, Any]) -> Any:
    from assistant.calc.dates import compute_deadline
    from assistant.calc.engine import evaluate
    from assistant.calc.rule_inputs import INPUTS
    from assistant.calc.rules import load_rules
    from assistant.calc.tools import normalize_profile

    title = flags.pop("title", None)
    counting = {k: _truthy(flags.pop(k)) for k in _SWITCHES if k in flags}
    if rule_id == "deadline":
        return compute_deadline(None, flags.get("start"), period=flags.get("period"),
                                today=flags.get("today"), title=title, **counting)
    rule = load_rules().get(rule_id)
    unknown = [k for k in flags if k not in INPUTS and k not in _SPECIAL]
    if unknown:
        raise CalcError(f"规则 {rule_id} 不认识 --{unknown[0].replace('_', '-')}"
                        f"（unknown option; this rule reads: {', '.join('--' + n.replace('_', '-') for n in rule.inputs)}）")
    inputs = dict(flags)
    if rule.start and "start" in inputs:
        inputs[rule.start.name] = inputs.pop("start")
    if rule.count_input and "count" in inputs:
        inputs[rule.count_input.name] = inputs.pop("count")
    if rule.kind == "thresholds":
        profile = {k: v for k, v in inputs.items() if k in INPUTS}
        inputs, _ = normalize_profile(profile)
    return evaluate(rule, inputs, today=flags.get("today"), title=title, **counting)


def _truthy(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "是", "y")


@click.command(
    "calc",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    help="用规则计算：assistant calc RULE_ID --field value …；assistant calc --list 列出规则。",
)
@click.argument("rule_id", required=False)
@click.option("--list", "list_rules", is_flag=True, help="列出所有规则及其输入项。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
def calc_command(ctx: click.Context, rule_id: str | None, list_rules: bool, as_json: bool) -> None:
    try:
        if list_rules:
            _list(as_json)
            return
        if not rule_id:
            raise click.ClickException("请给出规则 id，或用 --list 查看（give a RULE_ID, or --list）")
        flags = _flags(list(ctx.args))
        title = flags.get("title")
        _echo(_run_calc(rule_id, flags), as_json, title)
    except CalcError as exc:
        raise click.ClickException(str(exc)) from exc


def _check_csv(path: str, today: str | None, as_json: bool) -> None:
    """Every row checked; a bad row is reported (exit 1) and the other rows still computed."""
    from assistant.calc.batch import check_rows, read_csv

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise click.ClickException(f"无法读取 CSV {path}：{exc.strerror}（cannot read {path}）") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"CSV {path} 不是 UTF-8 文本（not UTF-8）: save it as CSV UTF-8 and retry") from exc
    try:
        report = check_rows(read_csv(text), today=today)
    except CalcError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(report.to_csv(), nl=False)
    for row in report.failed:
        click.echo(f"  ✗ 第{row.row}行（{row.name}）: {row.error}", err=True)
    if report.failed:
        sys.exit(1)


def _read_profile(path: str) -> dict[str, Any]:
    import yaml

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise click.ClickException(f"无法读取档案 {path}：{exc.strerror}（cannot read profile {path}）") from exc
    try:
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise click.ClickException(f"档案格式有误 {path}：{first}（profile is not valid YAML/JSON）") from exc
    if not isinstance(data, dict):
        raise click.ClickException(f"档案 {path} 应为“字段: 值”的映射（a profile is a mapping of field: value）")
    return data


@click.command(
    "check",
    help="按档案核对所有相关条款：assistant check --profile FILE（YAML/JSON），"
    "或整园批量：assistant check --csv rows.csv（每行一家企业或园区）。",
)
@click.option("--profile", "profile_path", default=None, help="档案文件（YAML 或 JSON；- 表示标准输入）。")
@click.option("--csv", "csv_path", default=None, help="批量核对：CSV 文件（首行为列名；- 表示标准输入），输出 CSV。")
@click.option("--today", default=None, help="今天的日期（周期性评估求下一次时用）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def check_command(profile_path: str | None, csv_path: str | None, today: str | None, as_json: bool) -> None:
    from assistant.calc.tools import self_check_report

    if (profile_path is None) == (csv_path is None):
        raise click.UsageError("give one of --profile FILE or --csv FILE")
    if csv_path is not None:
        _check_csv(csv_path, today, as_json)
        return
    profile = _read_profile(profile_path or "-")
    try:
        report = self_check_report(profile, today=today)
    except CalcError as exc:
        raise click.ClickException(str(exc)) from exc
    _echo(report, as_json)
