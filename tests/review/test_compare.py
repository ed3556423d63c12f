"""gen diff on the sample repository with one change of every kind: exactly these changes are
reported and nothing else — working tree against HEAD, two commits, and two folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GOOD_PROJECT, SAMPLES
from scenario import change_everything, git, sample_repository

from gen.cli import main


def _indicator(level1: str, level2: str, name: str, value: str) -> dict[str, str]:
    return {"一级": level1, "二级": level2, "三级": name, "值": value}


def _project(status: str, old: str | None, new: str | None, name: str, unit: str, **extra):
    return {
        "status": status,
        "path": new or old,
        "old_path": old,
        "new_path": new,
        "renamed": old is not None and new is not None and old != new,
        "name": name,
        "unit": unit,
        "amount_unit": "万元",
        "errors": {"old": [], "new": []},
        "outline": extra.get("outline"),
        "changes": extra.get("changes", []),
    }


TALENT, PETITION = "浦江镇党建工作办公室（人才）条线", "浦江镇信访办"
SAFETY, JUSTICE = "闵行区浦江镇平安建设办公室", "浦江镇司法所"
MOVED_FROM = "主管部门"
DEPARTMENT_CHANGE = {
    "kind": "field",
    "path": "主管部门",
    "old": "浦江镇人民政府",
    "new": "浦江镇人民政府办公室",
}
EXPECTED_PROJECTS = [
    _project("added", None, "projects/人才办/人才新项目.yaml", "人才新项目", TALENT,
             outline={"项目资金总额": "33", "年度资金申请总额": "33", "指标数": 5}),
    _project("removed", "projects/人才办/人才活动.yaml", None, "人才活动", TALENT,
             outline={"项目资金总额": "42", "年度资金申请总额": "42", "指标数": 5}),
    _project("changed", "projects/信访办/信访代理员经费.yaml", "projects/信访办/信访代理员经费.yaml",
             "信访代理员经费", PETITION, changes=[DEPARTMENT_CHANGE]),
    _project("changed", "projects/信访办/劝导队经费.yaml", "projects/信访办/劝导队经费.yaml",
             "劝导队经费", PETITION, changes=[DEPARTMENT_CHANGE]),
    _project("changed", "projects/司法所/普法.yaml", "projects/司法所/普法宣传.yaml", "普法", JUSTICE),
    _project("changed", "projects/平安办/安保经费.yaml", "projects/平安办/安保经费.yaml", "安保经费",
             SAFETY, changes=[
        {"kind": "amount", "path": "项目资金.项目资金总额", "old": "2035.58", "new": "2100",
         "difference": "64.42", "percent": "3.16"},
        {"kind": "amount", "path": "项目资金.财政资金", "old": "2035.58", "new": "2100",
         "difference": "64.42", "percent": "3.16"},
        {"kind": "text", "path": "年度总体目标", "old": "区域治安长效管理制度建立健全",
         "new": "区域治安长效管理制度进一步健全", "marked": "区域治安长效管理制度[-建立-]{+进一步+}健全"},
        {"kind": "indicator", "change": "changed",
         "old": _indicator("产出指标", "数量指标", "特勤安保岗位数", "360岗"),
         "new": _indicator("产出指标", "数量指标", "特勤安保岗位数", "380岗")},
        {"kind": "indicator", "change": "added", "old": None,
         "new": _indicator("产出指标", "数量指标", "夜间巡逻岗位数", "20岗")},
        {"kind": "indicator", "change": "removed",
         "old": _indicator("效益指标", "社会效益指标", "缓解警力不足", "有效"), "new": None},
    ]),
    _project("changed", "projects/平安办/社工点经费.yaml", "projects/平安办/社工点经费.yaml", "社工点经费",
             SAFETY, changes=[
        {"kind": "indicator", "change": "moved",
         "old": _indicator("效益指标", "社会效益指标", "预防和减少违法犯罪", "有效"),
         "new": _indicator("效益指标", "可持续影响指标", "预防和减少违法犯罪", "有效")},
    ]),
]  # fmt: skip


def _total(unit: str, old: str, new: str, difference: str, percent: str) -> dict[str, str]:
    return {"unit": unit, "old": old, "new": new, "difference": difference, "percent": percent}


UNCHANGED = [
    _total(PETITION, "77.0744", "77.0744", "0", "0.00"),
    _total("浦江镇社区党群服务中心", "3472.66", "3472.66", "0", "0.00"),
    _total(JUSTICE, "285.74", "285.74", "0", "0.00"),
]
EXPECTED_SUMMARY = {
    "added": 1,
    "removed": 1,
    "changed": 5,
    "renamed": 1,
    "amount_unit": "万元",
    "totals": {
        "项目资金总额": [
            _total(TALENT, "175", "166", "-9", "-5.14"),
            *UNCHANGED,
            _total(SAFETY, "3647.8004", "3712.2204", "64.42", "1.77"),
            _total("合计", "7658.2748", "7713.6948", "55.42", "0.72"),
        ],
        "年度资金申请总额": [
            _total(TALENT, "175", "166", "-9", "-5.14"),
            *UNCHANGED,
            _total(SAFETY, "3647.8004", "3647.8004", "0", "0.00"),
            _total("合计", "7658.2748", "7649.2748", "-9", "-0.12"),
        ],
    },
    "left_out": {"old": 0, "new": 0},
}

EXPECTED_TEXT = """\
比较：HEAD → 工作区（projects）

新增 projects/人才办/人才新项目.yaml（人才新项目 · 浦江镇党建工作办公室（人才）条线）
  项目资金总额 33 万元，年度资金申请总额 33 万元，指标 5 个
删除 projects/人才办/人才活动.yaml（人才活动 · 浦江镇党建工作办公室（人才）条线）
  项目资金总额 42 万元，年度资金申请总额 42 万元，指标 5 个
修改 projects/信访办/信访代理员经费.yaml（信访代理员经费 · 浦江镇信访办）
  主管部门: 浦江镇人民政府 → 浦江镇人民政府办公室
修改 projects/信访办/劝导队经费.yaml（劝导队经费 · 浦江镇信访办）
  主管部门: 浦江镇人民政府 → 浦江镇人民政府办公室
修改 projects/司法所/普法宣传.yaml（普法 · 浦江镇司法所；原文件 projects/司法所/普法.yaml）
  内容未变（只是文件改名或移动）
修改 projects/平安办/安保经费.yaml（安保经费 · 闵行区浦江镇平安建设办公室）
  项目资金.项目资金总额: 2035.58 → 2100（+64.42，+3.16%）
  项目资金.财政资金: 2035.58 → 2100（+64.42，+3.16%）
  年度总体目标: 区域治安长效管理制度[-建立-]{+进一步+}健全
  绩效指标 修改: 产出指标 / 数量指标 / 特勤安保岗位数: 360岗 → 380岗
  绩效指标 新增: 产出指标 / 数量指标 / 夜间巡逻岗位数: 20岗
  绩效指标 删除: 效益指标 / 社会效益指标 / 缓解警力不足: 有效
修改 projects/平安办/社工点经费.yaml（社工点经费 · 闵行区浦江镇平安建设办公室）
  绩效指标 移动: 效益指标 / 社会效益指标 / 预防和减少违法犯罪 → 效益指标 / 可持续影响指标 / 预防和减少违法犯罪: 有效

改动：新增 1 个项目，删除 1 个，修改 5 个（其中改名或移动 1 个）
项目资金总额（万元）:
  浦江镇党建工作办公室（人才）条线: 175 → 166（-9，-5.14%）
  浦江镇信访办: 77.0744（未变）
  浦江镇社区党群服务中心: 3472.66（未变）
  浦江镇司法所: 285.74（未变）
  闵行区浦江镇平安建设办公室: 3647.8004 → 3712.2204（+64.42，+1.77%）
  合计: 7658.2748 → 7713.6948（+55.42，+0.72%）
年度资金申请总额（万元）:
  浦江镇党建工作办公室（人才）条线: 175 → 166（-9，-5.14%）
  浦江镇信访办: 77.0744（未变）
  浦江镇社区党群服务中心: 3472.66（未变）
  浦江镇司法所: 285.74（未变）
  闵行区浦江镇平安建设办公室: 3647.8004（未变）
  合计: 7658.2748 → 7649.2748（-9，-0.12%）
"""


def run_diff(folder: Path, *arguments: str) -> Result:
    """gen diff run in `folder`; it must succeed (exit code 0, changes or not)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(main, ["diff", *arguments])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository, every change made in its working tree and not committed."""
    repo = sample_repository(tmp_path_factory.mktemp("compare") / "repo")
    change_everything(repo)
    return repo


def test_working_tree_against_head_reports_exactly_the_changes(repo):
    data = json.loads(run_diff(repo, "--format", "json").stdout)
    assert (data["old"], data["new"], data["paths"]) == ("HEAD", "工作区", ["projects"])
    assert data["projects"] == EXPECTED_PROJECTS
    assert data["summary"] == EXPECTED_SUMMARY


def test_the_text_says_the_same_line_by_line(repo):
    result = run_diff(repo)
    assert result.stdout.splitlines() == EXPECTED_TEXT.splitlines()
    assert result.stderr == ""


def test_two_commits_report_the_same_changes(repo, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    git(copy, "add", "-A", "projects")
    git(copy, "commit", "-q", "-m", "2027 改动")
    data = json.loads(run_diff(copy, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert (data["old"], data["new"]) == ("HEAD~1", "HEAD")
    assert data["projects"] == EXPECTED_PROJECTS
    assert data["summary"] == EXPECTED_SUMMARY
    text = run_diff(copy, "HEAD~1", "HEAD").stdout.splitlines()
    assert text == EXPECTED_TEXT.replace("HEAD → 工作区", "HEAD~1 → HEAD").splitlines()
    assert json.loads(run_diff(copy, "--format", "json").stdout)["projects"] == []


def test_two_folders_report_the_same_changes(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "2026/projects")
    shutil.copytree(SAMPLES, tmp_path / "2027/projects")
    change_everything(tmp_path / "2027")
    result = run_diff(tmp_path, "2026/projects", "2027/projects", "--format", "json")
    data = json.loads(
        result.stdout.replace('"2026/projects/', '"projects/').replace(
            '"2027/projects/', '"projects/'
        )
    )
    assert (data["old"], data["new"], data["paths"]) == ("2026/projects", "2027/projects", ["."])
    assert data["projects"] == EXPECTED_PROJECTS
    assert data["summary"] == EXPECTED_SUMMARY
    text = run_diff(tmp_path, "2026/projects", "2027/projects").stdout
    expected = EXPECTED_TEXT.replace("HEAD → 工作区（projects）", "2026/projects → 2027/projects")
    expected = expected.replace("新增 projects/", "新增 2027/projects/").replace(
        "修改 projects/", "修改 2027/projects/"
    )
    expected = expected.replace("删除 projects/", "删除 2026/projects/").replace(
        "原文件 projects/", "原文件 2026/projects/"
    )
    assert text.splitlines() == expected.splitlines()


def test_a_path_limits_the_projects_and_defaults_above_it_still_apply(repo, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    top = copy / "projects/_defaults.yaml"
    top.write_text(top.read_text(encoding="utf-8").replace("年度: 2026", "年度: 2027"), "utf-8")
    data = json.loads(run_diff(copy, "HEAD", "projects/信访办", "--format", "json").stdout)
    assert [p["path"] for p in data["projects"]] == [
        "projects/信访办/信访代理员经费.yaml",
        "projects/信访办/劝导队经费.yaml",
    ]
    assert [c["path"] for c in data["projects"][0]["changes"]] == ["年度", "主管部门"]


def test_run_from_a_subfolder_names_files_from_there(repo):
    result = run_diff(repo / "projects", "HEAD", "信访办")
    assert result.stdout.splitlines()[:3] == [
        "比较：HEAD → 工作区（projects/信访办）",
        "",
        "修改 信访办/信访代理员经费.yaml（信访代理员经费 · 浦江镇信访办）",
    ]


def test_a_path_given_twice_is_named_once(repo):
    result = run_diff(repo / "projects", "HEAD", "信访办", "信访办/")
    assert result.stdout.splitlines()[0] == "比较：HEAD → 工作区（projects/信访办）"
    assert result.stdout.count("修改 信访办/信访代理员经费.yaml") == 1


# ---------------------------------------------------------------- smaller cases, two folders


def diff_folders(tmp_path: Path, old: dict[str, str], new: dict[str, str]) -> dict:
    """gen diff --format json of two folders holding the given files."""
    for folder, files in (("old", old), ("new", new)):
        (tmp_path / folder).mkdir()
        for name, text in files.items():
            path = tmp_path / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return json.loads(run_diff(tmp_path, "old", "new", "--format", "json").stdout)


def test_from_zero_there_is_no_percentage(tmp_path):
    new = GOOD_PROJECT.replace(
        "  上年结转资金: 0\n  其他资金: 0\n", "  上年结转资金: 5\n  其他资金: 0\n"
    )
    new = new.replace("  年度资金申请总额: 3082.53", "  年度资金申请总额: 3087.53")
    changes = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": new})["projects"][0]["changes"]  # fmt: skip
    assert changes == [
        {"kind": "amount", "path": "年度资金.年度资金申请总额", "old": "3082.53", "new": "3087.53",
         "difference": "5", "percent": "0.16"},
        {"kind": "amount", "path": "年度资金.上年结转资金", "old": "0", "new": "5",
         "difference": "5", "percent": None},
    ]  # fmt: skip
    text = run_diff(tmp_path, "old", "new").stdout
    assert "  年度资金.上年结转资金: 0 → 5（+5，新增）" in text.splitlines()


def test_amounts_written_differently_but_equal_are_no_change(tmp_path):
    new = GOOD_PROJECT.replace("3082.53", "3082.530")
    assert diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": new})["projects"] == []
    assert "没有改动。" in run_diff(tmp_path, "old", "new").stdout.splitlines()


def test_a_moved_file_with_changes_is_matched_by_name_and_unit(tmp_path):
    new = GOOD_PROJECT.replace("社工数量: 118人", "社工数量: 120人")
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"b/c.yaml": new})
    assert [(p["status"], p["old_path"], p["new_path"]) for p in data["projects"]] == [
        ("changed", "old/a.yaml", "new/b/c.yaml")
    ]
    assert data["projects"][0]["changes"][0]["change"] == "changed"


def test_two_files_of_the_same_name_and_unit_are_not_guessed(tmp_path):
    data = diff_folders(
        tmp_path, {"a.yaml": GOOD_PROJECT, "b.yaml": GOOD_PROJECT}, {"c.yaml": GOOD_PROJECT}
    )
    statuses = [(p["status"], p["path"]) for p in data["projects"]]
    assert statuses == [("removed", "old/a.yaml"), ("removed", "old/b.yaml"), ("added", "new/c.yaml")]  # fmt: skip


def test_goal_paragraphs_are_marked_word_by_word(tmp_path):
    new = GOOD_PROJECT.replace(
        "  保障公用经费的正常支出。\n", "  保障公用经费按季度支出。\n  另起一段。\n"
    )
    change = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": new})["projects"][0]["changes"][0]  # fmt: skip
    assert (
        change["marked"]
        == "保障社工工资福利的正常支出。\n保障公用经费[-的正常-]{+按季度+}支出。{+\n另起一段。+}"
    )
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[3:6] == [
        "  年度总体目标: 保障社工工资福利的正常支出。",
        "    保障公用经费[-的正常-]{+按季度+}支出。{+",
        "    另起一段。+}",
    ]


def test_a_version_with_errors_is_compared_as_far_as_it_can_be_read(tmp_path):
    broken = GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千").replace(
        "社工数量: 118人", "社工数量: 120人"
    )
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": broken})
    project = data["projects"][0]
    assert project["errors"]["new"] == [
        {"file": "new/a.yaml", "line": 11, "path": "项目资金.财政资金", "level": "error",
         "code": "wrong-type", "message": '应为数字，实际为“三千”'},
    ]  # fmt: skip
    assert [c["path"] if c["kind"] != "indicator" else c["change"] for c in project["changes"]] == [
        "changed"
    ]
    assert data["summary"]["left_out"] == {"old": 0, "new": 1}
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[2:6] == [
        "修改 new/a.yaml（社工 · 浦江镇社区党群服务中心）",
        "  注意：新版本（new）有错误，只比较了能读出的内容：",
        "    new/a.yaml:11: 项目资金.财政资金: 应为数字，实际为“三千”",
        "  绩效指标 修改: 产出指标 / 数量指标 / 社工数量: 118人 → 120人",
    ]
    assert text[-1] == "（有错误的项目不计入合计：old 0 个，new 1 个）"
    # the unit's total falls to 0 for the error, not for a cut: its line says so
    assert (
        "  浦江镇社区党群服务中心: 3082.53 → 0（-3082.53，-100.00%；new 1 个项目有错误，未计入）"
        in text
    )
    assert "  合计: 3082.53 → 0（-3082.53，-100.00%；new 1 个项目有错误，未计入）" in text


def test_a_file_that_cannot_be_read_is_still_listed(tmp_path):
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": "项目名称：社工\n"})
    project = data["projects"][0]
    assert project["status"] == "changed" and project["changes"] == []
    assert project["errors"]["new"][0]["code"] == "not-mapping"
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[3] == "  注意：新版本（new）有错误，无法逐项比较："


def test_a_line_break_in_a_value_continues_its_entry_and_a_control_character_is_named(tmp_path):
    """A value may hold a line break (the cell prints two lines): in the listing the rest is
    indented under its entry, not at the margin where it reads as an entry of its own. A
    control character (an error, listed above) is written out, not sent to the terminal."""
    new = GOOD_PROJECT.replace("社工数量: 118人", '社工数量: "118人\\n其中专职90人"').replace(
        "      资金支付及时性: 每月", '      "资金支付\\n及时性": "每\\x07月"'
    )
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": new})
    assert data["projects"][0]["changes"][0]["new"]["值"] == "118人\n其中专职90人"  # JSON: as is
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[5:11] == [
        "  绩效指标 修改: 产出指标 / 数量指标 / 社工数量: 118人 → 118人",
        "    其中专职90人",
        "  绩效指标 新增: 产出指标 / 时效指标 / 资金支付",
        "    及时性: 每\\u0007月",
        "  绩效指标 删除: 产出指标 / 时效指标 / 资金支付及时性: 每月",
        "",
    ]


def test_a_project_unreadable_now_is_named_as_it_was(tmp_path):
    """Saved as UTF-16 (or broken by its _defaults.yaml): the new version has no name to show,
    the old one still says which project this is."""
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": "项目名称: [\n"})
    assert (data["projects"][0]["name"], data["projects"][0]["unit"]) == ("社工", "浦江镇社区党群服务中心")  # fmt: skip
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[2] == "修改 new/a.yaml（社工 · 浦江镇社区党群服务中心）"


@pytest.mark.parametrize(
    ("old", "new"),
    [({"a.yaml": "项目名称: [\n"}, {"a.yaml": "项目名称：社工\n"}), ({}, {})],
    ids=["only-errors", "no-projects"],
)
def test_with_nothing_to_count_the_totals_say_so(tmp_path, old, new):
    data = diff_folders(tmp_path, old, new)
    assert data["summary"]["totals"] == {"项目资金总额": [], "年度资金申请总额": []}
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    closing = text[next(i for i, line in enumerate(text) if line.startswith("改动：")) + 1 :]
    assert closing[0] == "合计：两个版本中都没有可以计入合计的项目"
    assert not any(line.startswith(("项目资金总额", "年度资金申请总额")) for line in closing)


def test_the_readme_shows_this_output():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ gen diff\n", 1)[1].split("```", 1)[0]
    assert shown == EXPECTED_TEXT


def test_paths_alone_or_after_a_revision_limit_head_against_the_working_tree(repo):
    one = json.loads(run_diff(repo, "projects/信访办", "--format", "json").stdout)
    assert (one["old"], one["new"], one["paths"]) == ("HEAD", "工作区", ["projects/信访办"])
    two = json.loads(
        run_diff(repo, "HEAD", "projects/信访办", "projects/司法所", "--format", "json").stdout
    )
    assert two["paths"] == ["projects/信访办", "projects/司法所"]
    assert [p["path"] for p in two["projects"]] == [
        "projects/信访办/信访代理员经费.yaml",
        "projects/信访办/劝导队经费.yaml",
        "projects/司法所/普法宣传.yaml",
    ]


REORDERED = GOOD_PROJECT.replace(
    "    数量指标:\n      社工数量: 118人\n    时效指标:\n      资金支付及时性: 每月\n",
    "    时效指标:\n      资金支付及时性: 每月\n    数量指标:\n      社工数量: 118人\n      新增数量: 3人\n",
)


def test_groups_printed_in_another_order_are_reported(tmp_path):
    changes = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": REORDERED})["projects"][0]["changes"]  # fmt: skip
    assert changes == [
        {"kind": "indicator", "change": "added", "old": None,
         "new": _indicator("产出指标", "数量指标", "新增数量", "3人")},
        {"kind": "order", "path": "绩效指标.产出指标", "old": ["数量指标", "时效指标"],
         "new": ["时效指标", "数量指标"]},
    ]  # fmt: skip
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert "  绩效指标.产出指标 顺序: 数量指标、时效指标 → 时效指标、数量指标" in text


def in_yuan(project: str, name: str) -> str:
    """`project` (3082.53 万元) written in 元, under another 项目名称."""
    return project.replace("3082.53", "30825300").replace("社工", name) + "格式:\n  金额单位: 元\n"


def test_projects_in_yuan_are_shown_in_yuan_and_summed_exactly(tmp_path):
    old = {"a.yaml": GOOD_PROJECT}
    new = {"a.yaml": GOOD_PROJECT, "b.yaml": in_yuan(GOOD_PROJECT, "巡防")}
    data = diff_folders(tmp_path, old, new)
    assert [(p["path"], p["amount_unit"]) for p in data["projects"]] == [("new/b.yaml", "元")]
    assert data["summary"]["amount_unit"] == "元"
    assert data["summary"]["totals"]["项目资金总额"][-1] == _total(
        "合计", "30825300", "61650600", "30825300", "100.00"
    )
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[2:4] == [
        "新增 new/b.yaml（巡防 · 浦江镇社区党群服务中心）",
        "  项目资金总额 30825300 元，年度资金申请总额 30825300 元，指标 4 个",
    ]
    assert text[-6:-4] == ["项目资金总额（元）:", "  浦江镇社区党群服务中心: 30825300 → 61650600（+30825300，+100.00%）"]  # fmt: skip


def test_a_project_rewritten_in_yuan_shows_only_its_unit_changed(tmp_path):
    new = in_yuan(GOOD_PROJECT, "社工").replace("30825300", "30825300.00", 1)
    data = diff_folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": new})
    assert data["projects"][0]["changes"] == [
        {"kind": "field", "path": "格式.金额单位", "old": "万元", "new": "元"}
    ]
    raised = new.replace("  财政资金: 30825300", "  财政资金: 30830000").replace(
        "  项目资金总额: 30825300.00", "  项目资金总额: 30830000"
    )
    (tmp_path / "new/a.yaml").write_text(raised, encoding="utf-8")
    text = run_diff(tmp_path, "old", "new").stdout.splitlines()
    assert text[3:6] == [
        "  项目资金.项目资金总额: 30825300 → 30830000（+4700，+0.02%）",
        "  项目资金.财政资金: 30825300 → 30830000（+4700，+0.02%）",
        "  格式.金额单位: 万元 → 元",
    ]
