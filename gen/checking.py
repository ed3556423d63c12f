"""Checking projects: one project through load → schema → rules, then the checks across projects."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gen.errors import Finding
from gen.load import Loader, Source
from gen.report import ProjectResult
from gen.rules import check_copies, check_project
from gen.schema import validate
from gen.state import Digest


class TreeLoader(Loader):
    """A Loader for one check or build of a tree: each folder's _defaults.yaml files are found once."""

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(root)
        self._found: dict[Path, list[Path]] = {}

    def defaults_files(self, path: Path) -> list[Path]:
        """The _defaults.yaml files that apply to `path` (shared by its folder's projects)."""
        folder = path.parent
        if folder not in self._found:
            self._found[folder] = super().defaults_files(path)
        return self._found[folder]


def checked_project(
    path: Path, loader: Loader
) -> tuple[list[Finding], Source | None, dict[str, Any] | None]:
    """Load, validate and rule-check one project: its findings, source and validated document."""
    source, findings = loader.load(path)
    if source is None:
        return findings, None, None
    doc, found = validate(source)
    findings = findings + found
    if doc is not None:
        findings += check_project(source, doc)
    return findings, source, doc


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
