"""Writing to real disks that tests otherwise imitate: a USB stick's FAT32 or exFAT, which has no
hard links, and a read-only mount.

They make and mount disk images, which needs root on Linux, and so are left out by default: run
them with `pytest -m mount`. Where a disk cannot be mounted (no root, no exfat-fuse, a kernel
without vfat) its tests are skipped, saying why; test_output.py covers the same logic on any
system by imitating the refusals.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import good_project

from gen import output
from gen.cli import main

pytestmark = [
    pytest.mark.mount,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or os.geteuid() != 0,
        reason="mounting a disk image needs root on Linux",
    ),
]


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def _mounted(stack: ExitStack, image: Path, kind: str, folder: Path) -> None:
    """Mount `image`, a `kind` file system, at `folder`: the kernel's driver, else FUSE's."""
    loop = _run("losetup", "--find", "--show", str(image))
    stack.callback(_run, "losetup", "--detach", loop)
    attempts = [["mount", "-t", kind, loop, str(folder)]]
    if kind == "exfat" and shutil.which("mount.exfat-fuse"):
        attempts.append(["mount.exfat-fuse", loop, str(folder)])
    for attempt in attempts:
        if subprocess.run(attempt, capture_output=True).returncode == 0:
            stack.callback(_run, "umount", str(folder))
            return
    pytest.skip(f"cannot mount {kind} here (tried {', '.join(a[0] for a in attempts)})")


@pytest.fixture(params=["exfat", "vfat"])
def usb_stick(request, tmp_path: Path) -> Iterator[Path]:
    """A freshly made FAT32 or exFAT disk, mounted: the root folder of a USB stick."""
    kind = request.param
    make = {"exfat": ["mkfs.exfat"], "vfat": ["mkfs.vfat", "-F", "32"]}[kind]
    if not shutil.which(make[0]):
        pytest.skip(f"{make[0]} is not installed")
    image, stick = tmp_path / f"{kind}.img", tmp_path / "stick"
    with open(image, "wb") as disk:
        disk.truncate(64 * 1024 * 1024)
    _run(*make, str(image))
    stick.mkdir()
    with ExitStack() as stack:
        _mounted(stack, image, kind, stick)
        yield stick


def test_a_usb_stick_has_no_hard_links_and_write_new_works_there(usb_stick):
    (usb_stick / "a").write_bytes(b"a")
    with pytest.raises(OSError) as refused:
        os.link(usb_stick / "a", usb_stick / "b")
    assert refused.value.errno == errno.EPERM  # from the kernel's drivers and FUSE's alike
    (usb_stick / "a").unlink()
    target = usb_stick / "平安办" / "新项目.yaml"
    output.write_new(target, b"first")
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(target, b"second")
    assert raised.value.exists
    assert target.read_bytes() == b"first"
    assert os.listdir(target.parent) == ["新项目.yaml"]


def test_gen_new_and_rollover_on_a_usb_stick(usb_stick, runner, monkeypatch):
    monkeypatch.chdir(usb_stick)
    (usb_stick / "projects").mkdir()
    (usb_stick / "projects" / "社工.yaml").write_text(good_project(), encoding="utf-8")
    assert runner.invoke(main, ["build", "projects"]).exit_code == 0
    new = runner.invoke(main, ["new", "projects/新项目.yaml"])
    assert new.exit_code == 0, new.output
    rolled = runner.invoke(main, ["rollover", "projects", "--to", "2027", "-o", "2027"])
    assert rolled.exit_code == 0, rolled.output
    assert rolled.stderr.startswith("已结转 2 个文件到 2027（2027年度）")
    assert sorted(os.listdir("2027")) == ["新项目.yaml", "社工.yaml"]
    assert sorted(os.listdir("projects")) == ["新项目.yaml", "社工.yaml"]


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A disk mounted read-only, holding one folder 平安办 with one form, 安保经费.docx."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (disk / "平安办").mkdir()
        (disk / "平安办" / "安保经费.docx").write_bytes(b"form")
        _run("mount", "-o", "remount,ro", str(disk))
        yield disk
    finally:
        _run("umount", str(disk))


def test_on_a_read_only_disk_only_a_file_that_is_there_cannot_be_removed(read_only_disk):
    never = read_only_disk / "平安办" / "人才驿站建设.docx"
    with pytest.raises(OSError) as refused:
        os.unlink(never)
    assert refused.value.errno == errno.EROFS  # though the file is not there
    assert output.remove_form(never) == output.Removal([], [])
    form = read_only_disk / "平安办" / "安保经费.docx"
    removal = output.remove_form(form)
    assert [failed.message for failed in removal.failed] == [f"无法删除 {form}：文件系统只读"]
    assert removal.removed == [] and form.read_bytes() == b"form"
