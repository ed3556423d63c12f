"""Building among the sample projects when a project, a template, a render process or the disk fails.

Each case runs `gen` as a user does and shows: the exit code, the exact message with its file
(and line), no traceback, every good form byte-identical to a clean build, the failed project's
old form and PDF gone, nothing outside output/ touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildfs import FORM_COUNT, forms, reference, run, samples, snapshot, temps
from conftest import REPO, good_project
from test_render import copy_template

from gen import workers
from gen.build import BuildOptions, build

TEMPLATES = REPO / "templates"
SECURITY = "平安办/安保经费"  # a 绩效目标表 project; line 6 is 财政资金
PETITIONS = ("信访办/信访代理员经费", "信访办/劝导队经费")  # the two 绩效目标申报表 projects


def break_amount(folder: Path) -> None:
    """Make the 安保经费 project fail at its line 6."""
    project = folder / "projects" / f"{SECURITY}.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("  财政资金: 2035.58", "  财政资金: 三千"), encoding="utf-8")


def others(built: dict[str, bytes], *left_out: str) -> dict[str, bytes]:
    """The forms of a build without those named (as "folder/name")."""
    return {k: v for k, v in built.items() if k.removesuffix(".docx") not in left_out}


def template_copy(folder: Path, form: str, old: str, new: str) -> Path:
    """The templates copied into folder/tpl, one piece of one template's document.xml replaced."""
    shutil.copytree(TEMPLATES, folder / "tpl")
    copy_template(folder / "tpl", form, old, new)
    return folder / "tpl"


# ---------------------------------------------------------------- a failed project loses its form


def test_a_project_that_fails_loses_its_old_form_and_pdf(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    (folder / "output" / f"{SECURITY}.pdf").write_bytes(b"%PDF- of the old form")
    break_amount(folder)
    before = snapshot(folder)
    done = run(folder, "build", "projects")
    assert done.code == 1
    assert done.out == f"projects/{SECURITY}.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”\n"
    assert done.err.endswith("；已删除 1 个失败项目的旧表格；已删除 1 个失败项目的旧 PDF\n")
    assert forms(folder / "output") == others(reference().forms, SECURITY)
    assert not (folder / "output" / f"{SECURITY}.pdf").exists()
    assert snapshot(folder) == before


def broken_package(folder: Path) -> None:
    """The 申报表 template is no whole .docx."""
    shutil.copytree(TEMPLATES, folder / "tpl")
    (folder / "tpl" / "绩效目标申报表.docx").write_bytes(b"PK\x03\x04 not a whole package")


def unknown_placeholder(folder: Path) -> None:
    """The 申报表 template asks for a value gen does not give."""
    template_copy(folder, "绩效目标申报表", "{{ 主管部门 }}", "{{ 主管单位 }}")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            broken_package,
            "模板文件 tpl/绩效目标申报表.docx 不是有效的 Word 文档（.docx），可能已损坏；"
            "请在 Word 中打开它另存为 .docx，或换回 gen 自带的模板",
        ),
        (
            unknown_placeholder,
            "模板 tpl/绩效目标申报表.docx 用到了 gen 不提供的占位符“主管单位”"
            "（出错位置附近的文字：“{{ 主管单位 }}”）；请检查模板中的占位符名称是否拼写正确",
        ),
    ],
    ids=["broken", "unknown-placeholder"],
)
def test_a_broken_template_fails_each_of_its_projects_with_one_message(tmp_path, spoil, message):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    spoil(folder)
    before = snapshot(folder)
    done = run(folder, "build", "projects", "--templates", "tpl")
    assert done.code == 1
    assert done.out == ""  # the template's message is said once, not once per project
    failed = "、".join(f"projects/{name}.yaml" for name in PETITIONS)
    assert done.err.splitlines()[0] == f"错误：{message}；{failed} 因此没有生成"
    assert "；已删除 2 个失败项目的旧表格" in done.err
    assert forms(folder / "output") == others(reference().forms, *PETITIONS)
    assert snapshot(folder) == before


TITLE = "{{ 项目名称 }}"  # a tag alone in its paragraph
SYNTAX_END = "；请在 Word 中打开模板改正占位符"
LIMIT_END = "；请检查模板里的循环和表达式，或换回 gen 自带的模板"


def near_text(text: str) -> str:
    return f"（出错位置附近的文字：“{text}”）"


def test_a_broken_tag_is_one_chinese_message_per_template_not_one_per_project(tmp_path):
    folder = samples(tmp_path)
    (folder / "tpl").mkdir()
    for form in ("绩效目标表", "绩效目标申报表"):
        copy_template(folder / "tpl", form, TITLE, "{{ 项目名称 | nosuchfilter }}")
    done = run(folder, "build", "projects", "--templates", "tpl")
    assert done.code == 1
    assert done.out == ""
    reason = "有语法错误：“|”后面的“nosuchfilter”不是模板能用的过滤器"
    where = near_text("{{ 项目名称 | nosuchfilter }}")
    assert done.err.splitlines() == [
        f"错误：模板 tpl/绩效目标表.docx {reason}{where}{SYNTAX_END}；31 个项目因此没有生成",
        f"错误：模板 tpl/绩效目标申报表.docx {reason}{where}{SYNTAX_END}；"
        "projects/信访办/信访代理员经费.yaml、projects/信访办/劝导队经费.yaml 因此没有生成",
        done.err.splitlines()[-1],
    ]
    assert done.err.splitlines()[-1].startswith("已生成 0 个，失败 33 个，有警告 0 个，用时 ")


def test_a_runaway_template_stops_at_a_limit_instead_of_exhausting_memory(tmp_path):
    folder = samples(tmp_path)
    (folder / "tpl").mkdir()
    copy_template(folder / "tpl", "绩效目标表", TITLE, "{{ range(10**9)|list }}")
    copy_template(folder / "tpl", "绩效目标申报表", TITLE, TITLE)
    cap = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
    patch = cap if sys.platform == "linux" else ""
    done = run(folder, "build", "projects", "--templates", "tpl", patch=patch)
    assert done.code == 1
    assert done.err.splitlines()[0] == (
        "错误：模板 tpl/绩效目标表.docx 超出了限制：给函数或过滤器的数字超过 100 万"
        f"{near_text('{{ range(10**9)|list }}')}{LIMIT_END}；31 个项目因此没有生成"
    )
    assert done.err.splitlines()[1].startswith("已生成 2 个，失败 31 个")


def many_projects(folder: Path, count: int = workers.PARALLEL_MIN + 5) -> list[str]:
    """Enough projects for the process pool, in three folders; their names."""
    names = []
    for index in range(count):
        name = f"项目{index:03d}"
        path = folder / "projects" / f"单位{index % 3}" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(good_project(name), encoding="utf-8")
        names.append(f"单位{index % 3}/{name}")
    return names


def test_a_template_expression_failing_for_one_project_in_the_pool_fails_only_that_one(tmp_path):
    names = many_projects(tmp_path)
    clean = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "clean", jobs=1))
    assert clean.exit_code == 0
    # prints nothing for every project but 项目007, where it divides by zero
    fails_once = '{{ 主管部门 }}{{ "" if 项目名称 != "项目007" else 1 // 0 }}'
    template_copy(tmp_path, "绩效目标表", "{{ 主管部门 }}", fails_once)
    old = tmp_path / "output" / "单位1" / "项目007.docx"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"the form of an earlier build")
    done = run(tmp_path, "build", "projects", "--templates", "tpl", "-j", "2")
    assert done.code == 1
    assert done.out == ""
    message, closing = done.err.splitlines()
    assert message == (
        "错误：模板 tpl/绩效目标表.docx 无法填入数据：除数为零（出错位置附近的文字："
        f"“{fails_once}”）；请检查模板中占位符里的表达式，或换回 gen 自带的模板；"
        "projects/单位1/项目007.yaml 因此没有生成"
    )
    assert closing.startswith(f"已生成 {len(names) - 1} 个，失败 1 个")
    assert not old.exists()
    assert forms(tmp_path / "output") == others(forms(tmp_path / "clean"), "单位1/项目007")


def test_a_render_process_that_dies_fails_its_forms_with_a_message(tmp_path):
    names = many_projects(tmp_path)
    # every process, the render processes too, runs sitecustomize: this one dies on 项目007
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os\n"
        "from gen import workers\n"
        "real = workers.FormWriter.write\n"
        "def write(self, document, target):\n"
        "    if target.name == '项目007.docx':\n"
        "        os._exit(9)\n"
        "    return real(self, document, target)\n"
        "workers.FormWriter.write = write\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "build", "projects", "-j", "2", env={"PYTHONPATH": str(hook)})
    assert done.code == 1
    message = (
        "生成进程意外退出，这张表格没有生成；请用 gen build -j 1 重新生成，"
        "仍出错时请把这条消息告诉维护 gen 的同事"
    )
    failed = [line for line in done.out.splitlines() if line.endswith(message)]
    assert "projects/单位1/项目007.yaml: " + message in failed
    built = forms(tmp_path / "output")
    assert len(built) + len(failed) == len(names)
    assert "单位1/项目007.docx" not in built
    assert not temps(tmp_path / "output")
    clean = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "clean", jobs=1))
    assert clean.exit_code == 0
    assert built == {k: v for k, v in forms(tmp_path / "clean").items() if k in built}


# ---------------------------------------------------------------- the disk


FULL_DISK_FOR_STATE = """
    import errno, os
    real_replace = os.replace
    def replace(src, dst):
        if str(dst).endswith(".gen-state.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)
    os.replace = replace
"""


def test_a_full_disk_while_saving_the_state_keeps_every_message_and_form(tmp_path):
    folder = samples(tmp_path)
    break_amount(folder)
    done = run(folder, "build", "projects", patch=FULL_DISK_FOR_STATE)
    assert done.code == 1
    assert done.out == f"projects/{SECURITY}.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”\n"
    assert done.err.splitlines()[0] == (
        "错误：无法写入 output/.gen-state.json：磁盘空间不足；"
        "已生成的表格完好，下次生成时未能记下的表格会重新生成"
    )
    assert done.err.splitlines()[1].startswith(f"已生成 {FORM_COUNT - 1} 个，失败 1 个")
    assert forms(folder / "output") == others(reference().forms, SECURITY)
    assert not (folder / "output" / ".gen-state.json").exists()
    assert not temps(folder / "output")


# Deletion refused as a read-only folder refuses it (chmod does not stop root, who runs CI):
# a file that is not there is not there (ENOENT), as the system says first.
READ_ONLY_OUTPUT = """
    import errno, pathlib
    real_unlink = pathlib.Path.unlink
    def unlink(self, missing_ok=False):
        if self.suffix in (".docx", ".pdf") and "output" in self.parts and self.exists():
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_unlink(self, missing_ok)
    pathlib.Path.unlink = unlink
"""


def test_forms_that_cannot_be_removed_are_named_and_the_rest_is_done(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    break_amount(folder)
    (folder / "projects" / "司法所" / "普法.yaml").unlink()
    done = run(folder, "build", "projects", "--clean", patch=READ_ONLY_OUTPUT)
    assert done.code == 1
    assert done.out.splitlines() == [
        f"projects/{SECURITY}.yaml: 无法删除 output/{SECURITY}.docx：没有写入权限；"
        "这张旧表格与项目文件不符，请手动删除它",
        f"projects/{SECURITY}.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”",
    ]
    assert done.err.splitlines()[0] == (
        "错误：无法删除 output/司法所/普法.docx：没有写入权限；它的项目文件已不存在，请手动删除它"
    )
    assert (folder / "output" / f"{SECURITY}.docx").exists()  # as the user was told
    again = run(folder, "build", "projects")  # the state still knows both: now they go
    assert again.code == 1
    assert again.err.endswith(
        "；已删除 1 个失败项目的旧表格；1 个旧表格的项目文件已不存在（加 --clean 删除）\n"
    )


def read_only(folder: Path, on: bool) -> None:
    """Make a folder read-only for this user, root included (root ignores the mode bits, not the
    immutable flag), or writable again."""
    if os.geteuid() != 0:
        folder.chmod(0o555 if on else 0o755)
        return
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, str(folder)], capture_output=True, text=True)
    if done.returncode != 0:  # a file system without the immutable flag
        pytest.skip(
            f"chattr {flag} failed here, so root cannot make a folder read-only: {done.stderr}"
        )


def test_a_really_read_only_output_folder(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    break_amount(folder)
    security = folder / "output" / "平安办"
    read_only(security, True)
    try:
        done = run(folder, "build", "projects")
    finally:
        read_only(security, False)
    assert done.code == 1
    assert f"projects/{SECURITY}.yaml: 无法删除 output/{SECURITY}.docx：没有写入权限；" in done.out


def test_a_state_file_that_is_a_folder(tmp_path):
    folder = samples(tmp_path)
    (folder / "output" / ".gen-state.json").mkdir(parents=True)
    before = snapshot(folder)
    for _ in range(2):  # and again: nothing was remembered, nothing breaks
        done = run(folder, "build", "projects")
        assert done.code == 1
        assert done.err.splitlines()[0] == (
            "错误：无法写入 output/.gen-state.json：这里已有一个同名文件夹；"
            "已生成的表格完好，下次生成时未能记下的表格会重新生成"
        )
        assert done.err.splitlines()[1].startswith(f"已生成 {FORM_COUNT} 个，失败 0 个")
        assert forms(folder / "output") == reference().forms
    assert snapshot(folder) == before


def test_gen_new_with_a_name_too_long_for_the_disk(tmp_path):
    folder = samples(tmp_path)
    before = snapshot(folder)
    name = "夜间巡逻" * 30
    done = run(tmp_path, "new", f"projects/{name}.yaml")
    assert done.code == 2
    assert done.err == (
        f"错误：projects/{name}.yaml 不能作为项目文件名：文件名太长；请换一个短一些、普通一些的文件名\n"
    )
    assert snapshot(folder) == before
