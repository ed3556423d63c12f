"""The CI configurations in docs/在合并请求中检查.md are valid YAML and run what the page says."""

from __future__ import annotations

import re

import yaml
from conftest import REPO

PAGE = REPO / "docs" / "在合并请求中检查.md"


def _configurations() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    return [yaml.safe_load(block) for block in blocks]


def _scripts(job: dict) -> str:
    return "\n".join(job.get("script", []))


def test_gitlab_job_checks_and_diffs_merge_requests_and_builds_main():
    gitlab = _configurations()[0]
    assert gitlab["variables"]["GIT_DEPTH"] == 0
    check, diff, build = gitlab["检查"], gitlab["改动清单和修订稿"], gitlab["生成表格"]
    assert "gen check projects/ --format gitlab > gl-code-quality-report.json" in _scripts(check)
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert check["artifacts"]["when"] == "always"
    assert '"$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD projects/ --docx 修订稿.docx' in _scripts(diff)
    assert diff["artifacts"]["paths"] == ["改动.txt", "修订稿.docx"]
    for job in (check, diff):
        assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert build["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "gen build projects/" in _scripts(build)
    assert {job["stage"] for job in (check, diff, build)} <= set(gitlab["stages"])


def test_github_workflow_checks_and_diffs_pull_requests_and_builds_main():
    github = _configurations()[1]
    assert set(github[True]) == {"pull_request", "push"}  # YAML 1.1 reads the key `on` as true
    review, build = github["jobs"]["review"], github["jobs"]["build"]
    runs = [step.get("run", "") for step in review["steps"]]
    assert "gen check projects/ --format github" in runs
    assert any('"${{ github.event.pull_request.base.sha }}" HEAD' in run for run in runs)
    assert review["steps"][0]["with"]["fetch-depth"] == 0
    upload = review["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact") and upload["if"] == "always()"
    assert upload["with"]["path"].split() == ["改动.txt", "修订稿.docx"]
    assert any("gen build projects/" in step.get("run", "") for step in build["steps"])
    assert re.fullmatch(r"[A-Za-z0-9_-]+", "".join(github["jobs"]))  # GitHub's rule for job ids
