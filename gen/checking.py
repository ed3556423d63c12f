"""Checking projects: one project through load → schema → rules, then the checks across projects."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gen.errors import MAX_FINDINGS, Finding, Level
from gen.load import Loader, Source
from gen.report import ProjectResult
from gen.rules import check_copies, check_project
from gen.schema import validate
from gen.state import Digest


class TreeLoader(Loader):
    """A Loader for one check or build of a tree: each folder's _defaults.yaml files are found once."""

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(root)
        self._found: dict[str, list[Path]] = {}

    def defaults_files(self, path: Path) -> list[Path]:
        """The _defaults.yaml files that apply to `path` (shared by its folder's projects)."""
        folder = os.path.dirname(path)  # a str: cheaper to make and look up than path.parent
        if folder not in self._found:
            self._found[folder] = super().defaults_files(path)
        return self._found[folder]


def checked_project(
    path: Path, loader: Loader, data: bytes | None = None
) -> tuple[list[Finding], Source | None, dict[str, Any] | None]:
    """Load, validate and rule-check one project: its findings, source and validated document.

    `data`: the project file's bytes, if read already (load.read_file).

    This is the boundary of one project: any exception in it becomes the project's own
    error finding, so a defect shows on the file that triggers it and the others still build.
    """
    try:
        findings, source, doc = _checked_project(path, loader, data)
    except Exception as exc:  # the boundary of one project
        return [Finding.defect(path, exc)], None, None
    return capped(findings), source, doc


def _checked_project(
    path: Path, loader: Loader, data: bytes | None
) -> tuple[list[Finding], Source | None, dict[str, Any] | None]:
    """checked_project, which may raise on a defect."""
    source, findings = loader.load(path, data)
    if source is None:
        return findings, None, None
    doc, found = validate(source)
    findings = findings + found
    if doc is not None:
        findings += check_project(source, doc)
    return findings, source, doc


def capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_FINDINGS findings per file, the first by line; the rest counted in one more."""
    if len(findings) <= MAX_FINDINGS:
        return findings
    by_file: dict[Path, list[Finding]] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        by_file.setdefault(finding.file, []).append(finding)
    kept: list[Finding] = []
    for file, found in by_file.items():
        kept += found[:MAX_FINDINGS]
        rest = found[MAX_FINDINGS:]
        if rest:
            level: Level = "error" if any(f.is_error for f in rest) else "warning"
            message = f"还有 {len(rest)} 处问题未列出；请先改正上面的问题，再运行 gen check"
            kept.append(Finding(file, rest[0].line, "", level, "more-findings", message))
    return kept


def document_of(result: ProjectResult, loader: Loader) -> dict[str, Any] | None:
    """The validated document of a project: the one a check kept, else read again."""
    return result.doc if result.doc is not None else checked_project(result.path, loader)[2]


def check_across(results: Sequence[ProjectResult], digests: Sequence[Digest | None]) -> None:
    """The copy-paste checks across projects, each finding given to the project it is about."""
    owners: dict[tuple[Path, int, str], ProjectResult] = {}
    pairs = []
    for result, digest in zip(results, digests, strict=True):
        if digest is None:
            continue
        pairs.append((digest.source(), digest.marks))
        for name, where in digest.origins.items():
            owners.setdefault((where.file, where.line, name), result)
    by_file = {result.path: result for result in results}
    for finding in check_copies(pairs):
        owner = by_file.get(finding.file) or owners.get((finding.file, finding.line, finding.path))
        (owner or results[0]).findings.append(finding)
