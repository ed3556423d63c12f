"""A git repository of the sample projects, and one change of every kind `gen diff` reports."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import SAMPLES

GIT_ENV = {
    "GIT_AUTHOR_NAME": "审核测试",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "审核测试",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2026-01-05T09:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-01-05T09:00:00+08:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

SECURITY = "projects/平安办/安保经费.yaml"
SOCIAL_POINT = "projects/平安办/社工点经费.yaml"
PETITION_DEFAULTS = "projects/信访办/_defaults.yaml"
ADDED = "projects/人才办/人才新项目.yaml"
REMOVED = "projects/人才办/人才活动.yaml"
RENAMED_FROM, RENAMED_TO = "projects/司法所/普法.yaml", "projects/司法所/普法宣传.yaml"

# (file, text as committed, text after the change)
EDITS = [
    # an amount changed (and the total written beside it)
    (
        SECURITY,
        "  项目资金总额: 2035.58\n  财政资金: 2035.58",
        "  项目资金总额: 2100\n  财政资金: 2100",
    ),
    # one value changed, one indicator added below it
    (SECURITY, "特勤安保岗位数: 360岗", "特勤安保岗位数: 380岗"),
    (SECURITY, "交通辅警岗位数: 52岗\n", "交通辅警岗位数: 52岗\n      夜间巡逻岗位数: 20岗\n"),
    # one removed
    (SECURITY, "      缓解警力不足: 有效\n", ""),
    # a goal edited
    (SECURITY, "区域治安长效管理制度建立健全", "区域治安长效管理制度进一步健全"),
    # an indicator moved to another 二级: the first row of its 一级 and 二级 groups
    (SOCIAL_POINT, "      预防和减少违法犯罪: 有效\n", ""),
    (
        SOCIAL_POINT,
        "      社工点长效管理机制: 建立健全\n",
        "      社工点长效管理机制: 建立健全\n      预防和减少违法犯罪: 有效\n",
    ),
    # a _defaults.yaml field changed: every project of the folder shows it
    (PETITION_DEFAULTS, "主管部门: 浦江镇人民政府", "主管部门: 浦江镇人民政府办公室"),
]


def git(repo: Path, *arguments: str) -> str:
    """Run git in `repo` with a fixed identity and no user configuration."""
    done = subprocess.run(
        ["git", *arguments],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def sample_repository(folder: Path) -> Path:
    """A repository holding a copy of the sample projects/, committed."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SAMPLES, folder / "projects")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "projects")
    git(folder, "commit", "-q", "-m", "2026 报送")
    return folder


def change_everything(root: Path) -> None:
    """Make every change of EDITS, add, delete and rename a project (below `root`)."""
    for name, before, after in EDITS:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, (name, before)
        path.write_text(text.replace(before, after), encoding="utf-8")
    template = (root / "projects/人才办/人才健康体检.yaml").read_text(encoding="utf-8")
    (root / ADDED).write_text(
        template.replace("项目名称: 人才健康体检", "项目名称: 人才新项目"), encoding="utf-8"
    )
    (root / REMOVED).unlink()
    (root / RENAMED_FROM).rename(root / RENAMED_TO)
