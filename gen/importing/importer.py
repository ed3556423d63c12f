"""Importing Word forms: find the files, read their forms, write one YAML per form, check what was written."""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from gen import output
from gen.amounts import in_unit, in_words
from gen.build import check
from gen.errors import Finding, UsageError, disk_reason, shown, typed
from gen.files import regular_file, utf8_name, walk, windows_held
from gen.importing.form import Form
from gen.importing.forms import read_forms
from gen.importing.other_fields import trailing_listing
from gen.importing.printed import printed_date
from gen.importing.tables import reading
from gen.importing.units import currency_statements, stated_units, unit_of
from gen.importing.wordfile import WORD_SUFFIXES, WordFileError, read_document, unexpected
from gen.importing.yamlwrite import dump
from gen.importing.years import letter_o_said, title_period, title_year, years_by_line, years_said
from gen.load import DEFAULTS_NAME, Loader, find_project_files, parse_file
from gen.model import format_date
from gen.numerals import in_chinese
from gen.ooxml import GEN_CREATOR
from gen.report import Report
from gen.rules import YUAN_LIKELY
from gen.schema import FORMAT_DEFAULTS
from gen.vocabulary import AMOUNT_UNITS, FUND_BLOCKS, OTHERS

DEFAULT_OUT = Path("projects")
SHARED_KEYS = ("表样", "年度", "主管部门", "实施单位", "计划开始日期", "计划完成日期", "项目期间")
FORMAT = "格式"
ENTRY_KEYS = (FORMAT, OTHERS)  # merged entry by entry with a _defaults.yaml's, not replaced
# A file name is at most 255 bytes (ext4) or 255 UTF-16 units (NTFS); a stem keeps well inside
# that with room for ".yaml", a "-2" for a repeated name and the suffixes gen build adds.
MAX_NAME_BYTES = 180
_HASH_LENGTH = 8


@dataclass
class ImportedForm:
    """One form read from a Word file and the YAML file it goes to."""

    source: Path  # the Word file
    number: int  # its place in that file (1-based)
    count: int  # how many forms that file holds
    target: Path  # the YAML file
    data: dict[str, Any]  # what the form says, FORMAT.md key order
    written: bool = False
    unit_stated: bool = True  # the form says whether its amounts are in 元 or 万元
    currency: str = ""  # the texts naming only the currency (“单位：人民币”), quoted, for messages


@dataclass
class ImportReport:
    """What an import read, wrote and refused, and what `gen check` says about the result."""

    forms: list[ImportedForm] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # files not read, YAML not overwritten
    notes: list[Finding] = field(default_factory=list)  # cells not read, books skipped (warnings)
    defaults: list[Path] = field(default_factory=list)  # _defaults.yaml files written
    books: list[Path] = field(default_factory=list)  # gen's 合订本 found in a folder, skipped
    refused_forms: list[Finding] = field(default_factory=list)  # of problems: one form of a file
    check: Report | None = None

    @property
    def written(self) -> list[ImportedForm]:
        return [form for form in self.forms if form.written]

    @property
    def findings(self) -> list[Finding]:
        """The import problems and notes, then the check's findings on the written files."""
        return self.problems + self.notes + (self.check.findings if self.check else [])

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
        """The summary: forms imported, files refused, the import's own warnings (each printed
        above, among the findings), and what the check found."""
        kept = [p for p in self.problems if p.code in NOT_WRITTEN]
        forms = {id(p) for p in self.refused_forms}  # the file's other forms were read
        files = len(
            {p.file for p in self.problems if p.code not in NOT_WRITTEN and id(p) not in forms}
        )
        checked = self.check.findings if self.check else []
        errors = sum(f.is_error for f in checked)
        line = f"已导入 {len(self.written)} 个表格"
        if self.defaults:
            line += f"（另写入 {len(self.defaults)} 个 _defaults.yaml）"
        line += f"，无法导入的文件 {files} 个"
        if self.refused_forms:
            line += f"，无法导入的表 {len(self.refused_forms)} 个"
        line += f"，未覆盖 {len(kept)} 个"
        if self.books:
            line += f"，跳过合订本 {len(self.books)} 个"
        line += f"，导入警告 {len(self.notes)} 条"
        return line + f"；检查：错误 {errors} 条，警告 {len(checked) - errors} 条"


NOT_WRITTEN = ("exists", "exists-elsewhere")  # a form read, its YAML not written


def import_forms(
    paths: Sequence[Path],
    out_dir: Path = DEFAULT_OUT,
    *,
    force: bool = False,
    defaults: bool = False,
    out_given: bool = True,
) -> ImportReport:
    """Read every form of the Word files under `paths` into YAML files below `out_dir`.

    `out_given` False (no -o): a form whose YAML name is already a project elsewhere below
    `out_dir` is not written; the message names that project.
    """
    report = ImportReport()
    walked: list[Finding] = []  # what the walk could not read is said, not left out silently
    files = find_word_files(paths, walked)
    report.problems.extend(f for f in walked if f.is_error)
    report.notes.extend(f for f in walked if not f.is_error)
    with tempfile.TemporaryDirectory(prefix="gen-import-") as workdir:
        for found in files:
            report.forms.extend(_read(found, out_dir, Path(workdir), report))
    _name_targets(report.forms)
    output.remove_stale_temps(out_dir)  # left by an import killed there before
    elsewhere = {} if out_given else _projects_by_name(out_dir)
    # what this import writes: a file kept (it exists, or is a project elsewhere) is another's
    mine = {form.target for form in report.forms if _will_write(form, force, elsewhere)}
    for folder, forms in _by_folder(report.forms):  # parents first: their defaults apply below
        shared = _shared(forms) if defaults else {}
        if shared and not _defaults_are_theirs(folder, mine, report):
            shared = {}
        excluded = folder / DEFAULTS_NAME if shared and force else None  # to be replaced
        for form in forms:
            _keep_meaning(form, excluded)
        if shared:
            _write_defaults(folder, forms, shared, force, report)
    for form in report.forms:
        _write_form(form, force, elsewhere, report)
        if form.written:
            report.notes.extend(_unstated_unit_notes(form))
    written = [form.target for form in report.written]
    report.check = check_beside_others(written, out_dir) if written else None
    return report


# ---------------------------------------------------------------- finding and reading the files


@dataclass(frozen=True)
class WordFile:
    """A Word file to import: where it is, the output subfolder it maps to, and how it was found."""

    path: Path
    folder: Path  # below the output folder
    named: bool  # named on the command line (not found by walking a folder)


def find_word_files(paths: Sequence[Path], problems: list[Finding]) -> list[WordFile]:
    """Each file named, or found below a named folder, with its output subfolder; what the
    walk could not read (a folder, a name that is not UTF-8) is added to `problems`."""
    found: list[WordFile] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到 {shown(path)}；请检查路径是否写对")
        if path.is_dir():
            found.extend(
                WordFile(file, _safe_folder(file.parent.relative_to(path)), False)
                for file in _walk(path, problems)
            )
        elif utf8_name(path, problems) and regular_file(path, problems):  # a pipe would hang
            found.append(WordFile(path, Path(), True))
    if not found:
        refused = next((str(f) for f in problems if f.is_error), None)
        raise UsageError(
            refused or "没有找到 Word 文件（.docx、.doc、.wps）；请指定文件或存放它们的文件夹"
        )
    return found


def _safe_folder(folder: Path) -> Path:
    """A source subfolder as an output subfolder that gen reads (no leading "_" or ".")."""
    return Path(*(safe_name(part) or "_" for part in folder.parts))


def _walk(folder: Path, problems: list[Finding]) -> Iterator[Path]:
    """Word files below a folder, sorted; hidden files and Word's "~$" lock files are skipped."""
    return walk(folder, _is_word_file, skip=(".", "~$"), problems=problems)


def _is_word_file(path: Path) -> bool:
    """A .docx/.doc/.wps file that is not hidden and not Word's lock file."""
    return path.suffix.lower() in WORD_SUFFIXES and not path.name.startswith((".", "~$"))


def _read(
    found: WordFile, out_dir: Path, workdir: Path, report: ImportReport
) -> list[ImportedForm]:
    """The forms of one file; a file that cannot be read, or lacks a label, gives none."""
    source = found.path
    try:
        if source.suffix.lower() not in WORD_SUFFIXES:
            raise WordFileError(
                f"不是 Word 文件（扩展名 {source.suffix or '无'}）；请导入 .docx、.doc 或 .wps 文件",
                "not-word",
            )
        document = read_document(source, workdir)
        with reading(document.styles):
            forms = read_forms(document.root, document.pages)
        if document.creator == GEN_CREATOR and len(forms) > 1 and not found.named:
            report.books.append(source)
            report.notes.append(_book_note(source, len(forms)))
            return []
    except Exception as exc:  # any failure is this file's own: the other files still import
        _refuse(source, "", exc, report)
        return []
    read: list[_Read] = []
    for number, form in enumerate(forms, 1):
        place = f"第 {number} 个表：" if len(forms) > 1 else ""
        try:
            read.append(_Read(number, place, form, form.data()))
        except Exception as exc:  # this form's own: the file's other forms still import
            _refuse(source, place, exc, report)
    for notes in (
        _unread_notes,
        _unit_notes,
        _span_notes,
        _year_notes,
        _letter_o_notes,
        _chinese_date_notes,
    ):
        report.notes.extend(notes(source, read))
    stem = safe_name(source.stem) or "表格"
    return [
        ImportedForm(
            source,
            item.number,
            len(forms),
            out_dir / found.folder / stem,
            item.data,
            unit_stated=unit_of(item.form) is not None,
            currency="、".join(currency_statements(item.form)),
        )
        for item in read
    ]


@dataclass(frozen=True)
class _Read:
    """A form read from a file: its place there (1-based, and as messages begin with it: "第 2
    个表：" in a file of several forms, else ""), the form and what it says."""

    number: int
    place: str
    form: Form
    data: dict[str, Any]


def _refuse(source: Path, place: str, exc: Exception, report: ImportReport) -> None:
    """A file, or one form of it (`place`), that cannot be imported: said, with why, and where
    unless the message says it (第 2 个表格第 1 行…: "第 2 个表：" before it would say it twice)."""
    failure = exc if isinstance(exc, WordFileError) else unexpected(exc)
    said = failure.message if failure.located else place + failure.message
    refused = Finding(source, 0, "", "error", failure.code, said)
    report.problems.append(refused)
    if place:
        report.refused_forms.append(refused)


def _book_note(source: Path, count: int) -> Finding:
    """A 合订本 made by gen, found in a folder: its forms are files of their own already."""
    message = (
        f"这是 gen 生成的合订本（{count} 张表），其中每张表都另有单独的表格文件，所以没有再导入；"
        "确实要导入它时，请在命令里单独写出这个文件"
    )
    return Finding(source, 0, "", "warning", "book", message)


def _unread_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """Warnings per form naming the rows below its indicators and the cells with text that no
    label claimed (nothing is dropped unsaid)."""
    notes = []
    for place, form in ((item.place, item.form) for item in read):
        trailing = trailing_listing(form)
        if trailing:
            message = (
                f"{place}指标下面的 {trailing} 不是指标，没有导入（项目文件里没有这些栏目）；"
                "其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和指标值"
                "各占一格，再重新导入"
            )
            notes.append(Finding(source, 0, "", "warning", "not-indicators", message))
        listing = form.unread_listing()
        if listing:
            message = (
                f"{place}表格里的 {listing} 不在任何认得的标签旁边，没有导入；"
                "请核对导入的 YAML，需要时手工补上"
            )
            notes.append(Finding(source, 0, "", "warning", "not-read", message))
    return notes


def _unit_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """A warning per form that states two amount units: its amounts may be 10,000 times off."""
    notes = []
    for place, form in ((item.place, item.form) for item in read):
        units = stated_units(form)
        if len(units) < 2:
            continue
        by_text: dict[str, list[str]] = {}  # one line may offer both: 单位：元/万元
        for unit, text in units.items():
            by_text.setdefault(text, []).append(unit)
        said = "，".join(
            f"{text}是{named[0]}" if len(named) == 1 else f"{text}同时写了{'和'.join(named)}"
            for text, named in by_text.items()
        )
        message = (
            f"{place}表格上写的金额单位不一致（{said}）；已按{unit_of(form)}导入（格式.金额单位），"
            "请核对金额是用哪个单位写的，需要时改正金额或 格式.金额单位"
        )
        notes.append(Finding(source, 0, "", "warning", "units-differ", message))
    return notes


def _unstated_unit_notes(form: ImportedForm) -> list[Finding]:
    """A warning for a form that does not say whether its amounts are in 元 or 万元: it is
    imported in 万元, gen's default, and were it in 元 every amount would print 10,000 times
    too large. Made for a form written, as written: its 格式 is where _keep_meaning left it.

    The largest amount is shown in both units for the reader to judge; an amount too large for
    万元 (YUAN_LIKELY) is left to the check's own warning at its line, not said twice.
    """
    if form.unit_stated:
        return []
    place = f"第 {form.number} 个表：" if form.count > 1 else ""
    if form.currency:
        unstated = f"{form.currency}只说了是人民币，没有写金额是以元还是以万元为单位"
    else:
        unstated = "表格上没有写金额单位，看不出金额是以元还是以万元为单位"
    pinned = form.data.get(FORMAT, {}).get("金额单位") == AMOUNT_UNITS[0]
    if pinned:  # a _defaults.yaml the project reads says 元: _keep_meaning wrote 万元 out
        taken = (
            "_defaults.yaml 的 金额单位: 元 没有用于这张表，项目文件的 格式 下写明了 金额单位: 万元"
        )
        fix = "请把项目文件里的 金额单位: 万元 改为 元"
    else:
        taken = "格式.金额单位 取默认的万元"
        fix = "请在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: 元"
    message = (
        f"{place}{unstated}；已按万元导入（{taken}）。"
        f"请核对金额用的是哪个单位{_both_readings(form.data)}；如果是元，{fix}"
    )
    return [Finding(form.source, 0, "", "warning", "unit-unstated", message)]


def _both_readings(data: dict[str, Any]) -> str:
    """The largest amount of a form read in 万元 and in 元, for a message: "（项目资金总额 80000.00
    按万元是 8 亿元，按元是 8 万元）"; "" when there is none, or when it is YUAN_LIKELY."""
    amounts = [
        (amount, key if key != "其他资金" else f"{block}的其他资金")
        for block, keys in FUND_BLOCKS.items()
        for key in keys
        if isinstance(amount := data.get(block, {}).get(key), Decimal)
    ]
    if not amounts:
        return ""
    amount, name = max(amounts, key=lambda pair: pair[0])
    if amount <= 0 or amount >= YUAN_LIKELY:
        return ""
    wan = in_words(in_unit(amount, "万元", "元"))
    return f"（{name} {amount:f} 按万元是 {wan}，按元是 {in_words(amount)}）"


def _span_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """A warning per form whose title gives a span of years and no 年度 ("2026-2028年…目标表"):
    the span is its 项目期间, and the 年度 is left for the user to write."""
    notes = []
    for place, form in ((item.place, item.form) for item in read):
        title = title_period(form.titles)
        if title is None or title_year(form.titles) is not None:
            continue
        line, first, last = title
        message = (
            f"{place}标题“{line}”里的 {first}-{last} 年是项目期间，不是年度，所以没有导入 年度；"
            f"请在导入的项目文件里写上这张表的年度（如 年度: {first}）"
        )
        notes.append(Finding(source, 0, "", "warning", "title-period", message))
    return notes


def _year_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """A warning per form whose title lines name more than one year: its 年度 is the nearest to
    the table, which a form may not mean (“2026年和2027年…目标表”)."""
    notes = []
    for place, form in ((item.place, item.form) for item in read):
        lines = years_by_line(form.titles)
        if len({year for years in lines.values() for year in years}) < 2:
            continue
        message = (
            f"{place}表格上方写了不止一个年份（{years_said(form.titles)}）；已按离表格最近的 {title_year(form.titles)} 导入 年度，"
            "请核对这张表是哪一年的，需要时改正 年度"
        )
        notes.append(Finding(source, 0, "", "warning", "years-differ", message))
    return notes


def _letter_o_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """A warning per form whose title writes a year with the letter O for a zero (2O26年度): it
    is read as the year it can only be, and said, for the user to check."""
    notes = []
    for place, form in ((item.place, item.form) for item in read):
        said = letter_o_said(form.titles)
        if said:
            message = f"{place}{said}，已按此导入；请核对这张表的年份"
            notes.append(Finding(source, 0, "", "warning", "letter-o-year", message))
    return notes


def _chinese_date_notes(source: Path, read: list[_Read]) -> list[Finding]:
    """A warning per form whose dates are written in Chinese numerals (二〇二六年一月一日): they
    are read as the dates they are, and print in Arabic digits, as every 日期格式 does."""
    notes = []
    for place, form, values in ((item.place, item.form, item.data) for item in read):
        written = [
            (key, text, values[key])
            for key, text in form.date_texts().items()
            if isinstance(values.get(key), date) and _in_chinese(text)
        ]
        if not written:
            continue
        pattern = values.get(FORMAT, {}).get("日期格式", FORMAT_DEFAULTS["日期格式"])
        said = "、".join(f"{key}“{text}”" for key, text, _ in written)
        days = "、".join(day.isoformat() for *_, day in written)
        printed = "、".join(f"“{format_date(day, pattern)}”" for *_, day in written)
        message = (
            f"{place}{said}是用中文数字写的，已读作 {days}；gen 只用阿拉伯数字印日期，"
            f"生成的表格上印作{printed}（格式.日期格式 {pattern}）"
        )
        notes.append(Finding(source, 0, "", "warning", "chinese-date", message))
    return notes


def _in_chinese(text: str) -> bool:
    """Whether a printed date is written in Chinese numerals (in its year, month or day)."""
    match = printed_date(text)
    return match is not None and in_chinese(match)


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
    """A 项目名称 or file name as a file name on Windows, macOS and Linux that gen reads as a project.

    Characters Windows forbids, control and unpaired surrogate characters become "_"; leading
    and trailing dots and spaces go; a leading "_" (which would make it a _defaults-like file
    gen skips) becomes the full-width "＿"; a device name (CON, NUL…) gets a "_"; a name over
    MAX_NAME_BYTES is cut and given a hash of the whole name, so it stays the same and unique.
    "" when nothing is left.
    """
    text = "".join(ch if _name_char(ch) else "_" for ch in name)
    text = windows_held(text.lstrip(" ."))
    text = re.sub(r"^_+", lambda m: "＿" * len(m[0]), text)
    if len(text.encode("utf-8")) <= MAX_NAME_BYTES:
        return text
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    cut = text.encode("utf-8")[: MAX_NAME_BYTES - _HASH_LENGTH - 1].decode("utf-8", "ignore")
    return f"{cut.rstrip(' .')}-{digest}"


def _name_char(ch: str) -> bool:
    """Whether a character may stand in a file name (not a control, surrogate or unassigned one)."""
    return unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co")


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
    """The values every form has in common: SHARED_KEYS, and 格式 and 其他栏目 entry by entry
    (the same 主管部门代码 on every form, written alike)."""
    shared = {
        key: forms[0][key]
        for key in SHARED_KEYS
        if key in forms[0] and all(form.get(key) == forms[0][key] for form in forms)
    }
    for key in ENTRY_KEYS:
        entries = [form.get(key, {}) for form in forms]
        common = {
            entry: value
            for entry, value in entries[0].items()
            if all(entry in each and _same(each[entry], value) for each in entries)
        }
        if common:
            shared[key] = common
    return shared


def _same(one: Any, other: Any) -> bool:
    """Whether two values are the same as written (017 and 17 are not; nor 1 and True)."""
    return type(one) is type(other) and one == other


def _defaults_are_theirs(folder: Path, mine: set[Path], report: ImportReport) -> bool:
    """Whether a _defaults.yaml in `folder` would serve only project files this import writes (`mine`).

    Every project below the folder reads it: where there are others (an existing file the
    import keeps among them), writing one (or replacing theirs, even with --force) would change
    what their forms print. Then each imported form keeps all its values in its own file, and
    a note says why.
    """
    others = [path for path in _project_files(folder) if path not in mine]
    if not others:
        return True
    message = (
        f"没有写入 _defaults.yaml：{shown(folder)} 下还有 {len(others)} 个别的项目文件"
        f"（如 {shown(others[0])}），它们也读这个文件，改了会改变它们的表格；"
        "导入的项目把各自的内容全部写在自己的文件里"
    )
    report.notes.append(Finding(folder / DEFAULTS_NAME, 0, "", "warning", "defaults-kept", message))
    return False


def _shared(forms: list[ImportedForm]) -> dict[str, Any]:
    """What every form of a folder shares, for its _defaults.yaml (nothing for a lone form)."""
    return shared_values([form.data for form in forms]) if len(forms) > 1 else {}


def _write_defaults(
    folder: Path,
    forms: list[ImportedForm],
    shared: dict[str, Any],
    force: bool,
    report: ImportReport,
) -> None:
    """Move what every form of a folder shares (`shared`) into its _defaults.yaml."""
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
            if key in ENTRY_KEYS:
                mine = {k: v for k, v in form.data[key].items() if k not in value}
                form.data[key] = mine
                if not mine:
                    del form.data[key]
            else:
                del form.data[key]


# ---------------------------------------------------------------- writing


def _will_write(form: ImportedForm, force: bool, elsewhere: dict[str, list[Path]]) -> bool:
    """Whether _write_form will write this form (a disk error aside)."""
    taken = any(path != form.target for path in elsewhere.get(form.target.name, []))
    return not taken and (force or not form.target.exists())


def _write_form(
    form: ImportedForm, force: bool, elsewhere: dict[str, list[Path]], report: ImportReport
) -> None:
    """Write one form's YAML unless it exists (and --force was not given) or is a project elsewhere."""
    others = [path for path in elsewhere.get(form.target.name, []) if path != form.target]
    if others:
        report.problems.append(_exists_elsewhere(form, others[0]))
        return
    if not _writable(form.target, force, report):
        return
    place = f"（第 {form.number} 个表）" if form.count > 1 else ""
    comment = f"导入自 {form.source.as_posix()}{place}"
    form.written = _write(form.target, dump(form.data, comment), report)


def _projects_by_name(out_dir: Path) -> dict[str, list[Path]]:
    """The project files below `out_dir` by file name."""
    found: dict[str, list[Path]] = {}
    for path in _project_files(out_dir):
        found.setdefault(path.name, []).append(path)
    return found


def _exists_elsewhere(form: ImportedForm, other: Path) -> Finding:
    """A form imported without -o whose project already lives in a subfolder."""
    message = (
        f"{shown(other)} 已有同名项目，没有另写 {shown(form.target)}；"
        f"要用导入的内容更新它，请运行 gen import {typed(form.source)} -o {typed(other.parent)} --force；"
        f"确实要另存一份时，请用 -o 指定输出文件夹"
    )
    return Finding(form.target, 0, "", "error", "exists-elsewhere", message)


def check_beside_others(written: list[Path], out_dir: Path) -> Report:
    """gen check of the written files, compared with the other projects of the output folder.

    The others are checked first, so a copy between a new file and an old one is reported on
    the new file; only the written files' findings are kept.
    """
    mine = set(written)
    others = [path for path in _project_files(out_dir) if path not in mine]
    full = check([*others, *written])
    return Report.of([result for result in full.results if result.path in mine], strict=False)


def _project_files(folder: Path) -> list[Path]:
    """The project files below a folder (none if it is not one)."""
    return find_project_files([folder]) if folder.is_dir() else []


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
        message = f"无法写入：{disk_reason(exc.error)}"
        report.problems.append(Finding(path, 0, "", "error", "write-failed", message))
        return False
    return True
