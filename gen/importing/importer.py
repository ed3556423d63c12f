"""Importing Word forms: find the files, read their forms, write one YAML per form, check what was written."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gen import output
from gen.build import check
from gen.errors import Finding, UsageError, shown
from gen.files import walk
from gen.importing.labels import read_forms
from gen.importing.wordfile import WORD_SUFFIXES, WordFileError, read_document
from gen.importing.yamlwrite import dump
from gen.load import DEFAULTS_NAME, Loader, parse_file
from gen.report import Report
from gen.schema import FORMAT_DEFAULTS

DEFAULT_OUT = Path("projects")
SHARED_KEYS = ("表样", "年度", "主管部门", "实施单位", "计划开始日期", "计划完成日期", "项目期间")
FORMAT = "格式"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class ImportedForm:
    """One form read from a Word file and the YAML file it goes to."""

    source: Path  # the Word file
    number: int  # its place in that file (1-based)
    count: int  # how many forms that file holds
    target: Path  # the YAML file
    data: dict[str, Any]  # what the form says, FORMAT.md key order
    written: bool = False


@dataclass
class ImportReport:
    """What an import read, wrote and refused, and what `gen check` says about the result."""

    forms: list[ImportedForm] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # files not read, YAML not overwritten
    defaults: list[Path] = field(default_factory=list)  # _defaults.yaml files written
    check: Report | None = None

    @property
    def written(self) -> list[ImportedForm]:
        return [form for form in self.forms if form.written]

    @property
    def findings(self) -> list[Finding]:
        """The import problems, then the check's findings on the written files."""
        return self.problems + (self.check.findings if self.check else [])

    @property
    def exit_code(self) -> int:
        """1 when a file could not be imported or a YAML file was not written; else 0."""
        return 1 if self.problems else 0

    def written_lines(self) -> list[str]:
        """One line per YAML file written: "旧表/社工.docx → projects/社工.yaml"."""
        lines = [f"{shown(path)}（共用设置）" for path in self.defaults]
        for form in self.written:
            place = f"（第 {form.number} 个表）" if form.count > 1 else ""
            lines.append(f"{shown(form.source)}{place} → {shown(form.target)}")
        return lines

    def closing_line(self) -> str:
        """The summary: forms imported, files refused, and what the check found."""
        files = len({p.file for p in self.problems if p.code != "exists"})
        checked = self.check.findings if self.check else []
        errors = sum(f.is_error for f in checked)
        line = f"已导入 {len(self.written)} 个表格"
        if self.defaults:
            line += f"（另写入 {len(self.defaults)} 个 _defaults.yaml）"
        line += f"，无法导入的文件 {files} 个，未覆盖 {len(self.problems) - files} 个"
        return line + f"；检查：错误 {errors} 条，警告 {len(checked) - errors} 条"


def import_forms(
    paths: Sequence[Path],
    out_dir: Path = DEFAULT_OUT,
    *,
    force: bool = False,
    defaults: bool = False,
) -> ImportReport:
    """Read every form of the Word files under `paths` into YAML files below `out_dir`."""
    report = ImportReport()
    with tempfile.TemporaryDirectory(prefix="gen-import-") as workdir:
        for source, folder in find_word_files(paths):
            report.forms.extend(_read(source, out_dir / folder, Path(workdir), report))
    _name_targets(report.forms)
    for folder, forms in _by_folder(report.forms):  # parents first: their defaults apply below
        excluded = folder / DEFAULTS_NAME if defaults and force else None
        for form in forms:
            _keep_meaning(form, excluded)
        if defaults:
            _write_defaults(folder, forms, force, report)
    for form in report.forms:
        _write_form(form, force, report)
    written = [form.target for form in report.written]
    report.check = check(written) if written else None
    return report


# ---------------------------------------------------------------- finding and reading the files


def find_word_files(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(Word file, output subfolder) for each file named or found below a named folder."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到 {shown(path)}；请检查路径是否写对")
        if path.is_dir():
            found.extend((file, file.parent.relative_to(path)) for file in _walk(path))
        else:
            found.append((path, Path()))
    if not found:
        raise UsageError("没有找到 Word 文件（.docx、.doc、.wps）；请指定文件或存放它们的文件夹")
    return found


def _walk(folder: Path) -> Iterator[Path]:
    """Word files below a folder, sorted; hidden files and Word's "~$" lock files are skipped."""
    return walk(folder, _is_word_file, skip=(".", "~$"))


def _is_word_file(path: Path) -> bool:
    """A .docx/.doc/.wps file that is not hidden and not Word's lock file."""
    return path.suffix.lower() in WORD_SUFFIXES and not path.name.startswith((".", "~$"))


def _read(source: Path, folder: Path, workdir: Path, report: ImportReport) -> list[ImportedForm]:
    """The forms of one file; a file that cannot be read becomes a problem and gives none."""
    try:
        if source.suffix.lower() not in WORD_SUFFIXES:
            raise WordFileError(
                f"不是 Word 文件（扩展名 {source.suffix or '无'}）；请导入 .docx、.doc 或 .wps 文件",
                "not-word",
            )
        forms = read_forms(read_document(source, workdir))
    except WordFileError as exc:
        report.problems.append(Finding(source, 0, "", "error", exc.code, exc.message))
        return []
    return [
        ImportedForm(source, i, len(forms), folder / source.stem, data)
        for i, data in enumerate(forms, 1)
    ]


def _name_targets(forms: list[ImportedForm]) -> None:
    """<file>.yaml for a file with one form, <项目名称>.yaml for several; repeats get -2, -3…"""
    taken: set[Path] = set()
    for form in forms:
        folder, stem = form.target.parent, form.target.name
        if form.count > 1:
            stem = safe_name(str(form.data.get("项目名称", ""))) or f"{stem}-{form.number}"
        target, n = folder / f"{stem}.yaml", 1
        while target in taken:
            n += 1
            target = folder / f"{stem}-{n}.yaml"
        taken.add(target)
        form.target = target


def safe_name(name: str) -> str:
    """A 项目名称 usable as a file name on Windows, macOS and Linux."""
    return _UNSAFE_NAME.sub("_", name).strip(" .")[:100]


def _by_folder(forms: list[ImportedForm]) -> list[tuple[Path, list[ImportedForm]]]:
    """The forms grouped by the folder their YAML goes to, shallower folders first."""
    groups: dict[Path, list[ImportedForm]] = {}
    for form in forms:
        groups.setdefault(form.target.parent, []).append(form)
    return sorted(groups.items(), key=lambda item: len(item[0].parts))


# ---------------------------------------------------------------- defaults


def _keep_meaning(form: ImportedForm, excluded: Path | None) -> None:
    """Write 格式 options and 项目期间 out when a _defaults.yaml above would otherwise change them."""
    inherited = _inherited(form.target, excluded)
    data = form.data
    years = _date_years(data)
    if "项目期间" in inherited and "项目期间" not in data and years:
        data["项目期间"] = f"{years[0]}-{years[1]}"
    mine = data.get(FORMAT, {})
    for option, value in inherited.get(FORMAT, {}).items():
        if option in FORMAT_DEFAULTS and value != mine.get(option, FORMAT_DEFAULTS[option]):
            mine[option] = mine.get(option, FORMAT_DEFAULTS[option])
    if mine:
        data[FORMAT] = mine
    form.data = _ordered(data)


def _inherited(target: Path, excluded: Path | None) -> dict[str, Any]:
    """What the _defaults.yaml files already above `target` set (格式 merged option by option)."""
    merged: dict[str, Any] = {FORMAT: {}}
    for path in Loader().defaults_files(target):
        source = parse_file(path)[0] if path != excluded else None
        if source is None:
            continue
        options = source.data.get(FORMAT)
        merged = {**merged, **source.data, FORMAT: merged[FORMAT]}
        merged[FORMAT].update(options if isinstance(options, dict) else {})
    return merged


def _date_years(data: dict[str, Any]) -> tuple[int, int] | None:
    """The years of the two plan dates, when both were read as dates."""
    start, end = data.get("计划开始日期"), data.get("计划完成日期")
    return (start.year, end.year) if isinstance(start, date) and isinstance(end, date) else None


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The keys in FORMAT.md order (格式 last)."""
    from gen.schema import project_schema

    order = list(project_schema(None))
    return dict(sorted(data.items(), key=lambda item: order.index(item[0])))


def shared_values(forms: list[dict[str, Any]]) -> dict[str, Any]:
    """The values every form has in common: SHARED_KEYS, and 格式 option by option."""
    shared = {
        key: forms[0][key]
        for key in SHARED_KEYS
        if key in forms[0] and all(form.get(key) == forms[0][key] for form in forms)
    }
    options = [form.get(FORMAT, {}) for form in forms]
    common = {
        option: options[0][option]
        for option in options[0]
        if all(opts.get(option) == options[0][option] for opts in options)
    }
    return {**shared, **({FORMAT: common} if common else {})}


def _write_defaults(
    folder: Path, forms: list[ImportedForm], force: bool, report: ImportReport
) -> None:
    """Move what every form of a folder shares into its _defaults.yaml."""
    shared = shared_values([form.data for form in forms]) if len(forms) > 1 else {}
    if not shared:
        return
    path = folder / DEFAULTS_NAME
    if not _writable(path, force, report):
        return
    if not _write(
        path, dump(_ordered(shared), "本文件夹中各项目共用的内容（由 gen import 生成）"), report
    ):
        return
    report.defaults.append(path)
    for form in forms:
        for key, value in shared.items():
            if key == FORMAT:
                mine = {k: v for k, v in form.data[FORMAT].items() if k not in value}
                form.data[FORMAT] = mine
                if not mine:
                    del form.data[FORMAT]
            else:
                del form.data[key]


# ---------------------------------------------------------------- writing


def _write_form(form: ImportedForm, force: bool, report: ImportReport) -> None:
    """Write one form's YAML unless it exists (and --force was not given)."""
    if not _writable(form.target, force, report):
        return
    place = f"（第 {form.number} 个表）" if form.count > 1 else ""
    comment = f"导入自 {form.source.as_posix()}{place}"
    form.written = _write(form.target, dump(form.data, comment), report)


def _writable(path: Path, force: bool, report: ImportReport) -> bool:
    """Whether `path` may be written; an existing file without --force is a problem."""
    if force or not path.exists():
        return True
    message = "文件已存在，没有覆盖；要用导入的内容覆盖它，请加 --force"
    report.problems.append(Finding(path, 0, "", "error", "exists", message))
    return False


def _write(path: Path, text: str, report: ImportReport) -> bool:
    """Write a YAML file atomically; a disk error becomes a problem."""
    try:
        output.write_atomic(path, text.encode("utf-8"))
    except output.WriteFailed as exc:
        message = f"无法写入：{output.disk_reason(exc.error)}"
        report.problems.append(Finding(path, 0, "", "error", "write-failed", message))
        return False
    return True
