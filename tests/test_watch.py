"""gen watch: what a change rebuilds, rebuilding on save, surviving a broken save, Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from conftest import REPO, good_project

from gen.build import BuildOptions, build
from gen.watch import Rebuilder, wants_rebuild, watch
from gen.workers import WarmWriter

TEMPLATES = REPO / "templates"


def test_project_and_defaults_files_rebuild(tmp_path):
    assert wants_rebuild([tmp_path / "projects/平安办/安保经费.yaml"], TEMPLATES)
    assert wants_rebuild([tmp_path / "projects/_defaults.yaml"], TEMPLATES)
    assert wants_rebuild([tmp_path / "projects/a.yml"], TEMPLATES)


def test_a_template_rebuilds_but_word_lock_files_do_not():
    assert wants_rebuild([TEMPLATES / "绩效目标表.docx"], TEMPLATES)
    assert not wants_rebuild([TEMPLATES / "~$绩效目标表.docx"], TEMPLATES)


def test_other_files_rebuild_nothing(tmp_path):
    changed = [
        tmp_path / "projects/a.yaml~",
        tmp_path / "projects/说明.txt",
        tmp_path / "projects/.~gen-abc.tmp",
        tmp_path / "projects/别的.docx",
    ]
    assert not wants_rebuild(changed, TEMPLATES)


def test_a_folder_renamed_or_moved_rebuilds_but_not_in_the_output_or_hidden(tmp_path):
    (tmp_path / "projects/信访办新").mkdir(parents=True)
    (tmp_path / "output/信访办新").mkdir(parents=True)
    out = tmp_path / "output"
    assert wants_rebuild([tmp_path / "projects/信访办新"], TEMPLATES, out)  # renamed to, moved in
    assert wants_rebuild([tmp_path / "projects/信访办"], TEMPLATES, out)  # renamed from, moved out
    assert not wants_rebuild([tmp_path / "output/信访办新"], TEMPLATES, out)  # made by the build
    assert not wants_rebuild([tmp_path / "projects/.git/objects"], TEMPLATES, out)
    assert not wants_rebuild([out], TEMPLATES, out)  # the output folder itself, made or removed
    hidden = tmp_path / ".工作" / "projects"  # a tree below a hidden folder has folder events
    (hidden / "新").mkdir(parents=True)
    assert wants_rebuild([hidden / "新"], TEMPLATES, out, [hidden])
    assert not wants_rebuild([hidden / ".git"], TEMPLATES, out, [hidden])


def test_a_gone_folder_named_with_a_dot_rebuilds_when_it_held_projects(tmp_path):
    root = tmp_path / "projects"
    root.mkdir()
    held = {root.resolve() / "2025.平安办"}
    assert wants_rebuild([root / "2025.平安办"], TEMPLATES, project_folders=held)
    assert not wants_rebuild([root / "2025.平安办"], TEMPLATES)  # a file, for all gen can tell
    assert not wants_rebuild([root / "说明.txt"], TEMPLATES, project_folders=held)


def test_a_defaults_file_far_above_is_watched_alone_not_its_whole_folder(tmp_path, monkeypatch):
    from gen.watch import _watched_folders

    far = tmp_path / "_defaults.yaml"  # above the folder gen runs in: a home folder, a drive
    far.write_text("格式:\n  金额单位: 元\n", encoding="utf-8")
    work = tmp_path / "工作"
    (work / "projects" / "平安办").mkdir(parents=True)
    (work / "projects" / "_defaults.yaml").write_text("年度: 2026\n", encoding="utf-8")
    (work / "_defaults.yaml").write_text("主管部门: 浦江镇人民政府\n", encoding="utf-8")
    monkeypatch.chdir(work)
    watched = _watched_folders([Path("projects")], TEMPLATES)
    assert watched == sorted([far.resolve(), work.resolve(), TEMPLATES.resolve()])
    assert wants_rebuild([far.resolve()], TEMPLATES, watched=watched)


class _Watcher:
    """gen.watch.watch in a thread, its reports in a queue, stopped by an event."""

    def __init__(self, root: Path, out_dir: Path) -> None:
        self.reports: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.ready = threading.Event()  # set once a change is seen
        self.thread = threading.Thread(
            target=watch,
            args=([root], BuildOptions(out_dir=out_dir, templates=TEMPLATES)),
            kwargs={
                "on_report": self.reports.put,
                "on_error": self.reports.put,
                "stop_event": self.stop,
                "on_ready": self.ready.set,
            },
        )

    def __enter__(self) -> _Watcher:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()

    def next_report(self, path: Path, text: str):  # type: ignore[no-untyped-def]
        """Save `text` to `path` until a report arrives (the watcher may still be starting)."""
        for _ in range(20):
            path.write_text(text, encoding="utf-8")
            try:
                return self.reports.get(timeout=1)
            except queue.Empty:
                continue
        raise AssertionError("no rebuild after saving the file")


def test_watch_rebuilds_and_survives_a_broken_save(tmp_path):
    project = tmp_path / "projects" / "党群" / "社工.yaml"
    project.parent.mkdir(parents=True)
    project.write_text(good_project(), encoding="utf-8")
    form = tmp_path / "output" / "党群" / "社工.docx"
    with _Watcher(tmp_path / "projects", tmp_path / "output") as watcher:
        first = watcher.reports.get(timeout=30)
        assert len(first.built) == 1 and form.exists()
        form.unlink()
        again = watcher.next_report(project, good_project().replace("118人", "120人"))
        assert [r.path for r in again.built] == [project] and form.exists()
        other = project.with_name("其他.yaml")
        added = watcher.next_report(other, good_project("其他"))
        assert [r.path for r in added.built] == [other]  # the unchanged project is not rendered
        assert [r.path for r in added.skipped] == [project]
        broken = watcher.next_report(
            project, good_project().replace("项目名称: 社工", "项目名称：社工")
        )
        assert [f.code for f in broken.findings] == ["yaml-syntax"]
        assert [r.path for r in broken.skipped] == [other]
        assert not form.exists()  # the outdated form of a failed project is removed
        fixed = watcher.next_report(project, good_project())
        assert len(fixed.built) == 1 and form.exists()


def test_a_renamed_folder_is_built_under_its_new_name(tmp_path):
    project = tmp_path / "projects" / "信访办" / "社工.yaml"
    project.parent.mkdir(parents=True)
    project.write_text(good_project(), encoding="utf-8")
    with _Watcher(tmp_path / "projects", tmp_path / "output") as watcher:
        assert len(watcher.reports.get(timeout=30).built) == 1
        assert watcher.ready.wait(timeout=10)
        project.parent.rename(tmp_path / "projects" / "信访办新")  # one event, for the folder
        moved = watcher.reports.get(timeout=10)
    assert [r.path for r in moved.built] == [tmp_path / "projects" / "信访办新" / "社工.yaml"]
    assert (tmp_path / "output" / "信访办新" / "社工.docx").exists()
    assert moved.stale == [tmp_path / "output" / "信访办" / "社工.docx"]  # --clean removes it


def test_a_folder_with_a_dot_moved_out_has_its_forms_reported_stale(tmp_path):
    project = tmp_path / "projects" / "2025.信访办" / "社工.yaml"
    kept = tmp_path / "projects" / "平安办" / "安保.yaml"
    for file in (project, kept):
        file.parent.mkdir(parents=True)
        file.write_text(good_project(file.stem), encoding="utf-8")
    with _Watcher(tmp_path / "projects", tmp_path / "output") as watcher:
        assert len(watcher.reports.get(timeout=30).built) == 2
        assert watcher.ready.wait(timeout=10)
        project.parent.rename(tmp_path / "2025.信访办")  # out of the watched tree: one event
        moved = watcher.reports.get(timeout=10)
    assert moved.stale == [tmp_path / "output" / "2025.信访办" / "社工.docx"]
    assert [r.path for r in moved.skipped] == [kept]


def test_ctrl_c_exits_cleanly(tmp_path):
    """Also through a GBK pipe, with a project whose name GBK cannot encode."""
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "社工😀.yaml").write_text(good_project("社工😀"), encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "gbk"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gen", "watch", "--templates", str(TEMPLATES)],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        encoding="gbk",
        env=env,
    )
    assert process.stderr is not None
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines.append(process.stderr.readline())
        if lines[-1].startswith("正在监视"):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in err and "已中止" not in err
    assert lines[0].endswith("已生成 1 个，失败 0 个，有警告 0 个\n")
    assert lines[-1] == "正在监视改动…（按 Ctrl-C 退出）\n"


def test_help_does_not_load_the_authoring_libraries():
    code = "import sys, gen.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
    code += "('ruamel', 'watchfiles', 'jsonschema')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_a_rebuild_that_fails_in_any_way_is_reported_and_watching_goes_on(tmp_path, monkeypatch):
    import gen.watch

    reports, errors = [], []
    rebuilder = Rebuilder((tmp_path,), BuildOptions(), reports.append, errors.append)
    failures = (
        ValueError("坏的值"),
        OSError(28, "No space left", "output/a.docx"),
        PermissionError(13, "Permission denied", "projects"),
    )
    for failure in failures:

        def failing(*args, failure=failure, **kwargs):
            raise failure

        monkeypatch.setattr(gen.watch, "build", failing)
        rebuilder.run()
    assert errors == [
        "生成时出现意外错误（ValueError: 坏的值）；仍在监视，改正后保存即可重新生成",
        "无法访问 output/a.docx：磁盘空间不足；请腾出磁盘空间后重试；改正后保存即可重新生成",
        # as every command says it (test_cli), and watching goes on
        "无法访问 projects：没有访问权限；请检查路径和它的权限；改正后保存即可重新生成",
    ]
    assert reports == []


# ---------------------------------------------------------------- what stays warm between builds


def template_copy(tmp_path: Path) -> Path:
    """The templates, copied where a test may change them."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("绩效目标表.docx", "绩效目标申报表.docx"):
        (folder / name).write_bytes((TEMPLATES / name).read_bytes())
    return folder


def replace_in_template(template: Path, old: str, new: str) -> None:
    """Edit the text of a template's document.xml, as a user would in Word."""
    with zipfile.ZipFile(template) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(template, "w") as package:
        for info, data in parts:
            if info.filename == "word/document.xml":
                data = data.replace(old.encode(), new.encode())
            package.writestr(info, data)


def test_templates_compile_once_across_builds_and_again_when_changed(tmp_path, compiled_forms):
    project = tmp_path / "projects" / "社工.yaml"
    project.parent.mkdir()
    project.write_text(good_project(), encoding="utf-8")
    templates, form = template_copy(tmp_path), tmp_path / "output" / "社工.docx"
    options, warm = BuildOptions(out_dir=tmp_path / "output", templates=templates), WarmWriter()
    for count in ("118人", "119人", "120人"):
        project.write_text(good_project().replace("118人", count), encoding="utf-8")
        assert len(build([project.parent], options, warm=warm).built) == 1
    assert compiled_forms == ["绩效目标表"]
    replace_in_template(
        templates / "绩效目标表.docx", "财政项目支出绩效目标表", "项目支出绩效目标表"
    )
    assert len(build([project.parent], options, warm=warm).built) == 1
    assert compiled_forms == ["绩效目标表", "绩效目标表"]
    assert "财政项目" not in docx_text(form)


def test_a_changed_defaults_file_is_read_again_by_the_next_build(tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "社工.yaml").write_text(
        good_project().replace("实施单位: 浦江镇社区党群服务中心\n", ""), encoding="utf-8"
    )
    defaults = folder / "_defaults.yaml"
    options, warm = BuildOptions(out_dir=tmp_path / "output"), WarmWriter()
    for unit in ("甲单位", "乙单位"):
        defaults.write_text(f"实施单位: {unit}\n", encoding="utf-8")
        assert len(build([folder], options, warm=warm).built) == 1
        assert unit in docx_text(tmp_path / "output" / "社工.docx")


def docx_text(form: Path) -> str:
    """The text of a form's document.xml."""
    with zipfile.ZipFile(form) as package:
        return package.read("word/document.xml").decode("utf-8")
