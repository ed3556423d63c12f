"""Findings as CI systems show them on a merge request: GitHub Actions workflow commands
(annotations on the changed lines) and a GitLab Code Quality report."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from gen.errors import Finding

SEVERITY = {
    "error": "major",
    "warning": "minor",
}  # GitLab's scale: info minor major critical blocker
_LINE_IN_MESSAGE = re.compile(r"第 \d+ 行|(?<=\.yaml):\d+|(?<=\.yml):\d+")


def ci_report(fmt: str, findings: Sequence[Finding]) -> str:
    """The findings for "github" (workflow commands, one a line) or "gitlab" (Code Quality)."""
    if fmt == "gitlab":
        return gitlab_report(findings) + "\n"
    return "".join(f"{command}\n" for command in github_commands(findings))


# ---------------------------------------------------------------- GitHub Actions


def github_commands(findings: Iterable[Finding]) -> list[str]:
    """One `::error …::…` or `::warning …::…` workflow command per finding."""
    return [github_command(finding) for finding in findings]


def github_command(finding: Finding) -> str:
    """A finding as a workflow command: file, line (when known), the YAML path as title."""
    properties = [("file", finding.file.as_posix())]
    if finding.line:
        properties.append(("line", str(finding.line)))
    properties.append(("title", finding.path or "gen check"))
    listed = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{finding.level} {listed}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    """A command's message: %, CR and LF escaped (GitHub's toolkit, command.ts)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as a message, and ':' and ',' escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# ---------------------------------------------------------------- GitLab Code Quality


def gitlab_report(findings: Sequence[Finding]) -> str:
    """A GitLab Code Quality report (JSON): one issue per finding."""
    return json.dumps(gitlab_issues(findings), ensure_ascii=False, indent=2)


def gitlab_issues(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """The report's issues, each with the fields GitLab documents."""
    seen: Counter[tuple[str, ...]] = Counter()
    issues: list[dict[str, object]] = []
    for finding in findings:
        identity = _identity(finding)
        seen[identity] += 1
        description = f"{finding.path}: {finding.message}" if finding.path else finding.message
        issues.append(
            {
                "description": description,
                "check_name": finding.code,
                "fingerprint": fingerprint(identity, seen[identity]),
                "severity": SEVERITY[finding.level],
                "location": {
                    "path": finding.file.as_posix(),
                    "lines": {"begin": max(finding.line, 1)},
                },
            }
        )
    return issues


def _identity(finding: Finding) -> tuple[str, ...]:
    """What makes a finding the same finding in the next pipeline: file, check, YAML path and
    message — not its line, so that a line added above it does not make it look new (GitLab
    compares fingerprints to tell new findings from fixed ones); line numbers quoted in the
    message are left out for the same reason."""
    message = _LINE_IN_MESSAGE.sub("", finding.message)
    return (finding.file.as_posix(), finding.code, finding.path, message)


def fingerprint(identity: tuple[str, ...], occurrence: int) -> str:
    """A stable hash of a finding's identity; the n-th identical finding of a file gets its own
    (GitLab shows only one issue per fingerprint)."""
    text = "\0".join([*identity, str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
