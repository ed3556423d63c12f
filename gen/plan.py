"""One project's way through a build: checked (or taken from the state), then rendered, skipped or refused."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from gen import output
from gen.checking import checked_project
from gen.load import Loader
from gen.others import Given, findings
from gen.report import ProjectResult, Report
from gen.state import Digest, Entry, Fingerprints, State
from gen.workers import OpenElsewhere, Outcome, Task, TemplateFailed, Written, packed

# Options of build() that change what a form contains, hashed with each project's inputs.
# None yet: the 格式 options live in the YAML files and the templates are hashed on their own.
OUTPUT_OPTIONS: dict[str, str] = {}


@dataclass
class Incremental:
    """What makes a build incremental: the last build's state, this build's input hashes."""

    state: State
    force: bool = False  # check and render every project all the same
    inputs: Fingerprints = field(default_factory=lambda: Fingerprints(OUTPUT_OPTIONS))

    def unchanged(self, result: ProjectResult, inputs: str | None) -> Entry | None:
        """The last build's entry of a project, if its inputs have not changed since."""
        if self.force or inputs is None or result.output is None:
            return None
        entry = self.state.get(result.output, result.path)
        return entry if entry is not None and entry.inputs == inputs else None

    def moved(self, result: ProjectResult, entry: Entry) -> None:
        """An unchanged project whose folders were moved (with their output) is here now."""
        project = os.path.abspath(result.path)  # no resolve(): a system call per folder
        if entry.project != project and result.output is not None:
            entry.project = project
            self.state.put(result.output, entry)


class Action(Enum):
    """What a build does with a checked project."""

    RENDER = "render"  # write its form
    SKIP = "skip"  # its inputs and its form are unchanged
    REFUSE = "refuse"  # it failed: its old form is removed


@dataclass
class Step:
    """One project in a check or build: its result, what the state knows of it, what is done."""

    result: ProjectResult
    entry: Entry | None  # its state entry (findings of the project alone); None for check()
    digest: Digest | None  # what the checks across projects compare; None if it did not validate
    cached: bool = False  # the findings came from the state: its inputs did not change
    document: bytes | None = None  # the validated document, packed, until it is rendered
    action: Action = Action.RENDER
    others: Given | None = None  # its 其他栏目 (None: not validated), for the template's rows

    @classmethod
    def checked(cls, result: ProjectResult, loader: Loader, known: Incremental | None) -> Step:
        """Check a project, or take its findings from the state when its inputs are unchanged.

        Without a state (gen check) the result keeps the source and document; a build keeps
        neither, so memory stays flat with the number of projects.
        """
        inputs = data = None
        if known is not None:
            inputs, data = known.inputs.of(loader.defaults_files(result.path), result.path)
            entry = known.unchanged(result, inputs)
            if entry is not None:
                known.moved(result, entry)
                result.findings.extend(entry.findings)
                return cls(result, entry, entry.digest, cached=True, others=entry.others)
        findings, source, doc = checked_project(result.path, loader, data)
        result.findings.extend(findings)
        digest = Digest.of(source, doc) if source is not None and doc is not None else None
        if known is None:
            result.source, result.doc = source, doc
            return cls(result, None, digest)
        others = Given.of(source, doc) if source is not None and doc is not None else None
        project = os.path.abspath(result.path)  # no resolve(): a system call per folder
        entry = Entry(project, inputs, findings, digest, others=others) if inputs else None
        return cls(result, entry, digest, document=packed(doc), others=others)

    def check_rows(self, printed: dict[str, tuple[Path, tuple[str, ...]]]) -> None:
        """Warn of the rows its template prints from 其他栏目 that the project does not give,
        and of the entries it gives that the template does not print; `printed`: per 表样, the
        template and its entries. Only for a project that passed its checks."""
        if self.others is None or self.result.errors or self.others.form not in printed:
            return
        template, entries = printed[self.others.form]
        self.result.findings += findings(self.result.path, self.others, entries, template)

    def decide(self, strict: bool, templates: dict[str, str]) -> None:
        """RENDER, SKIP or REFUSE, once every project is checked."""
        if self.result.failed(strict):
            self.action = Action.REFUSE
        elif self.cached and self._unchanged(templates):
            self.action = Action.SKIP
            self.result.skipped = True
        else:
            self.action = Action.RENDER

    def _unchanged(self, templates: dict[str, str]) -> bool:
        """Whether a cached project's form was written from the same template and is still there."""
        entry, form = self.entry, self.result.output
        assert entry is not None and form is not None
        fresh = entry.template != "" and entry.template == templates.get(entry.form)
        return fresh and entry.output_matches(form)

    def task(self, loader: Loader) -> Task:
        """What a render process needs: the packed document (read again if cached) and the form."""
        document, self.document = self.document, None  # handed over: kept nowhere else
        if document is None:
            document = packed(checked_project(self.result.path, loader)[2])
        assert self.result.output is not None
        return document, self.result.output

    def record(
        self, outcome: Outcome, templates: dict[str, str], state: State, report: Report
    ) -> None:
        """Note a rendered form (or why it could not be written) in the report and the state.

        A form that could not be rendered or written loses its earlier version, as a project
        that fails its checks does: output/ never keeps a form that no longer matches.
        """
        form = self.result.output
        assert form is not None
        if not isinstance(outcome, Written):
            if isinstance(outcome, TemplateFailed):
                report.add_template_failure(self.result, outcome.message)
            else:
                report.add_failure(
                    self.result, outcome if isinstance(outcome, str) else outcome.message
                )
            state.drop(form)
            _remove_old_form(self.result, report, held_open=isinstance(outcome, OpenElsewhere))
            return
        self.result.built = True
        report.built_forms[outcome.form] = report.built_forms.get(outcome.form, 0) + 1
        # the PDF beside it shows the old form when the form changed, on disk or since the state
        # was written (a PDF that could not be removed then is tried again now)
        recorded = state.written_sha256(form)
        changed = outcome.replaced != outcome.sha256 or recorded not in ("", outcome.sha256)
        if changed and not _remove_outdated_pdf(form, report):
            return  # the state keeps the old form's hash: the next build tries again
        if self.entry is not None:
            self.entry.form, self.entry.template = outcome.form, templates.get(outcome.form, "")
            self.entry.size, self.entry.sha256 = outcome.size, outcome.sha256
            state.put(form, self.entry)

    def refuse(self, state: State, report: Report) -> None:
        """A project that failed: remove its earlier form; remember its findings."""
        form = self.result.output
        if form is None:
            return  # it would clash with another project's form, which is not its to remove
        _remove_old_form(self.result, report)
        if self.entry is not None and not self.cached:
            state.put(form, self.entry)
        elif self.entry is None:
            state.drop(form)


def _remove_old_form(result: ProjectResult, report: Report, held_open: bool = False) -> None:
    """Delete a failed project's earlier form and its PDF; each that cannot go is its error.

    `held_open`: the form could not be written as another program has it open, which is said
    already: that it cannot be deleted, for that reason, is not said again.
    """
    assert result.output is not None
    removal = output.remove_form(result.output)
    report.removed += removal.removed
    for failed in removal.failed:
        if held_open and failed.path == result.output:
            continue
        advice = "" if failed.held_open else "；这张旧表格与项目文件不符，请手动删除它"
        report.add_failure(result, failed.message + advice)


def _remove_outdated_pdf(form: Path, report: Report) -> bool:
    """Delete the PDF of a form that has just changed: it shows the old form. False if it stays."""
    pdf = form.with_suffix(".pdf")
    try:
        if output.remove_output(pdf):
            report.outdated_pdfs.append(pdf)
    except output.RemoveFailed as exc:
        advice = "" if exc.held_open else "；它是按旧表格生成的，请手动删除它，或加 --pdf 重新生成"
        report.problems.append(exc.message + advice)
        return False
    return True


def forget_deleted(report: Report, state: State, clean: bool) -> None:
    """Forms whose project file was deleted: reported as stale, removed with `clean`.

    A form deleted by hand may have left its PDF behind: that PDF is then what is stale.
    """
    for form in state.orphans(owned={r.output for r in report.results if r.output is not None}):
        if clean:
            _remove_stale_form(form, state, report)
            continue
        there = [path for path in (form, form.with_suffix(".pdf")) if path.exists()]
        report.stale += [path for path in there if path == form]
        report.stale_pdfs += [path for path in there if path != form]  # what --clean removes
        if not there:
            state.drop(form)
    report.cleaned = clean


def _remove_stale_form(form: Path, state: State, report: Report) -> None:
    """Delete a form whose project file was deleted, and its PDF; forget it once both are gone."""
    removal = output.remove_form(form)
    for failed in removal.failed:
        advice = "" if failed.held_open else "；它的项目文件已不存在，请手动删除它"
        report.problems.append(failed.message + advice)
    if not removal.failed:
        state.drop(form)  # one that stays is tried again by the next build
        output.remove_empty_folders(form.parent, state.out_dir)  # a renamed or deleted folder's
    report.stale += [path for path in removal.removed if path == form]
    report.stale_pdfs += [path for path in removal.removed if path != form]
