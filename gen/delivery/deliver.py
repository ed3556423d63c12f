"""The submission package after a build: PDFs beside the forms, the book, and the 汇总表."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gen import output
from gen.delivery import PDF_TIMEOUT_SECONDS
from gen.errors import Finding, GenError, error_detail, shown
from gen.report import Report

PdfProgress = Callable[[int, int], None]  # (files done, files in the batch)


@dataclass
class Delivery:
    """What was made beside the forms, and what could not be."""

    pdfs: list[Path] = field(default_factory=list)
    converted: bool = False  # LibreOffice ran (not: it is missing or could not start)
    findings: list[Finding] = field(default_factory=list)  # one per form whose PDF failed
    problems: list[str] = field(default_factory=list)  # whole-run failures, in Chinese
    book: Path | None = None
    summary: Path | None = None
    summary_rows: int = 0
    warnings: list[str] = field(default_factory=list)  # what was made but will not print whole

    @property
    def exit_code(self) -> int:
        return 1 if self.findings or self.problems else 0

    def notes(self, pdf: bool) -> list[str]:
        """One line per thing made, for the end of the build's output."""
        lines = []
        if pdf and self.converted:
            failed = f"，失败 {len(self.findings)} 个" if self.findings else ""
            lines.append(f"PDF：已生成 {len(self.pdfs)} 个{failed}")
        if self.book is not None:
            lines.append(f"合订本：{shown(self.book)}")
        if self.summary is not None:
            lines.append(f"汇总表：{shown(self.summary)}（{self.summary_rows} 个项目）")
        return lines


def built_forms(report: Report) -> list[Path]:
    """The forms on disk for every project that passed, in path order."""
    return [
        r.output
        for r in report.results
        if r.output is not None and not r.failed(report.strict) and r.output.is_file()
    ]


def deliver(
    report: Report,
    *,
    pdf: bool = False,
    book: Path | None = None,
    summary: Path | None = None,
    pdf_timeout: float = PDF_TIMEOUT_SECONDS,
    pdf_progress: PdfProgress | None = None,
    pdf_jobs: int | None = None,
) -> Delivery:
    """Make what was asked for beside a finished build; one failure never stops the others.

    PDFs are made by `pdf_jobs` LibreOffice runs at once (default: one per core); an outdated
    PDF the build removed and this made again leaves `report.outdated_pdfs`. A `book` not named
    .docx or a `summary` not named .xlsx is not written (the command line refuses them sooner).
    """
    delivery = Delivery()
    forms = built_forms(report)
    if book is not None:
        _make_book(forms, book, _form_paths(report), delivery)
    if pdf:
        books = [delivery.book] if delivery.book is not None else []
        _make_pdfs(forms, books, delivery, pdf_timeout, pdf_progress, pdf_jobs)
        made = set(delivery.pdfs)  # an outdated PDF made again is not missing
        report.outdated_pdfs = [path for path in report.outdated_pdfs if path not in made]
    if summary is not None:
        _make_summary(report, summary, delivery)
    return delivery


def _form_paths(report: Report) -> dict[str, Path]:
    """Where the projects' forms go, built this time or not, by _same_name()."""
    return {_same_name(r.output): r.output for r in report.results if r.output is not None}


def _same_name(path: Path) -> str:
    """A path as Windows and macOS tell files apart: letter case aside (a.DOCX is a.docx)."""
    return str(path.resolve()).casefold()


def _make_book(forms: list[Path], path: Path, taken: dict[str, Path], delivery: Delivery) -> None:
    """Write the book of every built form, never over a form or its PDF (`taken`: _form_paths())."""
    from gen.delivery.book import write_book  # docxcompose is loaded only when a book is asked for

    try:
        output.check_suffix(path, "合订本")
        form = taken.get(_same_name(path))
        if form is not None and path.resolve() == form.resolve():
            raise GenError(
                f"{shown(path)} 是一个项目的表格，合订本会覆盖它；请给合订本另起一个文件名"
            )
        if form is not None:
            raise GenError(
                f"{shown(path)} 与项目的表格 {shown(form)} 只差字母大小写，在 Windows 和 macOS 上是同一个文件，"
                "它们的 PDF 也会互相覆盖；请给合订本另起一个文件名"
            )
    except GenError as exc:
        delivery.problems.append(f"未生成合订本：{exc.message}")
        return
    try:
        write_book(forms, path)
    except output.WriteFailed as exc:  # made, not written: the book there may be the same
        delivery.problems.append(f"未生成合订本：{exc.message}")
    except GenError as exc:  # no form to bind, or one that cannot be read
        delivery.problems.append(f"未生成合订本：{exc.message}{_outdated_book(path)}")
    except Exception as exc:  # a form docxcompose cannot join: the other deliverables still come
        problem = f"合订时出现意外错误（{error_detail(exc)}）"
        delivery.problems.append(f"未生成合订本：{problem}{_outdated_book(path)}")
    else:
        delivery.book = path


def _outdated_book(path: Path) -> str:
    """Delete the book (and its PDF) an earlier build wrote there: it holds what no longer is."""
    from gen.ooxml import made_by_gen  # lxml: only when a book could not be made

    if not made_by_gen(path):
        return ""  # not a book of gen's: the user's file, which this one would have replaced
    said = output.remove_outdated(path)
    if path.exists():
        return said  # kept (read-only, or in use): so is its PDF
    return said + output.remove_outdated(path.with_suffix(".pdf"))


def _make_pdfs(
    forms: list[Path],
    books: list[Path],
    delivery: Delivery,
    timeout: float,
    progress: PdfProgress | None,
    jobs: int | None,
) -> None:
    """Convert every form and book, one LibreOffice per core; report per file what did not convert.

    A book's PDF is named after a file the user named: a read-only one is kept, as the book is.
    """
    from gen.delivery.pdf import convert  # subprocess only when PDFs are made

    pairs = [(file, file.with_suffix(".pdf")) for file in [*forms, *books]]
    named = {book.with_suffix(".pdf") for book in books}
    tick = None if progress is None else (lambda done: progress(done, len(pairs)))
    try:
        result = convert(pairs, timeout=timeout, progress=tick, jobs=jobs, named=named)
    except GenError as exc:
        delivery.problems.append(f"{exc.message}（.docx 表格已生成）")
        return
    except Exception as exc:  # never a traceback: the forms are built all the same
        delivery.problems.append(
            f"转换 PDF 时出现意外错误（{error_detail(exc)}）；.docx 表格已生成"
        )
        return
    delivery.pdfs, delivery.converted = result.written, True
    if result.timed_out:
        delivery.problems.append(
            f"LibreOffice 转换 PDF 时超过 {timeout:g} 秒没有进展，已停止；"
            "可用 --pdf-timeout 加长时限后重试"
        )
    for docx, reason in result.failed.items():
        delivery.findings.append(Finding(docx, 0, "", "error", "pdf-failed", reason))


def _make_summary(report: Report, path: Path, delivery: Delivery) -> None:
    """Write the 汇总表 of every project that passed."""
    from gen.delivery.summary import (  # openpyxl is loaded only when asked
        summary_rows,
        write_summary,
    )

    try:
        output.check_suffix(path, "汇总表")
        rows = summary_rows(report.results, report.strict)
        cut = write_summary(rows, path)
    except GenError as exc:  # output.WriteFailed
        delivery.problems.append(f"未生成汇总表：{exc.message}")
    except Exception as exc:  # never a traceback: the forms are built all the same
        delivery.problems.append(f"未生成汇总表：汇总时出现意外错误（{error_detail(exc)}）")
    else:
        delivery.summary, delivery.summary_rows = path, len(rows)
        delivery.warnings += [f"{shown(path)}: 警告: {line}" for line in cut]
