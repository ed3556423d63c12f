"""Next year's project files from this year's: years and plan dates moved, comments and order kept."""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeGuard

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import PlainScalarString

from gen import output
from gen.authoring import roundtrip
from gen.authoring.fields import placeholder
from gen.authoring.roundtrip import WrittenInt, WrittenNull
from gen.errors import AlreadyThere, Finding, Location, UsageError, error_detail, shown, typed
from gen.load import DEFAULTS_NAME, Loader, is_project_file, parse_file, walk_reporting_misnamed
from gen.schema import YEAR_WITH_POINT
from gen.vocabulary import DATE_KEYS, FUND_BLOCKS, INDICATORS, YEARS

REVIEWED_TEXTS = ("项目名称", "项目总目标", "年度总体目标")  # texts that may name the old year
_DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{4})")
_YEAR_TEXT = re.compile(r"\s*([0-9]{4})\s*")  # 年度: "2026", written in quotes
_INT = re.compile(r"[-+]?[0-9]+")  # a plain integer gen reads as one (017 is 17; 1_000 is text)


@dataclass
class Rollover:
    """What a rollover wrote, and what the user should look at."""

    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # old-year mentions; files not rolled
    refused: bool = False  # a file could not be rolled over: nothing was written
    replaced: list[Path] = field(default_factory=list)  # written over a file there (--force)
    undone: int = 0  # files written, then deleted again when a later one failed to be
    stopped: bool = False  # a file could not be written: the rollover stopped there

    @property
    def exit_code(self) -> int:
        return 1 if any(f.is_error for f in self.findings) else 0

    def closing_line(self, to_dir: Path, to_year: int) -> str:
        """How many files were rolled over, and how many places to review."""
        failed = sum(f.is_error for f in self.findings)
        if self.stopped:
            return self._stopped_line(to_dir, to_year)
        if self.refused:
            return (
                f"没有结转任何文件：上面 {failed} 处错误改正之前，{shown(to_dir)} 里什么也不写，"
                f"以免 {to_year} 年度缺少文件；请改正后重新结转"
            )
        line = f"已结转 {len(self.written)} 个文件到 {shown(to_dir)}（{to_year}年度）"
        review = len(self.findings) - failed
        line += f"；请核对上面 {review} 处" if review else "；没有需要核对的文字"
        return line + (f"；{failed} 个文件未结转" if failed else "")

    def _stopped_line(self, to_dir: Path, to_year: int) -> str:
        """The closing line of a rollover stopped by a file it could not write."""
        line = f"结转停止：上面的文件写不进 {shown(to_dir)}"
        if self.undone:
            line += f"，已写好的 {self.undone} 个新文件已删除，以免 {to_year} 年度缺少文件"
        if self.written:
            line += f"；已覆盖的 {len(self.written)} 个文件是结转后的内容，原来的内容已不在"
        return line + "；请解决后重新结转" + ("（加 --force）" if self.written else "")

    def refuse(self) -> Rollover:
        """Nothing written, for what could not be rolled over: only its errors are said (the
        places to review come with the rollover that writes the files)."""
        self.findings = sorted((f for f in self.findings if f.is_error), key=Finding.sort_key)
        self.refused = True
        return self


def rollover(
    from_dir: Path, to_year: int, to_dir: Path, *, clear_amounts: bool = False, force: bool = False
) -> Rollover:
    """Copy the projects and _defaults.yaml files below `from_dir` to `to_dir` for `to_year`."""
    _refuse_inside(from_dir, to_dir, to_year)
    result = Rollover()
    files = rolled_files(from_dir, result.findings)  # what the walk skipped is said, too
    years = {file: _old_year(file) for file in files}
    _refuse_not_later(from_dir, years, to_year)
    pairs = [(file, to_dir / file.relative_to(from_dir)) for file in files]
    _refuse_blocked(to_dir, [target for _, target in pairs])
    if not force:
        _refuse_existing([target for _, target in pairs])
    texts = _rolled_texts(pairs, years, to_year, clear_amounts, result.findings)
    if any(f.is_error for f in result.findings):  # not a new year short of the files that failed
        return result.refuse()
    output.remove_stale_temps(to_dir)  # left by a rollover killed there before
    new_folders = _missing_folders([target for _, target in pairs])
    for source, target in pairs:
        there = os.path.lexists(target)
        failed = _write(source, target, texts[source], force)
        if failed:  # a full disk, a file held open: not a new year short of files either
            result.findings.extend(failed)
            new = [written for written in result.written if written not in result.replaced]
            result.undone = _undo(new, new_folders)
            result.written = list(result.replaced)
            result.stopped = True
            return result.refuse()
        result.written.append(target)
        if there:
            result.replaced.append(target)
    result.findings.extend(_set_above(from_dir, to_dir, to_year, files))
    result.findings.extend(_not_rolled_here(from_dir, to_dir, [target for _, target in pairs]))
    result.findings.sort(key=Finding.sort_key)
    return result


def _missing_folders(targets: list[Path]) -> list[Path]:
    """The folders these files need that are not there yet, deepest first."""
    missing = {
        folder
        for target in targets
        for folder in (target.parent, *target.parent.parents)
        if not os.path.lexists(folder)
    }
    return sorted(missing, key=lambda folder: len(folder.parts), reverse=True)


def _undo(written: list[Path], new_folders: list[Path]) -> int:
    """Delete the files a failed rollover wrote new, then the folders it made that are left
    empty; how many files. A file it replaced (--force) keeps its new text: the old is gone."""
    undone = 0
    for target in written:
        with contextlib.suppress(OSError):
            os.unlink(target)
            undone += 1
    for folder in new_folders:
        with contextlib.suppress(OSError):  # not empty, or not ours to remove
            os.rmdir(folder)
    return undone


def _set_above(from_dir: Path, to_dir: Path, to_year: int, files: list[Path]) -> list[Finding]:
    """年度 and plan dates a rolled project takes from a _defaults.yaml above the folder rolled:
    they stay as they are. A key every project sets itself, or takes from a _defaults.yaml in
    the folder rolled, is rolled with it and not named."""
    inside = from_dir.resolve()
    keys_of = functools.cache(_year_keys)
    above = [f for f in Loader().defaults_files(from_dir / "_.yaml") if f.resolve() != inside / DEFAULTS_NAME]  # fmt: skip
    from_above = {key for file in above for key in keys_of(file)}
    inherited: set[str] = set()
    for project in (f for f in files if f.name != DEFAULTS_NAME):
        chain = Loader().defaults_files(project)
        below = [f for f in chain if f.resolve().is_relative_to(inside)] + [project]
        inherited |= from_above - {key for file in below for key in keys_of(file)}
    findings = []
    for file in reversed(above):  # nearest first: the file a project takes the key from
        keys = [key for key in keys_of(file) if key in inherited]
        if not keys:
            continue
        inherited -= set(keys)  # the nearest file above that sets a key is the one named
        named = "、".join(keys)
        message = (
            f"{named} 写在 {shown(file)}，在结转的文件夹 {shown(from_dir)} 之外，没有结转；"
            f"请结转整个上级文件夹，或在 {shown(to_dir / DEFAULTS_NAME)} 里写上 {to_year} 年的{named}"
        )
        source, _ = parse_file(file)
        assert source is not None  # keys_of found keys in it
        findings.append(Finding(file, source.locate(keys[0]).line, keys[0], "warning", "year-kept", message))  # fmt: skip
    return findings


def _not_rolled_here(from_dir: Path, to_dir: Path, targets: list[Path]) -> list[Finding]:
    """The project files and _defaults.yaml files in the output folder that no file rolled over
    stands for: left by an earlier rollover of a project deleted since, or put there by hand.

    gen build takes them for the new year's, so each is named; deleting them is the user's call.
    Names are compared in any letter case, as Windows and macOS compare them.
    """
    ours = {_case_free(target.relative_to(to_dir)) for target in targets}
    findings = []
    for file in _walk(to_dir, []) if to_dir.is_dir() else []:
        relative = file.relative_to(to_dir)
        if _case_free(relative) in ours:
            continue
        effect = (
            "它所在文件夹里的项目仍会用它的设置"
            if file.name == DEFAULTS_NAME
            else "gen build 仍会为它生成表格"
        )
        message = (
            f"这个文件不是这次结转的：{shown(from_dir / relative)} 不存在（也许是上次结转之后删掉了）；"
            f"{effect}，不再需要就请删除它"
        )
        findings.append(Finding(file, 0, "", "warning", "not-rolled-here", message))
    return findings


def _case_free(relative: Path) -> tuple[str, ...]:
    """A relative path as a file system that ignores letter case compares it."""
    return tuple(part.casefold() for part in relative.parts)


def _year_keys(file: Path) -> tuple[str, ...]:
    """The year keys (年度, plan dates) a file sets."""
    source, _ = parse_file(file)
    return tuple(k for k in ("年度", *DATE_KEYS) if source is not None and k in source.data)


def rolled_files(folder: Path, problems: list[Finding]) -> list[Path]:
    """The project files and _defaults.yaml files below a folder, sorted; what the walk could
    not read (a folder, a pipe, a name that is not UTF-8) is added to `problems`."""
    if not folder.is_dir():
        raise UsageError(f"找不到文件夹 {shown(folder)}；请指定存放上一年度项目的文件夹")
    files = sorted(_walk(folder, problems), key=lambda p: p.as_posix())
    if not files:
        raise UsageError(f"{shown(folder)} 下没有项目文件（*.yaml）")
    return files


def _walk(folder: Path, problems: list[Finding]) -> Iterator[Path]:
    """Files gen reads below a folder: projects and _defaults.yaml, outside '_' and '.' folders;
    a file Notepad saved as 夜间巡逻.yaml.txt is an error in `problems`, not left behind unsaid."""
    return walk_reporting_misnamed(folder, _is_rolled, problems)


def _is_rolled(path: Path) -> bool:
    """A project file or a _defaults.yaml."""
    return path.name == DEFAULTS_NAME or is_project_file(path)


def _refuse_inside(from_dir: Path, to_dir: Path, to_year: int) -> None:
    """Stop when the new folder is the old one, inside it (a later rollover would roll it too),
    or around it (the new year's files would go among the old year's, over their _defaults.yaml)."""
    source, target = from_dir.resolve(), to_dir.resolve()
    example = _apart(source, to_year)
    if source.is_relative_to(target) and target != source:
        raise UsageError(
            f"输出文件夹 {shown(to_dir)} 包含要结转的文件夹 {shown(from_dir)}，新一年度的文件会和"
            f"上一年度的混在一起，还会改动它们共用的 _defaults.yaml；请写到另一个文件夹，如 -o {example}"
        )
    if target != source and not target.is_relative_to(source):
        return
    if target == source:
        raise UsageError(
            f"输出文件夹 {shown(to_dir)} 就是要结转的文件夹；结转不改动上一年度的文件，"
            f"请写到另一个文件夹，如 -o {example}"
        )
    raise UsageError(
        f"输出文件夹 {shown(to_dir)} 在要结转的文件夹 {shown(from_dir)} 里面，下次结转时会被当作"
        f"上一年度的项目再结转一次；请写到 {shown(from_dir)} 之外，如 -o {example}"
    )


def _apart(source: Path, to_year: int) -> str:
    """A folder for the new year neither in nor around `source` (resolved), as a command takes
    it: 2027/projects for projects, ../2027/2026 for the current folder 2026; relative to the
    current folder."""
    here = Path.cwd().resolve()
    if source != here and source.is_relative_to(here):
        return typed(Path(str(to_year)) / source.relative_to(here))
    beside = source.parent / str(to_year) / source.name
    try:
        return typed(Path(os.path.relpath(beside, here)))
    except ValueError:  # another drive (Windows)
        return typed(beside)


def _refuse_not_later(from_dir: Path, years: dict[Path, int | None], to_year: int) -> None:
    """Stop when the new year is not after the year of the files rolled over.

    When the files are of several years, the latest counts: a new year at or before it would
    leave those files in their own year, or move them back.
    """
    known = sorted({year for year in years.values() if year is not None})
    if not known or to_year > known[-1]:
        return
    latest = known[-1]
    several = ""
    if len(known) > 1:
        several = (
            f"（{shown(from_dir)} 里的文件分属 {'、'.join(map(str, known))} 年度，"
            f"以最晚的 {latest} 为准：每个文件都要结转到比它晚的年度）"
        )
    advice = (
        f"请写 --to {latest + 1}"
        if latest < YEARS[1]
        else f"{YEARS[1]} 是能写的最后一个年度，无法再往后结转"
    )
    raise UsageError(
        f"--to {to_year} 不晚于要结转的文件的年度 {latest}{several}；"
        f"结转生成的是以后年度的文件，{advice}"
    )


def _refuse_blocked(to_dir: Path, targets: list[Path]) -> None:
    """Stop before writing anything when a file stands where a folder of the targets must be."""
    for folder in sorted({target.parent for target in targets}, key=lambda p: p.as_posix()):
        blocker = output.blocking_file(folder)
        if blocker is not None:
            raise UsageError(
                f"无法结转到 {shown(to_dir)}：{output.not_a_folder(blocker)}；"
                "请换一个输出文件夹，或把它移走"
            )


def _refuse_existing(targets: list[Path]) -> None:
    """Stop before writing anything when a target file is already there."""
    existing = [shown(t) for t in targets if t.exists()]
    if existing:
        them = "这些文件" if len(existing) > 1 else "它"
        fix = f"请换一个输出文件夹，或加 --force 覆盖{them}"
        raise AlreadyThere(existing[0], fix, len(existing))


# ---------------------------------------------------------------- one file


def _rolled_texts(
    pairs: list[tuple[Path, Path]],
    years: dict[Path, int | None],
    to_year: int,
    clear_amounts: bool,
    findings: list[Finding],
) -> dict[Path, bytes]:
    """Every file rolled over before any is written, by source; what to review, and each file
    that cannot be rolled, is added to `findings`."""
    texts = {}
    for source, target in pairs:
        text, found = _rolled(source, target, years[source], to_year, clear_amounts)
        findings.extend(found)
        if text is not None:
            texts[source] = text
    return texts


def _rolled(
    source: Path, target: Path, old_year: int | None, to_year: int, clear_amounts: bool
) -> tuple[bytes | None, list[Finding]]:
    """The text of one file of `old_year` rolled over, and what to review in it; a file that
    cannot be read or rolled is an error, and no text."""
    parsed, problems = parse_file(source)
    # an empty _defaults.yaml sets nothing, as gen build reads it: copied as it is
    empty_defaults = source.name == DEFAULTS_NAME and [f.code for f in problems] == ["empty-file"]
    if not empty_defaults and (parsed is None or any(f.is_error for f in problems)):
        return None, [_not_rolled(source, problems)]
    try:
        doc, layout = roundtrip.load(source.read_bytes())
        findings = (
            _roll(doc, old_year, to_year, target) if old_year else _yearless(doc, to_year, target)
        )
        if clear_amounts:
            _clear_amounts(doc)
        return roundtrip.dump(doc, layout), findings
    except YAMLError as exc:  # what gen reads but ruamel does not: a tab after a value
        return None, [_unreadable_for_rollover(source, exc)]
    except Exception as exc:  # every file is read, each of its problems said
        return None, [_not_rolled(source, [], f"读取或改写时出错（{error_detail(exc)}）")]


def _write(source: Path, target: Path, data: bytes, force: bool) -> list[Finding]:
    """Write one rolled file; a disk that refuses it is an error of its source."""
    write = output.write_atomic if force else output.write_new
    try:  # write_new: a file that appeared since the check is kept
        write(target, data)
    except output.WriteFailed as exc:
        return [_not_rolled(source, [], exc.message)]
    return []


def _unreadable_for_rollover(source: Path, exc: YAMLError) -> Finding:
    """A file gen check reads that the rollover's YAML library does not, at the line it names."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    lines = source.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
    why = "这一行有制表符（Tab）" if tab else "这一行的写法结转时读不了"
    message = f"未结转：{why}；请把它换成空格（或改成常见的 “键: 值” 写法）后重新结转"
    return Finding(source, line, "", "error", "not-rolled", message)


def _not_rolled(source: Path, problems: list[Finding], reason: str = "") -> Finding:
    """An error for a file that could not be read, pointing at its first problem."""
    first = next((f for f in problems if f.is_error), None)
    why = first.message if first else reason
    return Finding(source, first.line if first else 0, "", "error", "not-rolled", f"未结转：{why}")


def _old_year(path: Path) -> int | None:
    """The 年度 that applies to a file: its own, else the nearest _defaults.yaml's."""
    for file in [path, *reversed(Loader().defaults_files(path))]:
        source, _ = parse_file(file)
        year = _year_of(source.data.get("年度")) if source else None
        if year is not None:
            return year
    return None


def _year_of(value: Any) -> int | None:
    """A 年度 as a number: 2026 (in a rolled file: as written, read as gen reads it), or "2026"
    written in quotes."""
    if isinstance(value, WrittenInt) and _INT.fullmatch(value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _YEAR_TEXT.fullmatch(value) if isinstance(value, str) else None
    return int(match[1]) if match else None


def _roll(doc: Any, old_year: int, to_year: int, target: Path) -> list[Finding]:
    """Move 年度, the plan dates and a one-year 项目期间; list what still names the old year."""
    if not isinstance(doc, CommentedMap):
        return []
    findings = _roll_year(doc, to_year, target)
    for key in DATE_KEYS:
        if key in doc:
            findings += _roll_date(doc, key, to_year - old_year, target)
    findings += _roll_period(doc, old_year, to_year, target)
    return findings + list(_mentions(doc, old_year, to_year, target))


def _yearless(doc: Any, to_year: int, target: Path) -> list[Finding]:
    """A project whose 年度 no file writes as a four-digit year: nothing is moved, and that is
    listed."""
    if not isinstance(doc, CommentedMap) or (target.name == DEFAULTS_NAME and "年度" not in doc):
        return []  # a _defaults.yaml need not name the year
    unread = "这个文件和上级 _defaults.yaml 都没有写成四位年份的年度"
    if "年度" in doc:
        value = doc["年度"]
        unread = f"年度 “{value}” {_no_year(value)}，上级 _defaults.yaml 也没有写成四位年份的年度"
    message = f"{unread}，年度和计划日期都未改动；请改为 {to_year} 年的"
    where = _at(doc, "年度", target) if "年度" in doc else Location(target, 0)
    return [_review(where, ("年度",), message, "year-kept")]


def _roll_year(doc: CommentedMap, to_year: int, target: Path) -> list[Finding]:
    """年度 becomes the new year, written as it was (quoted or not); one that is no year is listed."""
    if "年度" not in doc:
        return []
    value = doc["年度"]
    if _year_of(value) is None:
        message = f"年度 “{value}” {_no_year(value)}，未改动；请改为 {to_year}"
        return [_review(_at(doc, "年度", target), ("年度",), message, "year-kept")]
    doc["年度"] = type(value)(str(to_year))  # a number stays one, a quoted year keeps its quotes
    return []


def _no_year(value: Any) -> str:
    """Why a 年度 written is no year, in gen check's words (应为四位年份)."""
    point = YEAR_WITH_POINT.fullmatch(str(value).strip())
    return "带小数点，不是四位年份" if point else "不是四位年份"


def _roll_date(doc: CommentedMap, key: str, years: int, target: Path) -> list[Finding]:
    """A plan date moved `years` on; one kept, or moved from 29 February to 28, is listed."""
    old = doc[key]
    moved = _moved_date(old, years)
    if moved is None:
        return [_date_kept(doc, key, years, target)]
    doc[key] = moved
    if not _leap_day(old) or _leap_day(moved):
        return []
    message = f"{key} {old}：{moved[:4]} 年没有 2 月 29 日，已改为 {moved}；请确认这个日期"
    return [_review(_at(doc, key, target), (key,), message, "date-changed")]


def _leap_day(value: Any) -> bool:
    """Whether a date (a YYYY-M-D text) is 29 February."""
    match = _DATE_TEXT.fullmatch(value) if isinstance(value, str) else None
    return match is not None and (int(match[2]), int(match[3])) == (2, 29)


def _moved_date(value: Any, years: int) -> Any:
    """A date `years` later (29 February becomes 28 February), written as it was (2026-3-1 becomes
    2027-3-1, quoted or not).

    None when it cannot be moved: not written YYYY-M-D (2026-01-01 10:00), no day of the
    calendar (2026-02-30), or past 9999.
    """
    match = _DATE_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:  # 2026-01-01 10:00, 2026/01/01: the year in it stays, which is listed
        return None if _written_text(value) else value  # nothing written: gen check says so
    written = _calendar_day(match)
    moved = None if written is None else _later(written, years)
    if written is None or moved is None:
        return None
    day = match[3] if moved.day == written.day else str(moved.day)
    return type(value)(f"{moved.year}-{match[2]}-{day}")


def _written_text(value: Any) -> TypeGuard[str]:
    """Whether a value is written as a single text or number (not empty, not a list)."""
    return isinstance(value, str) and value.strip() != ""


def _calendar_day(match: re.Match[str]) -> date | None:
    """The day a YYYY-M-D text names; None when the calendar has no such day."""
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _later(day: date, years: int) -> date | None:
    """The same day `years` later, 28 February for 29 February; None past 9999."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        pass
    try:
        return day.replace(year=day.year + years, day=28)
    except ValueError:
        return None


def _date_kept(doc: CommentedMap, key: str, years: int, target: Path) -> Finding:
    """A plan date left as it was, for the user to write."""
    value = doc[key]
    match = _DATE_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        why = f"“{value}” 不是 YYYY-MM-DD 写法的日期"
    elif _calendar_day(match) is None:
        why = f"{value} 不是日历上的日期"
    else:
        why = f"{value} 推后 {years} 年就超出了 9999 年"
    message = f"{key} {why}，未改动；请填写正确的新日期"
    return _review(_at(doc, key, target), (key,), message, "date-kept")


def _roll_period(doc: CommentedMap, old_year: int, to_year: int, target: Path) -> list[Finding]:
    """A one-year 项目期间 moves; a multi-year one stays, with a note when 年度 leaves it."""
    text = doc.get("项目期间")
    match = _PERIOD.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return []
    start, end = int(match[1]), int(match[2])
    if start == end == old_year:
        doc["项目期间"] = type(text)(f"{to_year}-{to_year}")
        return []
    if start <= to_year <= end:
        return []
    message = (
        f"跨年度项目的项目期间 {text} 未改动，{to_year} 年不在其中，gen check 会报错；"
        f"请改写项目期间（如 {min(start, to_year)}-{max(end, to_year)}），或不再报送这个项目"
    )
    return [_review(_at(doc, "项目期间", target), ("项目期间",), message, "period-kept")]


def _mentions(doc: CommentedMap, old_year: int, to_year: int, target: Path) -> Iterator[Finding]:
    """Goals, names and indicators that mention the old year, for the user to review."""
    for key in REVIEWED_TEXTS:
        if isinstance(doc.get(key), str):
            yield from _text_mentions(doc, key, (key,), old_year, to_year, target)
    for level2, path in _level2_maps(doc.get(INDICATORS)):
        for name, value in level2.items():
            here = (*path, str(name))
            if _names_year(str(name), old_year):
                message = f"指标名称提到 {old_year} 年；请确认是否应改为 {to_year} 年"
                yield _review(_at(level2, name, target), here, message)
            if isinstance(value, str):
                yield from _text_mentions(level2, name, here, old_year, to_year, target)


def _level2_maps(tree: Any) -> Iterator[tuple[CommentedMap, tuple[str, ...]]]:
    """The 二级 mappings of a 绩效指标 tree (which hold 三级: 指标值), with their paths."""
    for level1, level2s in (tree or {}).items() if isinstance(tree, dict) else []:
        for level2, level3s in level2s.items() if isinstance(level2s, dict) else []:
            if isinstance(level3s, CommentedMap):
                yield level3s, (INDICATORS, str(level1), str(level2))


def _text_mentions(
    mapping: CommentedMap,
    key: Any,
    path: tuple[str, ...],
    old_year: int,
    to_year: int,
    target: Path,
) -> Iterator[Finding]:
    """One review note per line of a text that mentions the old year, at the key (as gen check)."""
    for line in mapping[key].splitlines():
        if _names_year(line, old_year):
            message = f"提到 {old_year} 年：“{line.strip()}”；请确认是否应改为 {to_year} 年"
            yield _review(_at(mapping, key, target), path, message)


def _names_year(text: str, year: int) -> bool:
    """Whether a text contains the year as a number of its own (not part of a longer one)."""
    return re.search(rf"(?<![0-9]){year}(?![0-9])", text) is not None


def _review(
    where: Location, path: tuple[str, ...], message: str, code: str = "old-year"
) -> Finding:
    """A review note at a place of the rolled file."""
    return Finding.at(where, ".".join(path), "warning", code, message)


def _at(mapping: CommentedMap, key: Any, target: Path) -> Location:
    """Where `key` of a mapping stands in the rolled file."""
    return Location(target, mapping.lc.key(key)[0] + 1)


def _clear_amounts(doc: Any) -> None:
    """Replace every non-zero amount by a placeholder, so the file cannot be built until revised;
    an amount written as a text ("87.90", 87.90元) too, which gen check would ask to be written
    as the number it was last year."""
    for block, keys in FUND_BLOCKS.items():
        amounts = doc.get(block) if isinstance(doc, dict) else None
        if not isinstance(amounts, dict):
            continue
        for key in keys:
            value = amounts.get(key)
            if _written_text(value) and not isinstance(value, WrittenNull) and not _zero(value):
                # plain: ruamel would put it in the quotes of a "87.90"
                amounts[key] = PlainScalarString(placeholder(key))


def _zero(number: str) -> bool:
    """Whether a number, as written, is zero (0, 0.00, -0); one that is no decimal (.inf) is not."""
    try:
        return Decimal(number) == 0
    except InvalidOperation:
        return False
