"""gen rollover: years and dates move, comments and order stay, old-year mentions are listed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES, link_refused, unlistable

from gen.authoring.rollover import rollover
from gen.build import check
from gen.cli import main
from gen.errors import UsageError

DEFAULTS = """\
# 全部项目共用
年度: 2026 # 预算年度
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
"""

PROJECT = """\
# 来源：2026年报送表
项目名称: 社工
项目类别: 经常性项目 # 原表未勾选
主管部门: 浦江镇人民政府
实施单位: 浦江镇社区党群服务中心
项目资金:
  财政资金: 87.90
  其他资金: 0
年度资金:
  当年财政拨款: 87.90
项目总目标: 保障社工2026年度工资福利的正常支出。
年度总体目标: |
  保障社工工资福利的正常支出。
  2026年底前完成招聘。
绩效指标:
  产出指标:
    数量指标:
      社工数量: 118人
    时效指标:
      完成时间: 2026年12月底前 # 按合同
  效益指标:
    社会效益指标:
      保障水平: 提升
  满意度指标:
    服务对象满意度指标:
      社工满意度: ≥90%
"""


@pytest.fixture
def year_2026(write, in_tmp) -> Path:
    """A 2026 folder: shared defaults, one project of its own dates, one multi-year project."""
    write("2026/_defaults.yaml", DEFAULTS)
    write("2026/党群/社工.yaml", PROJECT)
    write(
        "2026/党群/修缮.yaml",
        PROJECT.replace("社工", "修缮").replace(
            "项目名称: 修缮", "项目名称: 修缮\n项目期间: '2025-2026'"
        ),
    )
    write(
        "2026/党群/单年.yaml",
        PROJECT.replace("社工", "单年").replace(
            "项目名称: 单年",
            "项目名称: 单年\n年度: 2026\n计划开始日期: 2026-3-1\n项目期间: 2026-2026",
        ),
    )
    return Path("2026")


def test_years_and_dates_move_comments_and_order_stay(year_2026):
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 0
    assert sorted(p.as_posix() for p in result.written) == [
        "2027/_defaults.yaml",
        "2027/党群/修缮.yaml",
        "2027/党群/单年.yaml",
        "2027/党群/社工.yaml",
    ]
    assert Path("2027/_defaults.yaml").read_text(encoding="utf-8") == DEFAULTS.replace(
        "2026", "2027"
    )
    assert Path("2027/党群/社工.yaml").read_text(encoding="utf-8") == PROJECT  # nothing of its own


def test_own_year_dates_and_one_year_period_move(year_2026):
    rollover(year_2026, 2027, Path("2027"))
    text = Path("2027/党群/单年.yaml").read_text(encoding="utf-8")
    assert "年度: 2027\n计划开始日期: 2027-3-1\n项目期间: 2027-2027\n" in text


def test_multi_year_period_is_kept_and_noted(year_2026):
    result = rollover(year_2026, 2027, Path("2027"))
    assert "项目期间: '2025-2026'\n" in Path("2027/党群/修缮.yaml").read_text(encoding="utf-8")
    noted = [str(f) for f in result.findings if f.code == "period-kept"]
    assert noted == [
        "2027/党群/修缮.yaml:3: 项目期间: 警告: 跨年度项目的项目期间 2025-2026 未改动，2027 年不在其中，"
        "gen check 会报错；请改写项目期间（如 2025-2027），或不再报送这个项目"
    ]


def test_a_year_set_above_the_folder_rolled_is_said_to_stay(year_2026):
    """Rolling 2026/党群 alone copies no 2026/_defaults.yaml: its 年度 and dates do not move."""
    result = rollover(year_2026 / "党群", 2027, Path("2027/党群"))
    kept = [str(f) for f in result.findings if f.code == "year-kept"]
    assert kept == [
        "2026/_defaults.yaml:2: 年度: 警告: 年度、计划开始日期、计划完成日期 写在 2026/_defaults.yaml，"
        "在结转的文件夹 2026/党群 之外，没有结转；请结转整个上级文件夹，"
        "或在 2027/党群/_defaults.yaml 里写上 2027 年的年度、计划开始日期、计划完成日期"
    ]
    assert not [
        f for f in rollover(year_2026, 2028, Path("2028")).findings if f.code == "year-kept"
    ]


def test_a_year_the_folder_rolled_sets_itself_is_not_said_to_stay(year_2026, write):
    write("2026/党群/_defaults.yaml", "年度: 2026\n")
    result = rollover(year_2026 / "党群", 2027, Path("2027/党群"))
    kept = [str(f) for f in result.findings if f.code == "year-kept"]
    assert kept == [  # 年度 is rolled with 党群's own _defaults.yaml; the dates still are not
        "2026/_defaults.yaml:3: 计划开始日期: 警告: 计划开始日期、计划完成日期 写在 2026/_defaults.yaml，"
        "在结转的文件夹 2026/党群 之外，没有结转；请结转整个上级文件夹，"
        "或在 2027/党群/_defaults.yaml 里写上 2027 年的计划开始日期、计划完成日期"
    ]
    write(
        "2026/党群/_defaults.yaml", "年度: 2026\n计划开始日期: 2026-1-1\n计划完成日期: 2026-12-31\n"
    )
    result = rollover(year_2026 / "党群", 2027, Path("2027/党群"), force=True)
    assert not [f for f in result.findings if f.code == "year-kept"]


def test_old_year_mentions_are_listed_with_lines(year_2026):
    result = rollover(year_2026, 2027, Path("2027"))
    mentions = [
        str(f) for f in result.findings if f.code == "old-year" and "社工.yaml" in str(f.file)
    ]
    assert mentions == [
        "2027/党群/社工.yaml:11: 项目总目标: 警告: 提到 2026 年：“保障社工2026年度工资福利的正常支出。”；请确认是否应改为 2027 年",
        "2027/党群/社工.yaml:12: 年度总体目标: 警告: 提到 2026 年：“2026年底前完成招聘。”；请确认是否应改为 2027 年",
        "2027/党群/社工.yaml:20: 绩效指标.产出指标.时效指标.完成时间: 警告: 提到 2026 年：“2026年12月底前”；请确认是否应改为 2027 年",
    ]
    lines = Path("2027/党群/社工.yaml").read_text(encoding="utf-8").splitlines()
    assert "2026" in lines[10] and "2026" in lines[13] and "2026" in lines[19]
    assert lines[11] == "年度总体目标: |"  # a block text is named at its key, as gen check does


def test_clear_amounts_asks_for_them_again(year_2026):
    rollover(year_2026, 2027, Path("2027"), clear_amounts=True)
    text = Path("2027/党群/社工.yaml").read_text(encoding="utf-8")
    assert "  财政资金: （请填写财政资金）\n  其他资金: 0\n" in text
    assert "  当年财政拨款: （请填写当年财政拨款）\n" in text
    found = {(f.path, f.code) for f in check([Path("2027/党群/社工.yaml")]).findings}
    assert ("项目资金.财政资金", "placeholder") in found


def test_amounts_stay_without_clear_amounts(year_2026):
    rollover(year_2026, 2027, Path("2027"))
    assert "  财政资金: 87.90\n" in Path("2027/党群/社工.yaml").read_text(encoding="utf-8")


EXACT = """\
项目名称: 精确
年度: 2026
计划开始日期: 2026-01-01
项目资金:
  项目资金总额: 99999999999999.99
  财政资金: 99999999999999.99
  其他资金: -0
年度资金:
  年度资金申请总额: 1_0.5
  当年财政拨款: +017
  上年结转资金: 0.00
绩效指标:
  产出指标:
    数量指标:
      圆周率位数: 3.14159265358979323846
      序号: +017
      编号: 1_0.5
      变化: -0
      是否: True
      空: ~
      时刻: 2025-01-01T10:00:00.123456789Z
      科学: 1e3
      非数: .NaN
"""


def test_what_is_not_rolled_is_written_back_as_it_was_written(write, in_tmp):
    """Numbers keep every digit and their spelling: no float rounding, no + or _ dropped."""
    write("2026/精确.yaml", EXACT)
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert result.exit_code == 0 and result.findings == []
    assert Path("2027/精确.yaml").read_text(encoding="utf-8") == EXACT.replace(
        "年度: 2026\n计划开始日期: 2026-01-01\n", "年度: 2027\n计划开始日期: 2027-01-01\n"
    )


@pytest.mark.parametrize(
    ("bom", "newline", "end"),
    [
        (b"\xef\xbb\xbf", b"\r\n", b""),  # Windows Notepad: BOM, CRLF, no break at the end
        (b"", b"\r\n", b"\r\n"),
        (b"", b"\n", b""),
    ],
    ids=["notepad", "crlf", "lf-no-break-at-end"],
)
def test_a_file_keeps_its_line_breaks_and_bom(write, in_tmp, bom, newline, end):
    """Only the lines rolled differ (git diff), as in a file of LF line breaks."""
    own_year = PROJECT.replace("项目名称: 社工", "项目名称: 社工\n年度: 2026")
    Path("2026").mkdir()
    Path("2026/社工.yaml").write_bytes(
        bom + own_year.rstrip("\n").encode().replace(b"\n", newline) + end
    )
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert result.exit_code == 0
    assert Path("2027/社工.yaml").read_bytes() == Path("2026/社工.yaml").read_bytes().replace(
        "年度: 2026".encode(), "年度: 2027".encode()
    )


FOUR_SPACES = (
    "年度: 2026   # 预算年度\n计划开始日期: 2026-01-01\n计划完成日期: '2026-12-31'\n"
    "项目名称: 社工\n项目类别:   经常性项目   # 注释\n"
    "项目资金:\n    项目资金总额: 1.50\n    财政资金: 1.5\n    其他资金: 0\n"
    "项目总目标: >-\n    保障\n    运转。\n"
)


@pytest.mark.parametrize("clear", [False, True])
def test_a_file_of_its_own_layout_differs_only_in_the_lines_rolled(write, in_tmp, clear):
    """Four-space indentation, spaces before a comment: every other byte stays (git diff)."""
    write("2026/社工.yaml", FOUR_SPACES)
    result = rollover(Path("2026"), 2027, Path("2027"), clear_amounts=clear)
    assert result.exit_code == 0
    expected = FOUR_SPACES.replace("2026", "2027")
    if clear:
        expected = expected.replace("项目资金总额: 1.50", "项目资金总额: （请填写项目资金总额）")
        expected = expected.replace("财政资金: 1.5", "财政资金: （请填写财政资金）")
    assert Path("2027/社工.yaml").read_text(encoding="utf-8") == expected


def test_a_file_of_mixed_line_breaks_keeps_each_one(write, in_tmp):
    text = PROJECT.replace("项目名称: 社工", "项目名称: 社工\n年度: 2026").rstrip("\n")
    lines = text.split("\n")
    mixed = "".join(line + ("\n" if n % 3 == 0 else "\r\n") for n, line in enumerate(lines))
    Path("2026").mkdir()
    Path("2026/社工.yaml").write_bytes(mixed.encode("utf-8"))
    assert rollover(Path("2026"), 2027, Path("2027")).exit_code == 0
    assert Path("2027/社工.yaml").read_bytes() == mixed.replace("年度: 2026", "年度: 2027").encode()


def test_clear_amounts_clears_numbers_as_written_and_keeps_zeros(write, in_tmp):
    write("2026/精确.yaml", EXACT)
    rollover(Path("2026"), 2027, Path("2027"), clear_amounts=True)
    text = Path("2027/精确.yaml").read_text(encoding="utf-8")
    assert text.split("绩效指标:")[0] == (
        "项目名称: 精确\n年度: 2027\n计划开始日期: 2027-01-01\n"
        "项目资金:\n  项目资金总额: （请填写项目资金总额）\n  财政资金: （请填写财政资金）\n"
        "  其他资金: -0\n"
        "年度资金:\n  年度资金申请总额: （请填写年度资金申请总额）\n  当年财政拨款: （请填写当年财政拨款）\n"
        "  上年结转资金: 0.00\n"
    )


def test_clear_amounts_clears_an_amount_written_as_text_too(write, in_tmp):
    write(
        "2026/文字.yaml",
        '项目名称: 文字\n年度: 2026\n项目资金:\n  财政资金: "87.90"\n  其他资金: 12元\n'
        "年度资金:\n  当年财政拨款: '0'\n  上年结转资金:\n",
    )
    rollover(Path("2026"), 2027, Path("2027"), clear_amounts=True)
    assert Path("2027/文字.yaml").read_text(encoding="utf-8") == (
        "项目名称: 文字\n年度: 2027\n项目资金:\n  财政资金: （请填写财政资金）\n"
        "  其他资金: （请填写其他资金）\n年度资金:\n  当年财政拨款: '0'\n  上年结转资金:\n"
    )


def test_a_date_or_number_that_names_the_old_year_is_listed_too(year_2026, write):
    write(
        "2026/党群/日期.yaml",
        PROJECT.replace("完成时间: 2026年12月底前 # 按合同", "完成时间: 2026-12-31"),
    )
    result = rollover(year_2026, 2027, Path("2027"))
    assert [
        str(f) for f in result.findings if "日期.yaml" in str(f.file) and "完成时间" in f.path
    ] == [
        "2027/党群/日期.yaml:20: 绩效指标.产出指标.时效指标.完成时间: 警告: 提到 2026 年：“2026-12-31”；请确认是否应改为 2027 年"
    ]
    assert "      完成时间: 2026-12-31\n" in Path("2027/党群/日期.yaml").read_text(encoding="utf-8")


def test_the_amount_unit_and_zero_style_roll_over(year_2026, write):
    options = "格式:\n  金额单位: 元 # 本区表样\n  零值: '0.00'\n  千分位: true\n"
    write("2026/党群/_defaults.yaml", options)
    write("2026/党群/社工.yaml", PROJECT.replace("87.90", "297554.85"))
    result = rollover(year_2026, 2027, Path("2027"), clear_amounts=True)
    assert result.exit_code == 0
    assert Path("2027/党群/_defaults.yaml").read_text(encoding="utf-8") == options
    text = Path("2027/党群/社工.yaml").read_text(encoding="utf-8")
    assert "  财政资金: （请填写财政资金）\n" in text
    Path("2027/党群/社工.yaml").write_text(
        text.replace("（请填写财政资金）", "1000.5").replace("（请填写当年财政拨款）", "1000.5"),
        encoding="utf-8",
    )
    report = check([Path("2027/党群/社工.yaml")])
    assert report.results[0].doc["格式"]["金额单位"] == "元"
    assert [f.code for f in report.findings if f.is_error] == []  # the old-year texts warn


def test_refuses_existing_files_unless_forced(year_2026, write):
    write("2027/党群/社工.yaml", "旧: 1\n")
    with pytest.raises(UsageError) as raised:
        rollover(year_2026, 2027, Path("2027"))
    assert (
        raised.value.message
        == "2027/党群/社工.yaml 已存在，没有覆盖；请换一个输出文件夹，或加 --force 覆盖它"
    )
    assert not Path("2027/_defaults.yaml").exists()  # nothing written
    rollover(year_2026, 2027, Path("2027"), force=True)
    assert Path("2027/党群/社工.yaml").read_text(encoding="utf-8") == PROJECT


def test_a_broken_file_is_reported_and_nothing_written(year_2026, write):
    write("2026/党群/坏.yaml", "项目名称：坏\n年度: [\n")
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 1
    assert [f.code for f in result.findings] == ["not-rolled"]  # no places to review yet
    assert result.written == [] and not Path("2027").exists()


@pytest.mark.parametrize(
    ("defaults", "said"),
    [
        ("年度: 2026\t# 年\n", "1: 未结转：这一行有制表符（Tab）；请把它换成空格（或改成常见的 “键: 值” 写法）后重新结转"),
        ("计划开始日期: 2026-01-01\n年度: &y 2026\n", "2: 未结转：以“&”或“*”开头的值会被当作 YAML 锚点或别名，"
         "项目文件里不能使用；如果这是文字，请用引号括起来；几个项目共用的内容请写在 _defaults.yaml 里"),
        ("年度: 2026\n实施单位: [党群\n", "2: 未结转：YAML 语法错误：方括号或花括号没有配对；如果这是文字，请用引号括起来"),
    ],
    ids=["tab", "anchor", "syntax"],
)  # fmt: skip
def test_a_defaults_file_that_cannot_be_rolled_leaves_no_project_below_it_rolled(
    runner, year_2026, write, defaults, said
):
    """The projects below it would lose its keys in the new year: every file is rolled, or none."""
    write("2026/党群/_defaults.yaml", defaults)
    write("2026/党群/坏.yaml", "项目名称：坏\n年度: [\n")  # every problem is said, not the first
    write("2027/其他.yaml", "旧: 1\n")  # --force overwrites nothing either
    before = {p: p.read_bytes() for p in Path(".").rglob("*") if p.is_file()}
    result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027", "--force"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"2026/党群/_defaults.yaml:{said}",
        "2026/党群/坏.yaml:1: 未结转：YAML 语法错误：这一行用了全角冒号“：”；"
        "请把全角冒号“：”改为半角冒号“:”并在其后加空格（项目名称: 坏）",
    ]
    assert result.stderr == (
        "没有结转任何文件：上面 2 处错误改正之前，2027 里什么也不写，以免 2027 年度缺少文件；"
        "请改正后重新结转\n"
    )
    assert {p: p.read_bytes() for p in Path(".").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("text", ["", "# 本单位暂不设置\r\n", "\n\n"])
def test_an_empty_defaults_file_is_copied_as_gen_build_reads_it(year_2026, write, text):
    write("2026/党群/_defaults.yaml", text)
    result = rollover(year_2026, 2027, Path("2027"))
    assert [str(f) for f in result.findings if f.is_error] == []
    assert Path("2027/党群/_defaults.yaml").read_bytes() == text.encode("utf-8")


def test_a_folder_that_cannot_be_read_is_reported_and_nothing_written(
    year_2026, write, monkeypatch
):
    write("2026/平安办/安保经费.yaml", PROJECT.replace("社工", "安保经费"))
    unlistable(monkeypatch, "平安办")
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 1
    assert [(f.file, f.code) for f in result.findings] == [
        (Path("2026/平安办"), "unreadable-folder")
    ]
    assert result.written == [] and not Path("2027").exists()  # its projects are not left out


def test_a_file_notepad_saved_as_txt_is_reported_and_nothing_written(year_2026, write):
    write("2026/党群/夜间巡逻.yaml.txt", PROJECT.replace("社工", "夜间巡逻"))
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 1
    assert [(f.file, f.code) for f in result.findings] == [
        (Path("2026/党群/夜间巡逻.yaml.txt"), "misnamed")
    ]
    assert result.written == [] and not Path("2027").exists()  # renamed, it is rolled with them


def test_a_tab_the_rollover_cannot_read_is_told_in_chinese_at_its_line(write, in_tmp):
    write("2026/社工.yaml", PROJECT.replace("项目名称: 社工", "项目名称: 社工\n年度: 2026\t# 年"))
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert result.exit_code == 1
    line = Path("2026/社工.yaml").read_text(encoding="utf-8").splitlines().index("年度: 2026\t# 年")
    assert [(f.line, f.code, f.message) for f in result.findings if f.is_error] == [
        (
            line + 1,
            "not-rolled",
            "未结转：这一行有制表符（Tab）；请把它换成空格（或改成常见的 “键: 值” 写法）后重新结转",
        )
    ]


def test_samples_roll_over_and_still_check(sample_copy, tmp_path):
    result = rollover(sample_copy, 2027, tmp_path / "2027")
    assert result.exit_code == 0
    for source in sorted(SAMPLES.rglob("*.yaml")):
        rolled = (tmp_path / "2027" / source.relative_to(SAMPLES)).read_text(encoding="utf-8")
        original = source.read_text(encoding="utf-8")
        changed = [
            (a, b)
            for a, b in zip(original.splitlines(), rolled.splitlines(), strict=True)
            if a != b
        ]
        assert all(a.replace("2026", "2027") == b for a, b in changed), source
    report = check([tmp_path / "2027"])
    # the multi-year projects whose 项目期间 ended: noted by the rollover, refused by the check,
    # both at the 项目期间 line; the texts that mention 2026 are named at the same lines too
    errors = [(f.file, f.line) for f in report.findings if f.is_error]
    assert {f.code for f in report.findings if f.is_error} == {"year-not-in-period"}
    assert errors == [(f.file, f.line) for f in result.findings if f.code == "period-kept"]
    mentions = {(f.file, f.line, f.path) for f in result.findings if f.code == "old-year"}
    years = {(f.file, f.line, f.path) for f in report.findings if f.code == "year-outside-period"}
    assert years and years <= mentions


def test_cli_rollover_prints_mentions_and_closing_line(runner, year_2026):
    result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 10
    assert result.stderr == "已结转 4 个文件到 2027（2027年度）；请核对上面 10 处\n"
    again = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027"])
    assert again.exit_code == 2
    assert again.stdout == ""
    assert again.stderr == (
        "错误：2027/_defaults.yaml 等 4 个文件已存在，没有覆盖；"
        "请换一个输出文件夹，或加 --force 覆盖这些文件\n"
    )


def test_files_in_the_output_folder_not_rolled_over_are_named_not_deleted(runner, year_2026):
    assert runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027"]).exit_code == 0
    Path("2026/党群/修缮.yaml").unlink()  # the project is dropped after the first rollover
    Path("2027/党群/_defaults.yaml").write_text("实施单位: 党群\n", encoding="utf-8")  # by hand
    result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027", "--force"])
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if "不是这次结转的" in line] == [
        "2027/党群/_defaults.yaml: 警告: 这个文件不是这次结转的：2026/党群/_defaults.yaml 不存在"
        "（也许是上次结转之后删掉了）；它所在文件夹里的项目仍会用它的设置，不再需要就请删除它",
        "2027/党群/修缮.yaml: 警告: 这个文件不是这次结转的：2026/党群/修缮.yaml 不存在"
        "（也许是上次结转之后删掉了）；gen build 仍会为它生成表格，不再需要就请删除它",
    ]
    assert result.stderr == "已结转 3 个文件到 2027（2027年度）；请核对上面 8 处\n"
    assert sorted(p.as_posix() for p in Path("2027").rglob("*.yaml")) == [
        "2027/_defaults.yaml", "2027/党群/_defaults.yaml", "2027/党群/修缮.yaml",
        "2027/党群/单年.yaml", "2027/党群/社工.yaml",
    ]  # fmt: skip


def test_cli_rollover_onto_a_usb_stick_without_hard_links(runner, year_2026, monkeypatch):
    link_refused(monkeypatch)  # FAT32 and exFAT
    result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "2027"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "已结转 4 个文件到 2027（2027年度）；请核对上面 10 处\n"
    assert "年度: 2027 # 预算年度" in Path("2027/_defaults.yaml").read_text(encoding="utf-8")
    assert sorted(os.listdir("2027/党群")) == ["修缮.yaml", "单年.yaml", "社工.yaml"]


def test_a_date_that_cannot_move_is_kept_and_listed(year_2026, write):
    write(
        "2026/党群/日期.yaml",
        PROJECT.replace("社工", "日期").replace(
            "项目名称: 日期", "项目名称: 日期\n计划开始日期: 2026-02-30\n计划完成日期: '9999-12-31'"
        ),
    )
    write("2026/党群/闰年.yaml", PROJECT.replace("社工", "闰年").replace(
        "项目名称: 闰年", "项目名称: 闰年\n计划开始日期: 2024-2-29\n计划完成日期: 2024-02-29"))  # fmt: skip
    write("2026/党群/时刻.yaml", PROJECT.replace("社工", "时刻").replace(
        "项目名称: 时刻", "项目名称: 时刻\n计划开始日期: 2026-01-01 10:00:00\n计划完成日期: 2026/12/31"))  # fmt: skip
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 0
    kept = [str(f) for f in result.findings if f.code == "date-kept"]
    assert kept == [
        "2027/党群/日期.yaml:3: 计划开始日期: 警告: 计划开始日期 2026-02-30 不是日历上的日期，未改动；请填写正确的新日期",
        "2027/党群/日期.yaml:4: 计划完成日期: 警告: 计划完成日期 9999-12-31 推后 1 年就超出了 9999 年，未改动；请填写正确的新日期",
        "2027/党群/时刻.yaml:3: 计划开始日期: 警告: 计划开始日期 “2026-01-01 10:00:00” 不是 YYYY-MM-DD 写法的日期，未改动；请填写正确的新日期",
        "2027/党群/时刻.yaml:4: 计划完成日期: 警告: 计划完成日期 “2026/12/31” 不是 YYYY-MM-DD 写法的日期，未改动；请填写正确的新日期",
    ]
    text = Path("2027/党群/时刻.yaml").read_text(encoding="utf-8")
    assert "计划开始日期: 2026-01-01 10:00:00\n计划完成日期: 2026/12/31\n" in text
    text = Path("2027/党群/日期.yaml").read_text(encoding="utf-8")
    assert "计划开始日期: 2026-02-30\n计划完成日期: '9999-12-31'\n" in text
    text = Path("2027/党群/闰年.yaml").read_text(encoding="utf-8")
    assert "计划开始日期: 2025-2-28\n计划完成日期: 2025-02-28\n" in text  # 29 February: the 28th


def test_a_file_that_cannot_be_written_is_not_rolled_and_neither_are_the_rest(year_2026):
    Path("2027/党群/社工.yaml").mkdir(parents=True)  # a folder where the file should be
    result = rollover(year_2026, 2027, Path("2027"), force=True)
    failed = [(f.file.as_posix(), f.line, f.message) for f in result.findings if f.is_error]
    assert failed == [
        ("2026/党群/社工.yaml", 0, "未结转：无法写入 2027/党群/社工.yaml：这里已有一个同名文件夹")
    ]
    assert result.written == []  # the three written before it were new files: deleted again
    assert sorted(p.as_posix() for p in Path("2027").rglob("*")) == [
        "2027/党群",
        "2027/党群/社工.yaml",
    ]


def test_a_29_february_moved_to_the_28th_is_listed(in_tmp, write):
    write("2024/党群/闰年.yaml", PROJECT.replace("社工", "闰年").replace(
        "项目名称: 闰年", "项目名称: 闰年\n年度: 2024\n计划开始日期: 2024-2-29\n计划完成日期: '2024-02-29'"))  # fmt: skip
    result = rollover(Path("2024"), 2025, Path("2025"))
    moved = [str(f) for f in result.findings if f.code == "date-changed"]
    assert moved == [
        "2025/党群/闰年.yaml:4: 计划开始日期: 警告: 计划开始日期 2024-2-29：2025 年没有 2 月 29 日，已改为 2025-2-28；请确认这个日期",
        "2025/党群/闰年.yaml:5: 计划完成日期: 警告: 计划完成日期 2024-02-29：2025 年没有 2 月 29 日，已改为 2025-02-28；请确认这个日期",
    ]
    assert "计划开始日期: 2025-2-28\n计划完成日期: '2025-02-28'\n" in Path(
        "2025/党群/闰年.yaml"
    ).read_text(encoding="utf-8")
    later = rollover(Path("2024"), 2028, Path("2028"))  # 2028 has a 29 February: nothing to say
    assert not [f for f in later.findings if f.code == "date-changed"]


def test_a_year_written_in_quotes_rolls_over_and_keeps_its_quotes(write, in_tmp):
    write("2026/_defaults.yaml", DEFAULTS.replace("年度: 2026", '年度: "2026"'))
    write("2026/社工.yaml", PROJECT)
    write("2026/自己.yaml", PROJECT.replace("项目名称: 社工", "项目名称: 自己\n年度: '2026'"))
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert result.exit_code == 0
    assert '年度: "2027" # 预算年度\n计划开始日期: 2027-01-01\n' in Path(
        "2027/_defaults.yaml"
    ).read_text(encoding="utf-8")
    assert "年度: '2027'\n" in Path("2027/自己.yaml").read_text(encoding="utf-8")


def test_a_year_that_is_no_year_is_listed_not_silently_kept(write, in_tmp):
    write("2026/_defaults.yaml", DEFAULTS)
    write("2026/文字.yaml", PROJECT.replace("项目名称: 社工", "项目名称: 文字\n年度: 二〇二六"))
    write("2026/小数.yaml", PROJECT.replace("项目名称: 社工", "项目名称: 小数\n年度: 2026.0"))
    write("无年度/社工.yaml", PROJECT)
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert [str(f) for f in result.findings if f.code == "year-kept"] == [
        "2027/小数.yaml:3: 年度: 警告: 年度 “2026.0” 带小数点，不是四位年份，未改动；请改为 2027",
        "2027/文字.yaml:3: 年度: 警告: 年度 “二〇二六” 不是四位年份，未改动；请改为 2027",
    ]
    alone = rollover(Path("无年度"), 2027, Path("2027无年度"))
    assert [str(f) for f in alone.findings] == [
        "2027无年度/社工.yaml: 年度: 警告: 这个文件和上级 _defaults.yaml 都没有写成四位年份的年度，"
        "年度和计划日期都未改动；请改为 2027 年的"
    ]


@pytest.mark.parametrize(
    ("year", "why"), [("2026.0", "带小数点，不是四位年份"), ("2026.5", "不是四位年份")]
)
def test_a_year_written_as_a_decimal_is_not_said_to_be_no_number(write, in_tmp, year, why):
    """As gen check says it (应为四位年份): it is a number, just not a year."""
    write("2026/_defaults.yaml", f"年度: {year}\n")
    write("2026/社工.yaml", PROJECT)
    result = rollover(Path("2026"), 2027, Path("2027"))
    assert [str(f) for f in result.findings] == [
        f"2027/_defaults.yaml:1: 年度: 警告: 年度 “{year}” {why}，上级 _defaults.yaml 也没有"
        "写成四位年份的年度，年度和计划日期都未改动；请改为 2027 年的",
        "2027/社工.yaml: 年度: 警告: 这个文件和上级 _defaults.yaml 都没有写成四位年份的年度，"
        "年度和计划日期都未改动；请改为 2027 年的",
    ]
    assert Path("2027/_defaults.yaml").read_text(encoding="utf-8") == f"年度: {year}\n"


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("2026/2027", "错误：输出文件夹 2026/2027 在要结转的文件夹 2026 里面，下次结转时会被当作"
         "上一年度的项目再结转一次；请写到 2026 之外，如 -o 2027/2026\n"),
        ("2026", "错误：输出文件夹 2026 就是要结转的文件夹；结转不改动上一年度的文件，"
         "请写到另一个文件夹，如 -o 2027/2026\n"),
    ],
)  # fmt: skip
def test_an_output_folder_inside_the_old_one_is_refused(runner, year_2026, out, message):
    for force in ([], ["--force"]):
        result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", out, *force])
        assert result.exit_code == 2
        assert result.stderr == message
    assert not Path("2026/2027").exists()
    assert sorted(p.as_posix() for p in Path("2026").rglob("*.yaml")) == [
        "2026/_defaults.yaml", "2026/党群/修缮.yaml", "2026/党群/单年.yaml", "2026/党群/社工.yaml"
    ]  # fmt: skip


def test_an_output_folder_around_the_old_one_is_refused(runner, year_2026):
    # `-o .` for 2026/: the new files would go among the old ones, over 2026/_defaults.yaml
    before = {p: p.read_bytes() for p in Path("2026").rglob("*.yaml")}
    for force in ([], ["--force"]):
        result = runner.invoke(
            main, ["rollover", "2026/党群", "--to", "2027", "-o", "2026", *force]
        )
        assert result.exit_code == 2
        assert result.stderr == (
            "错误：输出文件夹 2026 包含要结转的文件夹 2026/党群，新一年度的文件会和上一年度的混在一起，"
            "还会改动它们共用的 _defaults.yaml；请写到另一个文件夹，如 -o 2027/2026/党群\n"
        )
    assert {p: p.read_bytes() for p in Path("2026").rglob("*.yaml")} == before


def test_the_folder_offered_for_the_current_one_is_neither_in_nor_around_it(runner, year_2026):
    os.chdir("2026")
    result = runner.invoke(main, ["rollover", ".", "--to", "2027", "-o", ".."])
    assert result.exit_code == 2
    assert result.stderr.endswith("请写到另一个文件夹，如 -o ../2027/2026\n")
    assert (
        runner.invoke(main, ["rollover", ".", "--to", "2027", "-o", "../2027/2026"]).exit_code == 0
    )


@pytest.mark.parametrize(
    ("blocker", "out", "message"),
    [
        ("f", "f/sub", "错误：无法结转到 f/sub：f 是一个文件，不是文件夹；"
         "请换一个输出文件夹，或把它移走\n"),
        ("新/党群", "新", "错误：无法结转到 新：新/党群 是一个文件，不是文件夹；"
         "请换一个输出文件夹，或把它移走\n"),
    ],
)  # fmt: skip
def test_a_file_where_an_output_folder_must_be_is_refused_once(
    runner, year_2026, write, blocker, out, message
):
    write("2026/党群/三.yaml", PROJECT.replace("社工", "三"))
    write("2026/其他/四.yaml", PROJECT.replace("社工", "四"))
    write(blocker, "不是文件夹\n")
    for force in ([], ["--force"]):
        result = runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", out, *force])
        assert result.exit_code == 2
        assert (result.stdout, result.stderr) == ("", message)  # one line for the 6 files
    assert Path(blocker).read_text(encoding="utf-8") == "不是文件夹\n"
    assert sorted(p.as_posix() for p in Path(".").rglob("*") if not p.is_relative_to("2026")) == (
        sorted(["f"] if blocker == "f" else ["新", "新/党群"])
    )  # nothing written


@pytest.mark.parametrize("to", ["2026", "2025"])
def test_a_new_year_not_after_the_old_one_is_refused(runner, year_2026, to):
    result = runner.invoke(main, ["rollover", "2026", "--to", to, "-o", "新"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：--to {to} 不晚于要结转的文件的年度 2026；结转生成的是以后年度的文件，"
        "请写 --to 2027\n"
    )
    assert not Path("新").exists()


def test_files_of_the_last_year_are_not_told_a_year_no_one_can_write(runner, write, in_tmp):
    write("9999/社工.yaml", PROJECT.replace("项目名称: 社工", "项目名称: 社工\n年度: 9999"))
    result = runner.invoke(main, ["rollover", "9999", "--to", "9999", "-o", "新"])
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：--to 9999 不晚于要结转的文件的年度 9999；结转生成的是以后年度的文件，"
        "9999 是能写的最后一个年度，无法再往后结转\n"
    )


def test_of_several_years_the_latest_counts(runner, year_2026, write):
    write("2026/党群/去年.yaml", PROJECT.replace("社工", "去年").replace("项目名称: 去年", "项目名称: 去年\n年度: 2025"))  # fmt: skip
    result = runner.invoke(main, ["rollover", "2026", "--to", "2026", "-o", "新"])
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：--to 2026 不晚于要结转的文件的年度 2026（2026 里的文件分属 2025、2026 年度，"
        "以最晚的 2026 为准：每个文件都要结转到比它晚的年度）；"
        "结转生成的是以后年度的文件，请写 --to 2027\n"
    )
    assert runner.invoke(main, ["rollover", "2026", "--to", "2027", "-o", "新"]).exit_code == 0


def test_a_temp_left_by_a_killed_rollover_is_cleared_on_the_next(year_2026):
    from test_output import finished_pid, temp_of

    stale = temp_of(Path("2027/党群"), finished_pid())
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 0
    assert not stale.exists()
    assert sorted(p.name for p in Path("2027/党群").iterdir()) == [
        "修缮.yaml",
        "单年.yaml",
        "社工.yaml",
    ]


def _disk_full_at(name: str, monkeypatch) -> None:
    """The rollover's writes fail from the file named `name` on, as on a full disk."""
    from gen import output

    written = {"new": output.write_new, "atomic": output.write_atomic}

    def failing(kind):
        def write(path, data):
            if path.name == name:
                raise output.WriteFailed(path, OSError(28, "No space left on device", str(path)))
            return written[kind](path, data)

        return write

    monkeypatch.setattr(output, "write_new", failing("new"))
    monkeypatch.setattr(output, "write_atomic", failing("atomic"))


def test_a_file_that_cannot_be_written_stops_the_rollover_and_undoes_it(year_2026, monkeypatch):
    _disk_full_at("社工.yaml", monkeypatch)
    result = rollover(year_2026, 2027, Path("2027"))
    assert result.exit_code == 1 and result.written == []
    assert [str(f) for f in result.findings] == [
        "2026/党群/社工.yaml: 未结转：无法写入 2027/党群/社工.yaml：磁盘空间不足"
    ]
    assert result.closing_line(Path("2027"), 2027) == (
        "结转停止：上面的文件写不进 2027，已写好的 3 个新文件已删除，以免 2027 年度缺少文件；"
        "请解决后重新结转"
    )
    assert not Path("2027").exists()  # its folders were made for the rollover: gone with it


def test_a_forced_rollover_that_stops_keeps_what_it_replaced(year_2026, write, monkeypatch):
    write("2027/党群/修缮.yaml", "项目名称: 旧的\n")
    write("2027/说明.txt", "不是 gen 的文件\n")
    _disk_full_at("社工.yaml", monkeypatch)
    result = rollover(year_2026, 2027, Path("2027"), force=True)
    assert result.written == [Path("2027/党群/修缮.yaml")]
    assert "项目名称: 修缮" in Path("2027/党群/修缮.yaml").read_text(encoding="utf-8")
    assert sorted(p.as_posix() for p in Path("2027").rglob("*")) == [
        "2027/党群",
        "2027/党群/修缮.yaml",
        "2027/说明.txt",
    ]
    assert result.closing_line(Path("2027"), 2027) == (
        "结转停止：上面的文件写不进 2027，已写好的 2 个新文件已删除，以免 2027 年度缺少文件；"
        "已覆盖的 1 个文件是结转后的内容，原来的内容已不在；请解决后重新结转（加 --force）"
    )
