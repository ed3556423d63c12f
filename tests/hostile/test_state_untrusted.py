"""The state file (output/.gen-state.json) is input: whatever it holds, gen deletes nothing outside
output/, never stops with a traceback, and rebuilds what it cannot trust.
"""

from __future__ import annotations

import json
import os
import shutil
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest
from buildfs import FORM_COUNT, forms, reference, run, samples, snapshot
from conftest import REPO, good_project

from gen.build import BuildOptions, build
from gen.state import STATE_FILE, State

STATE = Path("output") / STATE_FILE
TEMPLATES = REPO / "templates"


def read_state(folder: Path) -> dict[str, Any]:
    return json.loads((folder / STATE).read_text(encoding="utf-8"))


def write_state(folder: Path, data: Any) -> None:
    (folder / STATE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def built_samples(tmp_path: Path) -> Path:
    """The samples, built once."""
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    return folder


def test_clean_never_deletes_outside_the_output_folder(tmp_path):
    folder = built_samples(tmp_path)
    for victim in ("victim.docx", "secret/victim.docx", "absolute/victim.docx", "linked/x.docx"):
        (folder / victim).parent.mkdir(exist_ok=True)
        (folder / victim).write_bytes(b"not gen's to delete")
    (folder / "output" / "link").symlink_to(folder / "linked", target_is_directory=True)
    state = read_state(folder)
    template = next(iter(state["forms"].values()))
    gone = {**template, "project": str(folder / "projects" / "deleted.yaml")}
    keys = [
        "../victim.docx",
        "../secret/victim.docx",
        str(folder / "absolute" / "victim.docx"),
        "link/x.docx",
        "平安办/../../victim.docx",
        "./../victim.docx",
    ]
    state["forms"].update({key: gone for key in keys})
    write_state(folder, state)
    (folder / "projects" / "司法所" / "普法.yaml").unlink()  # a real stale form, inside output/
    before = snapshot(folder)
    done = run(folder, "build", "projects", "--clean")
    assert done.code == 0
    assert done.err.startswith(f"已生成 0 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT - 1} 个")
    assert done.err.endswith("；已删除 1 个项目文件已不存在的旧表格\n")
    assert snapshot(folder) == before  # every victim is still there
    assert not (folder / "output" / "司法所" / "普法.docx").exists()
    assert not set(keys) & set(read_state(folder)["forms"])  # forgotten


def nested(depth: int) -> Any:
    """A list in a list … `depth` deep."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


BAD_ENTRIES: list[Any] = [
    {"others": "联系电话"},
    {"others": {"form": "绩效目标表", "entries": {}}},
    {"others": {"form": "绩效目标表", "entries": {"联系电话": ["a.yaml", -1]}, "key_line": 1}},
    {"others": {"form": "绩效目标表", "entries": [], "key_line": 1}},
    {"others": {"form": 1, "entries": {}, "key_line": True}},
    "garbage",
    '{"project": 1}',
    [1, 2],
    None,
    5,
    {"size": "5778"},
    {"size": 10**30},
    {"size": True},
    {"size": 5778.0},
    {"sha256": 12},
    {"findings": "none"},
    {"findings": [["a.yaml", "第一行", "", "error", "c", "m"]]},
    {"findings": [["a.yaml", 1, "", "fatal", "c", "m"]]},
    {"findings": [[1, 2, 3]]},
    {"digest": "x"},
    {"digest": {"marks": {"项目总目标": 1}, "origins": {}}},
    {"digest": {"marks": {}, "origins": {"项目总目标": ["a.yaml", "b"]}}},
    {"digest": {"marks": {}, "origins": {"项目总目标": ["a.yaml"]}}},
    {"inputs": None},
    {"project": None},
    {"form": 3},
    {"template": []},
    {"inputs": {"nested": nested(400)}},
]


def spoiled(entry: dict[str, Any], bad: Any) -> Any:
    """An entry with some fields replaced by wrong ones, or replaced whole."""
    return {**entry, **bad} if isinstance(bad, dict) else bad


def test_malformed_entries_only_mean_a_rebuild(tmp_path):
    folder = built_samples(tmp_path)
    state = read_state(folder)
    forms_ = state["forms"]
    for (key, entry), bad in zip(sorted(forms_.items()), cycle(BAD_ENTRIES), strict=False):
        forms_[key] = spoiled(entry, bad)
    del forms_[sorted(forms_)[-1]]["inputs"]  # a dict (the list has fewer entries than 33)
    write_state(folder, state)
    done = run(folder, "build", "projects")
    assert done.code == 0
    assert done.err.startswith(f"已生成 {FORM_COUNT} 个，失败 0 个，有警告 0 个，")
    assert forms(folder / "output") == reference().forms
    again = run(folder, "build", "projects")  # the state is whole again
    assert again.err.startswith(f"已生成 0 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT} 个")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # nested deeper than a parser recurses
        '{"format": 3, "forms": {"a.docx": {"size": ' + "9" * 5000 + "}}}",  # over int's limit
        '{"format": 3, "forms": {"a.docx": {"size": NaN}}}',
        '{"format": 3, "forms": [1, 2]}',
        '{"format": 2, "forms": {}}',
        "[]",
        "",
        "\udcff",
    ],
    ids=["deep", "huge-int", "nan", "forms-list", "old-format", "list", "empty", "not-utf8"],
)
def test_a_state_file_of_any_shape_means_a_full_build(tmp_path, text):
    project = tmp_path / "projects" / "a.yaml"
    project.parent.mkdir()
    project.write_text(good_project(), encoding="utf-8")
    state = tmp_path / STATE
    state.parent.mkdir()
    state.write_bytes(text.encode("utf-8", "surrogateescape"))
    report = build([project.parent], BuildOptions(out_dir=tmp_path / "output"))
    assert (len(report.built), report.problems, report.exit_code) == (1, [], 0)
    assert State.read(tmp_path / "output").raw.keys() == {"a.docx"}


def test_what_else_an_entry_holds_is_not_kept(tmp_path):
    project = tmp_path / "projects" / "a.yaml"
    project.parent.mkdir()
    project.write_text(good_project(), encoding="utf-8")
    build([project.parent], BuildOptions(out_dir=tmp_path / "output"))
    state = read_state(tmp_path)
    state["forms"]["a.docx"]["extra"] = nested(400)
    write_state(tmp_path, state)
    report = build([project.parent], BuildOptions(out_dir=tmp_path / "output"))
    assert [r.path for r in report.skipped] == [project]  # the entry itself is sound
    assert "extra" not in read_state(tmp_path)["forms"]["a.docx"]


def test_an_edited_form_of_the_same_size_and_time_is_rebuilt(tmp_path):
    folder = built_samples(tmp_path)
    form = folder / "output" / "平安办" / "安保经费.docx"
    status = form.stat()
    data = bytearray(form.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed: same size
    form.write_bytes(bytes(data))
    os.utime(form, ns=(status.st_atime_ns, status.st_mtime_ns))  # same time
    assert (form.stat().st_size, form.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    done = run(folder, "build", "projects")
    assert done.err.startswith(f"已生成 1 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT - 1} 个")
    assert forms(folder / "output") == reference().forms


def test_moved_folders_keep_their_forms_even_with_clean(tmp_path):
    folder = built_samples(tmp_path / "before")
    moved = tmp_path / "after"
    shutil.move(folder, moved)  # the state names the project files where they were
    done = run(moved, "build", "projects", "--clean")
    assert done.code == 0
    assert done.err.startswith(f"已生成 0 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT} 个")
    assert "已删除" not in done.err
    assert forms(moved / "output") == reference().forms
    projects = [entry["project"] for entry in read_state(moved)["forms"].values()]
    assert len(projects) == FORM_COUNT
    assert all(Path(project).is_relative_to(moved) for project in projects)  # where they are now


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system has no named pipes")
def test_a_named_pipe_for_a_state_file_or_a_template_never_blocks(tmp_path):
    project = tmp_path / "projects" / "a.yaml"
    project.parent.mkdir()
    project.write_text(good_project(), encoding="utf-8")
    (tmp_path / "output").mkdir()
    os.mkfifo(tmp_path / STATE)
    shutil.copytree(TEMPLATES, tmp_path / "tpl")
    (tmp_path / "tpl" / "绩效目标申报表.docx").unlink()
    os.mkfifo(tmp_path / "tpl" / "绩效目标申报表.docx")  # not the 表样 of a.yaml
    done = run(tmp_path, "build", "projects", "--templates", "tpl", timeout=60)
    assert done.code == 0
    assert (tmp_path / "output" / "a.docx").is_file() and (tmp_path / STATE).is_file()
