"""The command line: parse options, call the core, print the report, map it to an exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gen import __version__
from gen.errors import GenError

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
STRICT = click.option("--strict", is_flag=True, help="警告也算失败（提交前用）。")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gen")
def main() -> None:
    """把 YAML 项目文件生成为财政项目支出绩效目标表（.docx）。"""


@main.command("build")
@PATHS
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default="output",
    show_default=True,
    help="输出文件夹（按项目文件夹结构生成）。",
)
@click.option(
    "--templates", type=click.Path(path_type=Path), help="模板文件夹（默认 ./templates）。"
)
@STRICT
def build_command(
    paths: tuple[Path, ...], out_dir: Path, templates: Path | None, strict: bool
) -> None:
    """检查并生成 PATH（默认 projects/）下每个项目的表格。"""
    from gen.build import build

    report = _run(lambda: build(paths, out_dir=out_dir, templates=templates, strict=strict))
    _print_findings(report)
    click.echo(_summary(report, built=True), err=True)
    sys.exit(report.exit_code)


@main.command("check")
@PATHS
@STRICT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 给人看，json 给编辑器和 CI。",
)
def check_command(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """只检查，不生成：报告审核时会被退回的问题。"""
    from gen.build import check

    report = _run(lambda: check(paths, strict=strict))
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(report)
        click.echo(_summary(report, built=False), err=True)
    sys.exit(report.exit_code)


def _run(action):  # type: ignore[no-untyped-def]
    """Run the core; a GenError becomes its message on stderr and its exit code."""
    try:
        return action()
    except GenError as exc:
        click.echo(f"错误：{exc.message}", err=True)
        sys.exit(exc.exit_code)


def _print_findings(report) -> None:  # type: ignore[no-untyped-def]
    """One line per finding, errors and warnings in file order."""
    for finding in report.findings:
        click.echo(str(finding))


def _summary(report, built: bool) -> str:  # type: ignore[no-untyped-def]
    """The closing line: how many were built (or checked), failed and warned."""
    total, failed, warned = len(report.results), len(report.failed), len(report.warned)
    head = f"已生成 {len(report.built)} 个" if built else f"已检查 {total} 个项目"
    line = f"{head}，失败 {failed} 个，有警告 {warned} 个"
    if report.removed:
        line += f"；已删除 {len(report.removed)} 个失败项目的旧表格"
    return line
