"""The command line: parse options, call the core, print the report, map it to an exit code.

Each command imports the part of gen it calls when it runs, so `gen --help` and `gen check`
load no more than they use.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gen._version import __version__
from gen.click_chinese import Choice, FilePath, FloatRange, Group, IntRange, speak_chinese
from gen.console import echo_utf8, stdout_finished, tolerant_streams
from gen.delivery import PDF_TIMEOUT_SECONDS
from gen.errors import Finding, GenError, access_refused, shown, typed
from gen.vocabulary import FORMS, YEARS

if TYPE_CHECKING:
    from gen.delivery.deliver import Delivery
    from gen.report import Report

FILE = "文件"  # the metavars of options that take a file, a folder
FOLDER = "文件夹"


class Written(FilePath):
    """A file or folder gen writes: a name Windows cannot hold (files.windows_refuses) is a usage
    error, said as the command line is read, before anything is read or written. Folders that
    are there already are the user's, and taken as they are."""

    def __init__(self, folder: bool = False, **path: bool) -> None:
        super().__init__(path_type=Path, **path)
        self.folder = folder  # the path names a folder (else a file)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The path, if Windows can hold each of its names."""
        from gen.files import new_names, windows_name_problem

        path = super().convert(value, param, ctx)
        assert isinstance(path, Path)  # path_type
        problem = windows_name_problem(path, self.folder, new_names(path, self.folder))
        if problem is not None:
            self.fail(problem, param, ctx)
        return path


class FileOf(Written):
    """A file whose type its suffix fixes (output.FILE_TYPES): a wrong one is a usage error too."""

    def __init__(self, what: str) -> None:
        super().__init__(dir_okay=False)
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The path, if it names a file of the type."""
        from gen.output import WrongSuffix, check_suffix

        path = super().convert(value, param, ctx)
        try:
            check_suffix(path, self.what)
        except WrongSuffix as exc:
            self.fail(exc.message, param, ctx)
        return path


def output_option(
    name: str, help: str, default: str | None = None, kind: Written | None = None, **path: bool
) -> Any:
    """The -o/--output option of a command, stored as `name`; required when it has no default.
    Without `kind`, it names a folder."""
    given: dict[str, Any] = {"default": default, "show_default": True} if default else {}
    kind = kind or Written(folder=True, **path)
    return click.option(
        "-o",
        "--output",
        name,
        type=kind,
        required=default is None,
        metavar=FOLDER if kind.dir_okay else FILE,
        help=help,
        **given,
    )


DEFAULT_SOURCE = click.core.ParameterSource.DEFAULT
PATHS = click.argument("paths", nargs=-1, type=FilePath(path_type=Path), metavar="[路径]...")
STRICT = click.option("--strict", is_flag=True, help="警告也算失败（报送前用）。")
OUTPUT_DIR = output_option("out_dir", "输出文件夹（结构与所给的文件夹相同）。", "output")
TEMPLATES = click.option(
    "--templates",
    type=FilePath(path_type=Path),
    metavar=FOLDER,
    help="模板文件夹（默认 ./templates）。",
)
PDF = click.option("--pdf", is_flag=True, help="同时用 LibreOffice 在每个 .docx 旁生成 PDF。")
PDF_TIMEOUT = click.option(
    "--pdf-timeout",
    type=FloatRange(min=1),
    default=PDF_TIMEOUT_SECONDS,
    show_default=True,
    metavar="秒数",
    help="LibreOffice 这么久没有转换完下一个文件就停止它。",
)
SUMMARY_FILE = FileOf("汇总表")
BOOK = click.option(
    "--book",
    type=FileOf("合订本"),
    metavar=FILE,
    help="把生成的全部表格按路径顺序合订为一个 .docx（每张表另起一页）；与 --pdf 同用时也生成 PDF。",
)
SUMMARY = click.option(
    "--summary",
    "summary",
    type=SUMMARY_FILE,
    metavar=FILE,
    help="同时写出 Excel 汇总表（.xlsx）：每个项目一行，按实施单位小计，另有合计。",
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="不显示进度条和结尾的统计行。")
JOBS = click.option(
    "-j",
    "--jobs",
    type=IntRange(min=1),
    metavar="进程数",
    help="同时生成的进程数，也是 --pdf 同时运行的 LibreOffice 数（默认：全部 CPU 核）。",
)
FORCE = click.option("--force", is_flag=True, help="重新生成全部表格，即使项目没有改动。")
CLEAN = click.option("--clean", is_flag=True, help="删除项目文件已不存在的旧表格和它们的 PDF。")


INTERRUPTED = "已中断：已写完的文件完好，没写完的没有留下"
PIPE_CLOSED = (
    141  # as a shell reports a program that wrote into a pipe no one reads (128 + SIGPIPE)
)


class _Gen(Group):
    """The command group: click speaks Chinese, the console never fails on a character, and a
    GenError from any command is printed once, as its message and exit code; Ctrl-C says what
    it left behind."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line."""
        speak_chinese()
        tolerant_streams()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GenError as exc:
            click.echo(f"错误：{exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: click would print "Aborted!"
            click.echo(INTERRUPTED, err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader of a pipe stopped reading: nothing more to say
            stdout_finished()
            ctx.exit(PIPE_CLOSED)
        except OSError as exc:  # a path the system refuses before a command could name it
            click.echo(f"错误：{access_refused(exc)}", err=True)
            ctx.exit(1)


@click.group(cls=_Gen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="gen", message="%(prog)s 版本 %(version)s", help="显示版本号并退出。"
)
def main() -> None:
    """把 YAML 项目文件生成为财政项目支出绩效目标表（.docx）。"""


def run() -> None:
    """The `gen` program and `python -m gen`: the command line, then a quick exit.

    Before it exits, Python collects every object still alive, the modules of click, jinja2,
    lxml and docxtpl among them: about 0.1 s after a build, longer than the build takes to
    check 50 projects. Frozen (gc.freeze), they are left to the system, which takes all of
    the process's memory back anyway; atexit handlers, streams and files finish as always.
    """
    try:
        main()
    finally:
        stdout_finished()  # printed before Python exits, while a closed pipe can still be quiet
        gc.freeze()


@main.command("build")
@PATHS
@OUTPUT_DIR
@TEMPLATES
@STRICT
@PDF
@PDF_TIMEOUT
@BOOK
@SUMMARY
@QUIET
@JOBS
@FORCE
@CLEAN
def build_command(paths: tuple[Path, ...], quiet: bool, **given: Any) -> None:
    """检查并生成所给路径（默认 projects/）下每个项目的表格。"""
    from dataclasses import fields

    from gen.build import BuildOptions, build
    from gen.delivery.deliver import deliver
    from gen.progress import ProgressBar

    started = time.monotonic()
    # every field of BuildOptions is an option of the command; the others are the delivery's
    options = BuildOptions(**{field.name: given.pop(field.name) for field in fields(BuildOptions)})
    with ProgressBar(sys.stderr, "生成", quiet=quiet) as bar:
        report = build(
            paths, options, lambda r, done, total: bar.update(done, total, shown(r.path))
        )
    with ProgressBar(sys.stderr, "转换 PDF", quiet=quiet) as bar:
        delivery = deliver(report, pdf_progress=bar.update, pdf_jobs=options.jobs, **given)
    _print_report(report)
    _print_delivery(delivery, pdf=given["pdf"], quiet=quiet)
    if not quiet:
        click.echo(
            "\n".join([*report.notes, report.closing_line(time.monotonic() - started)]), err=True
        )
    sys.exit(max(report.exit_code, delivery.exit_code))


@main.command("check")
@PATHS
@STRICT
@click.option(
    "--format",
    "fmt",
    type=Choice(["text", "json", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="输出格式：text 给人看，json 给编辑器和工具，github 为 GitHub Actions 的标注，"
    "gitlab 为 GitLab 代码质量报告（JSON）。",
)
def check_command(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """只检查，不生成：报告审核时会被退回的问题。"""
    from gen.build import check

    report = check(paths, strict=strict)
    if fmt == "json":
        import json

        echo_utf8(
            json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2) + "\n"
        )
    elif fmt in ("github", "gitlab"):
        from gen.review.ci import ci_report

        echo_utf8(ci_report(fmt, report.findings))
        click.echo(report.closing_line(), err=True)
    else:
        _print_report(report)
        click.echo(report.closing_line(), err=True)
    sys.exit(report.exit_code)


@main.command("diff")
@click.argument("arguments", nargs=-1, metavar="[旧版本] [新版本] [路径]...")
@click.option(
    "--format",
    "fmt",
    type=Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 给人看，json 给工具。",
)
@click.option(
    "--docx",
    "redline",
    type=FileOf("修订稿"),
    metavar=FILE,
    help="同时写出修订稿（.docx）：改动过的项目的表格，改动处是 Word 的修订标记。",
)
@TEMPLATES
def diff_command(
    arguments: tuple[str, ...], fmt: str, redline: Path | None, templates: Path | None
) -> None:
    """比较两个版本的项目，用表格的说法列出改动；可另写 Word 修订稿。

    旧版本、新版本是 git 版本（提交、标签、分支；默认 HEAD 与工作区）或两个文件夹；
    路径限定比较的项目（默认 projects/）。
    """
    from gen.review.diff import diff

    result = diff(arguments, redline=redline, templates=templates)
    if fmt == "json":
        echo_utf8(result.listing(fmt) + "\n")
    else:
        click.echo(result.listing(fmt))
    for note in result.notes():
        click.echo(note, err=True)
    sys.exit(result.exit_code)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=FilePath(path_type=Path), metavar="路径...")
@output_option("out_dir", "YAML 写到这个文件夹（按原文件夹结构）。", "projects")
@click.option("--force", is_flag=True, help="覆盖已有的同名 YAML 文件。")
@click.option("--defaults", is_flag=True, help="同一文件夹各表相同的内容写入其 _defaults.yaml。")
def import_command(paths: tuple[Path, ...], out_dir: Path, force: bool, defaults: bool) -> None:
    """把已有的 Word 表格（.docx/.doc/.wps）读成项目 YAML 文件，并检查导入的内容。"""
    from gen.importing.importer import import_forms

    given = click.get_current_context().get_parameter_source("out_dir") is not DEFAULT_SOURCE
    report = import_forms(paths, out_dir, force=force, defaults=defaults, out_given=given)
    click.echo("\n".join([*report.written_lines(), *map(str, report.findings)]) or None)
    click.echo(report.closing_line(), err=True)
    sys.exit(report.exit_code)


@main.command("template")
@click.argument("source", type=FilePath(path_type=Path, dir_okay=False), metavar="表格文件")
@output_option("out_dir", "模板写到这个文件夹。", "templates", file_okay=False)
@click.option("--force", is_flag=True, help="覆盖已有的同名模板。")
def template_command(source: Path, out_dir: Path, force: bool) -> None:
    """用本单位自己的一份填好的表格（.docx/.doc/.wps）做模板：版式照原样，格子里的内容换成占位符。"""
    from gen.importing.template import make_template, next_step

    made = make_template(source, out_dir, force=force)
    if made.note:
        click.echo(made.note)
    boxes = f"，{made.boxes} 个勾选框按{'、'.join(made.box_keys)}勾选" if made.boxes else ""
    click.echo(f"已写入 {shown(made.path)}（{made.form}模板{boxes}）", err=True)
    click.echo(next_step(source, out_dir), err=True)


@main.command("summary")
@PATHS
@output_option("out_file", "汇总表文件（.xlsx）。", "output/汇总表.xlsx", SUMMARY_FILE)
@STRICT
def summary_command(paths: tuple[Path, ...], out_file: Path, strict: bool) -> None:
    """不生成表格，只把各项目的金额汇总为 Excel 汇总表（有错误的项目不列入）。"""
    from gen.build import check
    from gen.delivery.deliver import deliver

    report = check(paths, strict=strict)
    delivery = deliver(report, summary=out_file)
    _print_report(report)
    _print_delivery(delivery, pdf=False, quiet=False)
    click.echo(report.closing_line(), err=True)
    sys.exit(max(report.exit_code, delivery.exit_code))


@main.command("new")
@click.argument("path", type=FilePath(path_type=Path, dir_okay=False), metavar=FILE)
@click.option(
    "--表样",
    "--form",
    "form",
    type=Choice(FORMS),
    help="默认取 _defaults.yaml 的表样，否则为绩效目标表。",
)
def new_command(path: Path, form: str | None) -> None:
    """新建项目文件：各项带说明，待填处写着“（请填写…）”；不覆盖已有文件。"""
    from gen.authoring.new import create_project, placeholder_count

    problems: list[Finding] = []
    text = create_project(path, form, problems)
    for problem in problems:
        click.echo(str(problem))
    count = placeholder_count(text)
    click.echo(
        f"已创建 {shown(path)}：请把其中 {count} 行的“（请填写…）”换成实际内容，"
        f"然后运行 gen check {typed(path)}",
        err=True,
    )


@main.command("rollover")
@click.argument("from_dir", type=FilePath(path_type=Path, file_okay=False), metavar=FOLDER)
@click.option(
    "--to",
    "to_year",
    type=IntRange(*YEARS),
    required=True,
    metavar="年份",
    help="新的年度，例如 2027。",
)
@output_option("to_dir", "新年度项目的文件夹。", file_okay=False)
@click.option("--clear-amounts", is_flag=True, help="把非零金额换成“（请填写…）”，逐项重新填写。")
@click.option(
    "--force", is_flag=True, help="覆盖输出文件夹里已有的同名文件；别的文件不删除，逐个列出。"
)
def rollover_command(
    from_dir: Path, to_year: int, to_dir: Path, clear_amounts: bool, force: bool
) -> None:
    """把文件夹里的项目和 _defaults.yaml 结转到新年度：改年度和计划日期，列出提到旧年份的文字。"""
    from gen.authoring.rollover import rollover

    result = rollover(from_dir, to_year, to_dir, clear_amounts=clear_amounts, force=force)
    for finding in result.findings:
        click.echo(str(finding))
    click.echo(result.closing_line(to_dir, to_year), err=True)
    sys.exit(result.exit_code)


@main.command("schema")
@click.option(
    "-o",
    "--output",
    "out_file",
    type=Written(dir_okay=False),
    metavar=FILE,
    help="写入这个文件（默认打印出来）。",
)
def schema_command(out_file: Path | None) -> None:
    """输出项目文件的 JSON Schema，供 VS Code 等编辑器补全和即时检查。"""
    from gen.authoring.json_schema import schema_text, write_schema

    if out_file is None:
        echo_utf8(schema_text())
    else:
        write_schema(out_file)
        click.echo(f"已写入 {shown(out_file)}", err=True)


@main.command("watch")
@PATHS
@OUTPUT_DIR
@TEMPLATES
@STRICT
@CLEAN
def watch_command(paths: tuple[Path, ...], **given: Any) -> None:
    """保存即生成：项目文件、上级 _defaults.yaml 或模板改动后重新检查并生成（Ctrl-C 退出）。"""
    from gen.build import BuildOptions
    from gen.watch import watch

    def report(result: Report) -> None:
        _print_report(result)
        for note in result.notes:
            click.echo(note, err=True)
        click.echo(f"[{time.strftime('%H:%M:%S')}] {result.closing_line()}", err=True)

    def problem(message: str) -> None:
        click.echo(f"错误：{message}", err=True)

    def ready() -> None:
        click.echo("正在监视改动…（按 Ctrl-C 退出）", err=True)

    watch(paths, BuildOptions(**given), on_report=report, on_error=problem, on_ready=ready)


def _print_report(report: Report) -> None:
    """One line per finding, errors and warnings in file order; then the run's own problems."""
    for finding in report.findings:
        click.echo(str(finding))
    for problem in report.problem_lines():
        click.echo(f"错误：{problem}", err=True)


def _print_delivery(delivery: Delivery, pdf: bool, quiet: bool) -> None:
    """PDFs that failed (like findings), whole-run problems, rows of the 汇总表 that print cut,
    then what was made."""
    for finding in delivery.findings:
        click.echo(str(finding))
    for problem in delivery.problems:
        click.echo(f"错误：{problem}", err=True)
    for warning in delivery.warnings:
        click.echo(warning, err=True)
    for note in [] if quiet else delivery.notes(pdf):
        click.echo(note, err=True)
