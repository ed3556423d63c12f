"""A new project file: every key of the format in order, a note on each, placeholders to fill in."""

from __future__ import annotations

import errno
from dataclasses import replace
from pathlib import Path
from typing import Any

from gen import output
from gen.authoring.fields import help_for, indicator_help, placeholder
from gen.errors import AlreadyThere, Finding, UsageError, disk_reason, shown
from gen.files import refused_name
from gen.load import YAML_SUFFIXES, Loader, is_project_file
from gen.schema import FORMAT_DEFAULTS, PLACEHOLDER, project_schema
from gen.vocabulary import (
    AMOUNT_UNITS,
    FORMAT,
    FORMS,
    FRAMEWORK,
    FUND_BLOCKS,
    FUND_TOTALS,
    INDICATORS,
    OTHERS,
    REQUIRED_FUNDS,
    REQUIRED_LEVEL1,
    TARGET_FORM,
)

OPTIONAL_KEYS = ("项目期间",)  # written commented out: the default usually fits
_BAD_NAME = (errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ)  # the name itself is refused
UNREAD_DEFAULTS = (
    "（gen new 读不出这个文件设置了哪些项，新文件里每一项都写上了；"
    "改好它以后，请删去新文件里由它设置的项）"
)


def create_project(
    path: Path, form: str | None = None, problems: list[Finding] | None = None
) -> str:
    """Write a new project file at `path` (never over an existing one); return its text.

    A _defaults.yaml above it that gen check reports errors in is warned of in `problems`.
    """
    _check_target(path)
    text = project_text(path, form, problems)
    try:
        output.write_new(path, text.encode("utf-8"))
    except output.WriteFailed as exc:
        if exc.exists:
            raise _exists(path) from None
        if exc.error.errno in _BAD_NAME:
            raise _bad_name(path, exc.error) from None
        raise
    return text


def _check_target(path: Path) -> None:
    """A project file name that gen will pick up, and no file there yet."""
    if path.suffix.lower() not in YAML_SUFFIXES or path.name.startswith(("_", ".")):
        raise UsageError(f"{shown(path)} 不能作为项目文件名；请以 .yaml 结尾，且不要以“_”或“.”开头")
    refused = refused_name(path)
    if refused is not None:
        raise UsageError(
            f"{shown(path)} 不能作为项目文件名：{refused[1]}，在 Windows 上不能用；请换一个名字"
        )
    try:
        taken = path.exists()
    except OSError as exc:  # a name the file system refuses, e.g. too long
        raise _bad_name(path, exc) from exc
    if taken:
        raise _exists(path)
    twin = _same_form(path)
    if twin is not None:
        raise UsageError(_twin_message(path, twin))
    folders = _folder_twin(path)
    if folders is not None:
        new, there = folders
        raise UsageError(
            f"无法新建 {shown(path)}：文件夹 {shown(new)} 与已有的 {shown(there)} 只差字母大小写，"
            f"在 Windows 和 macOS 上是同一个文件夹；请写成 {shown(there / path.relative_to(new))}"
        )
    blocker = output.blocking_file(path.parent)
    if blocker is not None:
        raise UsageError(
            f"无法新建 {shown(path)}：{output.not_a_folder(blocker)}；请换一个位置，或把它移走"
        )


def _same_form(path: Path) -> Path | None:
    """A project file beside `path` that Windows and macOS take for it (a.yaml for A.yaml), or
    that builds the same form (a.yml for a.yaml)."""
    try:
        entries = list(path.parent.iterdir()) if path.parent.is_dir() else []
    except OSError:  # an unreadable folder: writing there says why
        return None
    stem = path.stem.casefold()
    return next(
        (e for e in sorted(entries) if is_project_file(e) and e.stem.casefold() == stem), None
    )


def _folder_twin(path: Path) -> tuple[Path, Path] | None:
    """The folder of `path` to be made that differs from one beside it only in letter case
    (office for Office: one folder on Windows and macOS), and that one; None when there is none.

    Only the highest folder to be made is looked at: the ones below it have nothing beside them.
    """
    new = path.parent
    if new.exists():
        return None
    while new.parent != new and not new.parent.exists():
        new = new.parent
    try:
        beside = sorted(new.parent.iterdir())
    except OSError:  # an unreadable folder: writing there says why
        return None
    name = new.name.casefold()
    there = next((e for e in beside if e.name.casefold() == name and e.is_dir()), None)
    return None if there is None else (new, there)


def _twin_message(path: Path, twin: Path) -> str:
    """Why a name beside a project file of the same form is refused."""
    if twin.name.casefold() == path.name.casefold():
        clash = "只差字母大小写，在 Windows 和 macOS 上是同一个文件"
    else:
        clash = f"生成同名的表格（{path.stem}.docx），会互相覆盖"
    return (
        f"{shown(path)} 与已有的 {shown(twin)} {clash}；请换一个文件名（gen new 从不覆盖已有文件）"
    )


def _bad_name(path: Path, error: OSError) -> UsageError:
    """A file name the file system refuses."""
    return UsageError(
        f"{shown(path)} 不能作为项目文件名：{disk_reason(error)}；请换一个短一些、普通一些的文件名"
    )


def _exists(path: Path) -> AlreadyThere:
    """The refusal to overwrite."""
    return AlreadyThere(shown(path), "请换一个文件名（gen new 从不覆盖已有文件）")


def project_text(path: Path, form: str | None = None, problems: list[Finding] | None = None) -> str:
    """The text of a new project file at `path`, leaving out what its _defaults.yaml files give;
    the errors gen check reports in them are warnings in `problems`."""
    layers = _defaults_layers(path, [] if problems is None else problems)
    inherited = inherited_keys(layers)
    given_form = inherited.get("表样", (None, None))[1]
    form = form or (given_form if given_form in FORMS else TARGET_FORM)
    unit = inherited_unit(layers)
    if given_form != form:  # chosen here, or the defaults' is no 表样: the file says its own
        inherited.pop("表样", None)
    lines = _header(form, inherited)
    for key in project_schema(form):
        if key not in inherited and key != OTHERS:  # a district's own rows: see docs/FORMAT.md
            lines += _key_lines(key, form, unit)
    return "\n".join(lines) + "\n"


def _defaults_layers(path: Path, problems: list[Finding]) -> list[tuple[Path, dict[str, Any]]]:
    """The _defaults.yaml files above `path`, farthest first, each with what it sets (one that
    cannot be read: nothing); their errors are added to `problems` as warnings."""
    loader = Loader()
    layers = []
    for defaults in loader.defaults_files(path):
        source, found = loader.parsed_defaults(defaults)
        problems.extend(_defaults_warning(f, source is None) for f in found if f.is_error)
        layers.append((defaults, source.data if source else {}))
    return layers


def _defaults_warning(error: Finding, unread: bool) -> Finding:
    """An error gen check reports in a _defaults.yaml, as gen new warns of it: the file is made
    all the same, with every key when nothing of the _defaults.yaml could be read."""
    said = UNREAD_DEFAULTS if unread else ""
    return replace(error, level="warning", message=error.message + said)


def inherited_keys(layers: list[tuple[Path, dict[str, Any]]]) -> dict[str, tuple[Path, Any]]:
    """Top-level keys the _defaults.yaml files set: key → (nearest file, value)."""
    return {key: (file, value) for file, data in layers for key, value in data.items()}


def inherited_unit(layers: list[tuple[Path, dict[str, Any]]]) -> str:
    """The 金额单位 the _defaults.yaml files give the new project (格式 merges option by option)."""
    unit = AMOUNT_UNITS[0]
    for _, data in layers:
        options = data.get(FORMAT)
        given = options.get("金额单位") if isinstance(options, dict) else None
        unit = given if given in AMOUNT_UNITS else unit
    return unit


def placeholder_count(text: str) -> int:
    """How many lines of a new file hold a placeholder (what gen check will report)."""
    return sum(bool(PLACEHOLDER.search(line)) for line in text.splitlines())


def _header(form: str, inherited: dict[str, tuple[Path, Any]]) -> list[str]:
    """The opening comment: what to do with the file, and which keys come from _defaults.yaml."""
    lines = [
        f"# 新项目（{form}）：把每个“请填写”处换成实际内容，用不到的指标整行删除。",
        "# 填好后运行 gen check 检查，没有错误后用 gen build 生成表格。",
    ]
    by_file: dict[Path, list[str]] = {}
    for key, (file, _) in inherited.items():
        by_file.setdefault(file, []).append(key)
    for file, keys in by_file.items():
        lines.append(f"# {'、'.join(keys)} 由 {file.as_posix()} 提供，这里不再填写。")
    return lines


def _key_lines(key: str, form: str, unit: str) -> list[str]:
    """The lines for one top-level key; amounts are in `unit`."""
    if key == "表样":
        return [_line(key, form, help_for(key))]
    if key in FUND_BLOCKS:
        return _fund_lines(key, unit)
    if key == INDICATORS:
        return _indicator_lines()
    if key == FORMAT:
        return _format_lines()
    if key in OPTIONAL_KEYS:
        return ["# " + _line(key, "2025-2026", help_for(key))]
    return [_line(key, placeholder(key), help_for(key, form))]


def _line(key: str, value: str, note: str, indent: int = 0) -> str:
    """`key: value  # note`, indented."""
    text = f"{' ' * indent}{key}: {value}".rstrip()
    return f"{text}  # {note}" if note else text


def _fund_lines(block: str, unit: str) -> list[str]:
    """项目资金 / 年度资金: the base amount to fill in, the others 0, the total commented out."""
    lines = [_line(block, "", help_for(block, unit=unit))]
    for key in FUND_BLOCKS[block]:
        note = help_for(key, unit=unit)
        if key in FUND_TOTALS:
            lines.append("  # " + _line(key, "0", note).lstrip())
        elif key in REQUIRED_FUNDS:
            lines.append(_line(key, placeholder(key), note, indent=2))
        else:
            lines.append(_line(key, "0", note, indent=2))
    return lines


def _indicator_lines() -> list[str]:
    """The standard 一级 → 二级 skeleton, one indicator to fill in under each 二级."""
    lines = [_line(INDICATORS, "", help_for(INDICATORS))]
    leaf = f"{placeholder('三级指标')}: {placeholder('指标值')}"
    for level1 in REQUIRED_LEVEL1:
        lines.append(_line(level1, "", indicator_help(level1, 1), indent=2))
        for level2 in FRAMEWORK[level1]:
            lines.append(_line(level2, "", indicator_help(level2, 2), indent=4))
            lines.append(f"      {leaf}")
    return lines


def _format_lines() -> list[str]:
    """格式, commented out with its default values."""
    lines = ["# " + _line(FORMAT, "", help_for(FORMAT))]
    for key, default in FORMAT_DEFAULTS.items():
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        lines.append("#   " + _line(key, shown, help_for(key)))
    return lines
