"""gen check --format github / gitlab on the faithful corpus: every finding present, GitHub's
escaping rules, GitLab's documented fields, fingerprints that stay the same."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from conftest import CORPUS

from gen.build import check
from gen.cli import main
from gen.errors import Finding
from gen.review.ci import escape_data, escape_property, github_command

# The fields GitLab documents for a Code Quality report (docs.gitlab.com, "Code Quality report
# format"): all of them required here, severity one of GitLab's five.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def run_check(folder: Path, *arguments: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        return CliRunner().invoke(main, ["check", *arguments])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the faithful corpus, in a folder of its own (run from its parent)."""
    shutil.copytree(CORPUS, tmp_path / "corpus", ignore=shutil.ignore_patterns("*.md"))
    return tmp_path


def _findings(folder: Path) -> list[Finding]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        return check([Path("corpus")]).findings


def _unescape(text: str) -> str:
    return (
        text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
    ).replace("%25", "%")


_COMMAND = re.compile(r"::(error|warning) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::(.*)")


def test_github_has_every_finding_of_the_corpus(corpus):
    findings = _findings(corpus)
    result = run_check(corpus, "corpus", "--format", "github")
    assert result.exit_code == 1  # as gen check: the corpus keeps one form's missing 项目类别
    assert result.stderr == "已检查 33 个项目，失败 1 个，有警告 12 个\n"
    lines = result.stdout.splitlines()
    assert len(lines) == len(findings) == 29
    parsed = []
    for line in lines:
        match = _COMMAND.fullmatch(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match[2].split(","))
        parsed.append(
            (
                match[1],
                _unescape(properties["file"]),
                int(properties.get("line", 0)),
                _unescape(properties["title"]),
                _unescape(match[3]),
            )
        )
    assert parsed == [
        (f.level, f.file.as_posix(), f.line, f.path or "gen check", f.message) for f in findings
    ]


def test_github_escapes_as_its_toolkit_does():
    assert escape_data("100%\r\n完成: a,b") == "100%25%0D%0A完成: a,b"
    assert escape_property("a%b:c,d\ne") == "a%25b%3Ac%2Cd%0Ae"
    finding = Finding(
        Path("projects/a,b:c.yaml"), 7, "绩效指标.数量:指标", "warning", "x", "50%，\n换行"
    )
    assert finding.message == "50%，\\n换行"  # a finding is always one line
    assert github_command(finding) == (
        "::warning file=projects/a%2Cb%3Ac.yaml,line=7,title=绩效指标.数量%3A指标::50%25，\\n换行"
    )


def test_github_leaves_out_the_line_of_a_finding_about_a_whole_file():
    finding = Finding(Path("projects/a.yaml"), 0, "", "error", "write-failed", "无法写入")
    assert github_command(finding) == "::error file=projects/a.yaml,title=gen check::无法写入"


def test_gitlab_report_has_every_finding_with_the_documented_fields(corpus):
    findings = _findings(corpus)
    result = run_check(corpus, "corpus", "--format", "gitlab")
    assert result.exit_code == 1
    assert result.stderr == "已检查 33 个项目，失败 1 个，有警告 12 个\n"
    issues = json.loads(result.stdout)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert [
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], i["severity"])
        for i in issues
    ] == [(f.code, f.file.as_posix(), f.line, "major" if f.is_error else "minor") for f in findings]
    assert [i["description"] for i in issues] == [f"{f.path}: {f.message}" for f in findings]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_stay_the_same_across_runs_and_unrelated_edits(corpus):
    first = json.loads(run_check(corpus, "corpus", "--format", "gitlab").stdout)
    second = json.loads(run_check(corpus, "corpus", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    for name in (
        "02.yaml",
        "11.yaml",
        "24.yaml",
    ):  # lines added above the findings and their quotes
        path = corpus / "corpus" / name
        path.write_text("# 审核意见：已核对\n# 第二行注释\n" + path.read_text("utf-8"), "utf-8")
    moved = json.loads(run_check(corpus, "corpus", "--format", "gitlab").stdout)
    assert [i["location"]["lines"]["begin"] for i in moved] != [
        i["location"]["lines"]["begin"] for i in first
    ]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]


def test_two_identical_findings_in_a_file_get_two_fingerprints():
    from gen.review.ci import gitlab_issues

    same = Finding(Path("a.yaml"), 3, "绩效指标", "warning", "x", "同一条")
    issues = gitlab_issues([same, Finding(Path("a.yaml"), 9, "绩效指标", "warning", "x", "同一条")])
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert gitlab_issues([same])[0]["fingerprint"] == issues[0]["fingerprint"]


def test_clean_projects_give_no_command_and_an_empty_report(tmp_path):
    from conftest import SAMPLES

    shutil.copytree(SAMPLES, tmp_path / "projects")
    github = run_check(tmp_path, "--format", "github")
    assert (github.exit_code, github.stdout) == (0, "")
    gitlab = run_check(tmp_path, "--format", "gitlab")
    assert (gitlab.exit_code, json.loads(gitlab.stdout)) == (0, [])
