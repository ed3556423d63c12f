"""gen new: a commented skeleton that parses, fails check only on its placeholders, and respects defaults."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
import yaml
from conftest import link_refused

from gen.authoring.new import create_project, project_text
from gen.build import check
from gen.cli import main
from gen.errors import UsageError, shown
from gen.schema import FORMAT_DEFAULTS

LEVEL3 = "请填写三级指标和指标值：用不到的指标请删除这一行"


def _asked(name: str) -> str:
    """The message for one placeholder."""
    return f"请填写{name}：把“（请填写{name}）”换成实际内容"


def _findings(path: Path) -> list[tuple[int, str, str, str]]:
    """(line, path, code, message) of every finding `gen check` reports for one file."""
    return [(f.line, f.path, f.code, f.message) for f in check([path]).findings]


def test_new_file_parses_and_keeps_the_format_order(in_tmp):
    text = create_project(Path("新项目.yaml"))
    data = yaml.safe_load(text)
    assert list(data) == [
        "表样",
        "年度",
        "项目名称",
        "项目类别",
        "主管部门",
        "实施单位",
        "计划开始日期",
        "计划完成日期",
        "项目资金",
        "年度资金",
        "项目总目标",
        "年度总体目标",
        "绩效指标",
    ]
    assert data["表样"] == "绩效目标表"
    assert data["项目资金"] == {"财政资金": "（请填写财政资金）", "其他资金": 0}
    assert list(data["绩效指标"]["产出指标"]) == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert Path("新项目.yaml").read_text(encoding="utf-8") == text


def test_new_file_carries_a_note_on_every_key(in_tmp):
    lines = create_project(Path("新项目.yaml")).splitlines()
    assert lines[0].startswith("# 新项目（绩效目标表）")
    assert "表样: 绩效目标表  # 绩效目标表、绩效目标申报表；不写时为绩效目标表" in lines
    assert (
        "项目类别: （请填写项目类别）  # 绩效目标表填其中一项：专项资金、经常性项目、一次性项目"
        "（也可写简称，如 专项、经常性）" in lines
    )
    assert "项目资金:  # 单位万元，只写数字，不加千分位逗号" in lines
    assert "  财政资金: （请填写财政资金）  # 数字（万元），不小于 0" in lines
    assert "  # 项目资金总额: 0  # 可不写，由程序计算；写了就必须等于 财政资金 + 其他资金" in lines
    assert "# 项目期间: 2025-2026  # " in "\n".join(lines)
    assert "    数量指标:  # 数量，例如 118人、≥8次" in lines
    commented = [line for line in lines if line.startswith("#   ")]
    assert [line.split(":")[0].strip("# ") for line in commented] == list(FORMAT_DEFAULTS)
    keys = [line for line in lines if not line.lstrip().startswith("#") and ":" in line]
    leaves = [line for line in keys if line.lstrip().startswith("（请填写三级指标）")]
    assert all("  # " in line for line in keys if line not in leaves)


def test_new_file_fails_check_only_on_its_placeholders(in_tmp):
    create_project(Path("新项目.yaml"))
    found = _findings(Path("新项目.yaml"))
    assert {code for _, _, code, _ in found} == {"placeholder"}
    assert found[:11] == [
        (4, "年度", "placeholder", _asked("年度")),
        (5, "项目名称", "placeholder", _asked("项目名称")),
        (6, "项目类别", "placeholder", _asked("项目类别")),
        (7, "主管部门", "placeholder", _asked("主管部门")),
        (8, "实施单位", "placeholder", _asked("实施单位")),
        (9, "计划开始日期", "placeholder", _asked("计划开始日期")),
        (10, "计划完成日期", "placeholder", _asked("计划完成日期")),
        (14, "项目资金.财政资金", "placeholder", _asked("财政资金")),
        (18, "年度资金.当年财政拨款", "placeholder", _asked("当年财政拨款")),
        (21, "项目总目标", "placeholder", _asked("项目总目标")),
        (22, "年度总体目标", "placeholder", _asked("年度总体目标")),
    ]
    assert found[11] == (26, "绩效指标.产出指标.数量指标.（请填写三级指标）", "placeholder", LEVEL3)
    assert len(found) == 11 + 9  # one indicator under each standard 二级


def test_filled_in_file_checks_clean(in_tmp):
    text = create_project(Path("新项目.yaml"))
    filled = _fill(text)
    Path("新项目.yaml").write_text(filled, encoding="utf-8")
    assert _findings(Path("新项目.yaml")) == []


def _fill(text: str) -> str:
    """The skeleton as a user completes it: values filled in, unused indicators deleted."""
    values = {
        "年度": "2026",
        "项目名称": "社工",
        "项目类别": "经常性项目",
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇社区党群服务中心",
        "计划开始日期": "2026-01-01",
        "计划完成日期": "2026-12-31",
        "财政资金": "87.90",
        "当年财政拨款": "87.90",
        "项目总目标": "保障社工工资福利的正常支出。",
        "年度总体目标": "保障社工工资福利的正常支出。",
    }
    for key, value in values.items():
        text = text.replace(f"（请填写{key}）", value)
    indicators = {"数量指标": "社工数量: 118人", "社会效益指标": "保障水平: 提升"}
    indicators["服务对象满意度指标"] = "社工满意度: ≥90%"
    lines, keep = [], True
    for line in text.splitlines():
        level2 = line.strip().split(":")[0]
        if line.startswith("    ") and not line.startswith("      "):
            keep = level2 in indicators
            current = level2
        if line.startswith("      （请填写"):
            line = f"      {indicators[current]}" if keep else ""
        if keep or not line.startswith("    "):
            lines.append(line)
    return "\n".join(line for line in lines if line) + "\n"


def test_placeholder_replaces_other_findings_on_its_line(write):
    path = write("p.yaml", "年度: （请填写年度）\n")
    found = _findings(path)
    assert (1, "年度", "placeholder", _asked("年度")) in found
    assert not [f for f in found if f[1] == "年度" and f[2] != "placeholder"]


def test_values_from_defaults_are_left_out(in_tmp, write):
    write(
        "projects/_defaults.yaml",
        "年度: 2026\n计划开始日期: 2026-01-01\n计划完成日期: 2026-12-31\n",
    )
    write(
        "projects/平安办/_defaults.yaml",
        "主管部门: 浦江镇人民政府\n实施单位: 平安办\n表样: 绩效目标申报表\n",
    )
    text = create_project(Path("projects/平安办/新项目.yaml"))
    data = yaml.safe_load(text)
    for key in ("年度", "计划开始日期", "计划完成日期", "主管部门", "实施单位", "表样"):
        assert key not in data
    assert data["项目性质"] == "（请填写项目性质）"  # 表样 from _defaults.yaml: the 申报表 keys
    assert (
        "# 年度、计划开始日期、计划完成日期 由 projects/_defaults.yaml 提供，这里不再填写。" in text
    )
    assert (
        "# 主管部门、实施单位、表样 由 projects/平安办/_defaults.yaml 提供，这里不再填写。" in text
    )
    found = _findings(Path("projects/平安办/新项目.yaml"))
    assert {code for _, _, code, _ in found} == {"placeholder"}
    assert found[0] == (5, "项目名称", "placeholder", _asked("项目名称"))


def test_a_broken_defaults_file_is_warned_of_as_gen_check_says_it(runner, in_tmp, write):
    """Its keys cannot be told: the new file asks for every one, and says why."""
    write("projects/_defaults.yaml", "年度: 2026\n实施单位: [平安办\n")
    result = runner.invoke(main, ["new", "projects/平安办/新项目.yaml"])
    assert result.exit_code == 0, result.output
    checked = [str(f) for f in check([Path("projects/平安办/新项目.yaml")]).findings[:1]]
    assert checked == [
        "projects/_defaults.yaml:2: YAML 语法错误：方括号或花括号没有配对；如果这是文字，请用引号括起来"
    ]
    assert result.stdout == (
        checked[0].replace(": YAML", ": 警告: YAML")
        + "（gen new 读不出这个文件设置了哪些项，新文件里每一项都写上了；"
        "改好它以后，请删去新文件里由它设置的项）\n"
    )
    assert result.stderr.startswith("已创建 projects/平安办/新项目.yaml：请把其中 20 行")
    text = Path("projects/平安办/新项目.yaml").read_text(encoding="utf-8")
    assert text == project_text(Path("新项目.yaml"))  # every key, as with no _defaults.yaml


def test_form_option_differing_from_defaults_is_written(in_tmp, write):
    write("projects/_defaults.yaml", "表样: 绩效目标申报表\n")
    data = yaml.safe_load(project_text(Path("projects/新.yaml"), "绩效目标表"))
    assert data["表样"] == "绩效目标表"
    assert "项目性质" not in data


@pytest.mark.parametrize(
    ("defaults", "option"), [("表样: 绩效目标申报表\n", "绩效目标表"), ("表样: 目标表\n", None)]
)
def test_a_form_written_in_the_file_is_not_said_to_come_from_the_defaults(
    in_tmp, write, defaults, option
):
    """Chosen with --表样, or the _defaults.yaml's is no 表样 at all."""
    write("projects/_defaults.yaml", defaults + "主管部门: 浦江镇人民政府\n")
    text = project_text(Path("projects/新.yaml"), option)
    assert yaml.safe_load(text)["表样"] == "绩效目标表"
    said = [line for line in text.splitlines() if "提供，这里不再填写" in line]
    assert said == ["# 主管部门 由 projects/_defaults.yaml 提供，这里不再填写。"]


def test_application_form_asks_for_its_keys(in_tmp):
    text = project_text(Path("新.yaml"), "绩效目标申报表")
    assert (
        "项目类别: （请填写项目类别）  # 绩效目标申报表填其中一项：人员类项目、运转类项目、特定目标类项目"
        "（也可写简称，如 人员类、运转类）" in text
    )
    assert (
        "项目性质: （请填写项目性质）  # 仅绩效目标申报表填写：经常性项目、一次性项目、阶段性项目"
        "（也可写简称，如 经常性）" in text
    )


def test_amounts_are_asked_in_the_unit_the_defaults_set(in_tmp, write):
    write("projects/_defaults.yaml", "格式:\n  金额单位: 元\n  千分位: true\n")
    write("projects/平安办/_defaults.yaml", "格式:\n  零值: '0.00'\n")  # 格式 merges by option
    lines = project_text(Path("projects/平安办/新.yaml")).splitlines()
    assert "项目资金:  # 单位元，只写数字，不加千分位逗号" in lines
    assert "  财政资金: （请填写财政资金）  # 数字（元），不小于 0" in lines
    assert "  上年结转资金: 0  # 数字（元）；没有就写 0 或删除这一行" in lines


def test_the_format_block_offers_the_unit(in_tmp):
    lines = project_text(Path("新.yaml")).splitlines()
    assert (
        "#   金额单位: 万元  # 金额的单位：万元、元，表上印作“项目资金 (万元)”；默认 万元" in lines
    )
    assert (
        "#   零值: 空白  # 金额为 0 或空时的写法：空白、0、0.00（0.00 按金额小数位）；默认 空白"
        in lines
    )
    assert "#   千分位: false  # true 或 false（true 时印作 3,082.53）；默认 false" in lines


def test_refuses_to_overwrite(in_tmp):
    Path("有了.yaml").write_text("项目名称: 旧\n", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        create_project(Path("有了.yaml"))
    assert (
        raised.value.message
        == "有了.yaml 已存在，没有覆盖；请换一个文件名（gen new 从不覆盖已有文件）"
    )
    assert Path("有了.yaml").read_text(encoding="utf-8") == "项目名称: 旧\n"


@pytest.mark.parametrize(
    ("name", "clash"),
    [
        ("A项目.YAML", "只差字母大小写，在 Windows 和 macOS 上是同一个文件"),
        ("a项目.yml", "生成同名的表格（a项目.docx），会互相覆盖"),
    ],
)
def test_refuses_a_name_that_is_an_existing_project_on_windows(runner, in_tmp, name, clash):
    Path("a项目.yaml").write_text("项目名称: 旧\n", encoding="utf-8")
    result = runner.invoke(main, ["new", name])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：{name} 与已有的 a项目.yaml {clash}；请换一个文件名（gen new 从不覆盖已有文件）\n"
    )
    assert [p.name for p in in_tmp.iterdir()] == ["a项目.yaml"]


@pytest.mark.parametrize(
    ("name", "new", "there", "meant"),
    [
        ("projects/office/x.yaml", "projects/office", "projects/Office", "projects/Office/x.yaml"),
        ("projects/office/二/x.yaml", "projects/office", "projects/Office", "projects/Office/二/x.yaml"),
        ("PROJECTS/x.yaml", "PROJECTS", "projects", "projects/x.yaml"),
    ],
)  # fmt: skip
def test_refuses_a_folder_that_is_an_existing_one_on_windows(
    runner, in_tmp, write, name, new, there, meant
):
    write("projects/Office/a.yaml", "项目名称: 旧\n")
    result = runner.invoke(main, ["new", name])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：无法新建 {name}：文件夹 {new} 与已有的 {there} 只差字母大小写，"
        f"在 Windows 和 macOS 上是同一个文件夹；请写成 {meant}\n"
    )
    assert sorted(p.as_posix() for p in Path(".").rglob("*")) == [
        "projects", "projects/Office", "projects/Office/a.yaml"
    ]  # fmt: skip
    assert runner.invoke(main, ["new", meant]).exit_code == 0


@pytest.mark.parametrize("name", ["新项目.txt", "_defaults.yaml"])
def test_refuses_names_gen_would_not_build(in_tmp, name):
    with pytest.raises(UsageError):
        create_project(Path(name))
    assert not Path(name).exists()


def test_the_command_it_suggests_works_when_pasted_with_a_space_in_the_path(runner, in_tmp):
    Path("新建文件夹 (2)").mkdir()
    result = runner.invoke(main, ["new", "新建文件夹 (2)/夜间 巡逻.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith('然后运行 gen check "新建文件夹 (2)/夜间 巡逻.yaml"\n')
    suggested = shlex.split(result.stderr.rsplit("然后运行 ", 1)[1])
    again = runner.invoke(main, suggested[1:])
    assert "找不到" not in again.output and "（请填写" in again.output


def test_cli_new_with_chinese_and_ascii_option(runner, in_tmp):
    result = runner.invoke(main, ["new", "a.yaml", "--表样", "绩效目标申报表"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "已创建 a.yaml：请把其中 21 行的“（请填写…）”换成实际内容，然后运行 gen check a.yaml\n"
    )
    assert "表样: 绩效目标申报表" in Path("a.yaml").read_text(encoding="utf-8")
    result = runner.invoke(main, ["new", "b.yaml", "--form", "绩效目标表"])
    assert result.exit_code == 0
    again = runner.invoke(main, ["new", "b.yaml"])
    assert again.exit_code == 2
    assert (
        again.stderr
        == "错误：b.yaml 已存在，没有覆盖；请换一个文件名（gen new 从不覆盖已有文件）\n"
    )


def test_cli_new_on_a_usb_stick_without_hard_links(runner, in_tmp, monkeypatch):
    link_refused(monkeypatch)  # FAT32 and exFAT
    result = runner.invoke(main, ["new", "projects/新项目.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("已创建 projects/新项目.yaml：")
    assert os.listdir("projects") == ["新项目.yaml"]
    again = runner.invoke(main, ["new", "projects/新项目.yaml"])
    assert again.exit_code == 2
    assert again.stderr.startswith("错误：projects/新项目.yaml 已存在，没有覆盖；")


def test_unfinished_skeleton_is_never_built(runner, in_tmp):
    runner.invoke(main, ["new", "projects/新项目.yaml"])
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    assert not Path("output/新项目.docx").exists()


def test_a_file_in_the_way_of_the_folder_is_reported(runner, in_tmp):
    from gen.cli import main

    (in_tmp / "afile").write_text("")
    result = runner.invoke(main, ["new", "afile/sub/x.yaml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：无法新建 afile/sub/x.yaml：afile 是一个文件，不是文件夹；请换一个位置，或把它移走\n"
    )
    assert (in_tmp / "afile").read_text() == ""


def test_a_name_the_disk_refuses_is_shown_as_messages_show_paths(runner, in_tmp):
    name = "\udcff" + "长" * 100 + ".yaml"  # a byte that is no UTF-8, in a name over 255 bytes
    result = runner.invoke(main, ["new", name])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：\\xff{'长' * 100}.yaml 不能作为项目文件名：文件名太长；"
        "请换一个短一些、普通一些的文件名\n"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("x:y.yaml", "含有字符“:”"),
        ("nul.yaml", "“nul”是留给设备的名字"),
        ("a\x01.yaml", "含有控制字符 U+0001"),
        ("a:b/x.yaml", "含有字符“:”"),  # a folder it would make
    ],
)
def test_a_name_windows_cannot_hold_is_refused(runner, in_tmp, name, reason):
    result = runner.invoke(main, ["new", name])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：{shown(Path(name))} 不能作为项目文件名：{reason}，在 Windows 上不能用；请换一个名字\n"
    )
    assert list(in_tmp.iterdir()) == []
