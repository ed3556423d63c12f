"""Atomic writes: a form is either the old file, the new file, or absent — never half-written."""

import errno
import os
import sys
from pathlib import Path

import pytest
from conftest import held_open, link_refused, read_only_disk, sharing_violation

from gen import output
from gen.errors import HELD_OPEN, disk_reason


def test_write_atomic_creates_folders_and_leaves_no_temp(tmp_path):
    target = tmp_path / "平安办" / "安保经费.docx"
    output.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["安保经费.docx"]


def test_write_atomic_replaces_an_existing_file_whole(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    output.write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def fail_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(output.WriteFailed) as raised:
        output.write_atomic(target, b"new")
    assert raised.value.message == f"无法写入 {target.as_posix()}：磁盘空间不足"
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_written_file_gets_the_usual_mode(tmp_path):
    target = tmp_path / "a.docx"
    output.write_atomic(target, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def finished_pid() -> int:
    """The id of a process that has run and exited."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def temp_of(folder, pid: int, host: str | None = None):
    """A temp file named as a writer with this process id (on this computer) names it."""
    host = host or output._host_tag()
    temp = folder / f"{output.TEMP_PREFIX}{pid}-{host}-0a1b2c3d{output.TEMP_SUFFIX}"
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"half")
    return temp


def test_remove_stale_temps_clears_what_a_killed_build_left(tmp_path):
    stale = temp_of(tmp_path / "平安办", finished_pid())
    keep = tmp_path / "平安办" / "安保经费.docx"
    keep.write_bytes(b"form")
    assert output.remove_stale_temps(tmp_path) == [stale]
    assert not stale.exists()
    assert keep.exists()


def test_the_temp_of_a_running_writer_is_kept(tmp_path):
    running = temp_of(tmp_path, os.getpid())
    other_computer = temp_of(tmp_path / "a", finished_pid(), host="ffffff")
    assert output._host_tag() != "ffffff"
    assert output.remove_stale_temps(tmp_path) == []
    assert running.exists() and other_computer.exists()


def test_an_ownerless_temp_goes_once_it_is_a_day_old(tmp_path):
    fresh = tmp_path / f"{output.TEMP_PREFIX}abc{output.TEMP_SUFFIX}"
    old = tmp_path / f"{output.TEMP_PREFIX}def{output.TEMP_SUFFIX}"
    for temp in (fresh, old):
        temp.write_bytes(b"half")
    day_ago = old.stat().st_mtime - output.LEGACY_TEMP_AGE - 60
    os.utime(old, (day_ago, day_ago))
    assert output.remove_stale_temps(tmp_path) == [old]
    assert fresh.exists()


def test_a_temp_is_named_by_its_writer(tmp_path, monkeypatch):
    names = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (names.append(src), real_replace(src, dst)))
    output.write_atomic(tmp_path / "a.docx", b"x")
    (name,) = [os.path.basename(n) for n in names]
    assert name.startswith(f"{output.TEMP_PREFIX}{os.getpid()}-{output._host_tag()}-")
    assert output.process_running(os.getpid())
    assert not output.process_running(finished_pid())
    assert not output.process_running(0) and not output.process_running(2**40)


def on_windows(monkeypatch):
    """Run as on Windows, whose rename never replaces a file, and whose CreateHardLink on FAT32
    and exFAT fails with WinError 1, which Python reports as EINVAL."""
    real_rename = os.rename

    def windows_rename(src, dst):
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "Cannot create a file that exists", src, None, dst)
        real_rename(src, dst)

    monkeypatch.setattr(output, "ON_WINDOWS", True)
    monkeypatch.setattr(os, "rename", windows_rename)
    link_refused(monkeypatch, errno.EINVAL)


@pytest.mark.parametrize(
    "disk",
    [lambda patch: None, link_refused, on_windows],
    ids=["hard links", "no hard links (FAT32, exFAT)", "Windows"],
)
def test_write_new_refuses_an_existing_file_and_leaves_no_temp(tmp_path, monkeypatch, disk):
    disk(monkeypatch)
    target = tmp_path / "new.yaml"
    output.write_new(target, b"first")
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(target, b"second")
    assert raised.value.exists
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


# What link() says where a file system has no hard links: EPERM on Linux (FAT32, exFAT), ENOTSUP
# on macOS, the others from FUSE and network file systems (Linux's ENOTSUP is its EOPNOTSUPP)
NO_HARD_LINKS = sorted(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, errno.EMLINK}
)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows renames without linking")
@pytest.mark.parametrize("number", NO_HARD_LINKS, ids=errno.errorcode.get)
def test_write_new_without_hard_links_writes_the_file_whole(tmp_path, monkeypatch, number):
    link_refused(monkeypatch, number)
    target = tmp_path / "new.yaml"
    output.write_new(target, b"first")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.skipif(sys.platform == "win32", reason="Windows renames without linking")
def test_write_new_without_hard_links_never_replaces_a_file(tmp_path, monkeypatch):
    target = tmp_path / "new.yaml"

    def another_writer_first(src, dst):  # the name is taken while the temp is written
        target.write_bytes(b"theirs")
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), src, None, dst)

    monkeypatch.setattr(os, "link", another_writer_first)
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(target, b"ours")
    assert raised.value.exists
    assert raised.value.message == f"无法写入 {target}：文件已存在，没有覆盖"
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="Windows renames without linking")
@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (OSError(errno.ENOSPC, "No space left"), output.WriteFailed),
        (KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
def test_write_new_without_hard_links_leaves_nothing_when_the_rename_fails(
    tmp_path, monkeypatch, failure, raised
):
    link_refused(monkeypatch)
    renamed = []

    def failed(src, dst):
        renamed.append(os.path.getsize(dst))  # the name is held by an empty file until then
        raise failure

    monkeypatch.setattr(os, "replace", failed)
    with pytest.raises(raised) as caught:
        output.write_new(tmp_path / "new.yaml", b"new")
    assert renamed == [0]
    if raised is output.WriteFailed:
        assert caught.value.message == f"无法写入 {tmp_path / 'new.yaml'}：磁盘空间不足"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows renames without linking")
@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EACCES, "没有写入权限"),
        (errno.EDQUOT, "超出了磁盘配额"),
    ],
)
def test_write_new_tells_a_link_that_fails_for_a_real_reason_as_it_is(
    tmp_path, monkeypatch, number, reason
):
    link_refused(monkeypatch, number)
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(tmp_path / "new.yaml", b"new")
    assert raised.value.message == f"无法写入 {tmp_path / 'new.yaml'}：{reason}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows renames without linking")
def test_write_new_without_hard_links_tells_why_the_name_cannot_be_taken(tmp_path, monkeypatch):
    # a FUSE disk without links (ENOSYS) in a folder one may not write: that is the reason told
    link_refused(monkeypatch, errno.ENOSYS)
    real_open = os.open

    def refused(name, flags, mode=0o777):
        if os.path.basename(name) == "new.yaml":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real_open(name, flags, mode)

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(tmp_path / "new.yaml", b"new")
    assert raised.value.message == f"无法写入 {tmp_path / 'new.yaml'}：没有写入权限"
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_leaves_neither_temp_nor_target(tmp_path, monkeypatch):
    target = tmp_path / "a.docx"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"new")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", [output.write_atomic, output.write_new, output.write_named])
def test_a_ctrl_c_as_the_temp_comes_into_being_leaves_no_temp(tmp_path, monkeypatch, writer):
    # the temp is made, and the interrupt lands before the writer has its descriptor back
    real_open = os.open

    def interrupted(name, flags, mode=0o777):
        os.close(real_open(name, flags, mode))  # closed: Windows would not delete it open
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer(tmp_path / "a.yaml", b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_while_the_temp_is_written_closes_and_removes_it(tmp_path, monkeypatch):
    opened = []
    real_open, real_write = os.open, os.write

    def recorded(name, flags, mode=0o777):
        opened.append(real_open(name, flags, mode))
        return opened[-1]

    def interrupted(fd, data):
        real_write(fd, bytes(data[:1]))  # a part written, then the signal
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", recorded)
    monkeypatch.setattr(os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(tmp_path / "a.docx", b"new")
    monkeypatch.setattr(os, "write", real_write)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OSError):
        os.fstat(opened[0])  # closed


def test_pieces_are_written_in_few_chunks(tmp_path, monkeypatch):
    writes = []
    real_write = os.write
    monkeypatch.setattr(
        os, "write", lambda fd, data: writes.append(len(data)) or real_write(fd, data)
    )
    pieces = [b"%04d," % n + b"x" * 95 for n in range(1000)]  # 100 KB, as a state file comes
    output.write_atomic(tmp_path / "state.json", pieces)
    assert (tmp_path / "state.json").read_bytes() == b"".join(pieces)
    assert len(writes) == 2


def test_a_short_write_is_written_on(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:2])))
    output.write_atomic(tmp_path / "a.docx", [b"form ", b"of ten"])
    assert (tmp_path / "a.docx").read_bytes() == b"form of ten"


def test_a_folder_removed_as_its_file_is_written_is_made_again(tmp_path, monkeypatch):
    # another build's --clean removes the folder it found empty, between making it and writing
    folder = tmp_path / "平安办"
    folder.mkdir()
    real_created = output._created
    calls = []

    def after_a_clean(name):
        if not calls:
            folder.rmdir()
        calls.append(name)
        return real_created(name)

    monkeypatch.setattr(output, "_created", after_a_clean)
    output.write_atomic(folder / "a.docx", b"form")
    assert (folder / "a.docx").read_bytes() == b"form" and len(calls) == 2


def test_a_folder_not_there_yet_is_made_with_its_parents(tmp_path):
    output.write_atomic(tmp_path / "单位" / "平安办" / "a.docx", b"form")
    assert (tmp_path / "单位" / "平安办" / "a.docx").read_bytes() == b"form"


def test_a_name_taken_by_an_earlier_process_with_this_id_is_passed_over(tmp_path, monkeypatch):
    names = iter([".~gen-taken.tmp", ".~gen-free.tmp"])
    monkeypatch.setattr(output, "_temp_names", lambda folder: (str(folder / n) for n in names))
    (tmp_path / ".~gen-taken.tmp").write_bytes(b"left by a killed writer")
    output.write_atomic(tmp_path / "a.docx", b"form")
    assert (tmp_path / "a.docx").read_bytes() == b"form"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~gen-taken.tmp", "a.docx"]


def test_a_killed_writer_leaves_the_old_file_whole(tmp_path):
    import signal
    import subprocess
    import sys

    target = tmp_path / "a.docx"
    target.write_bytes(b"old form")
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from gen import output\n"
        "def stalled(src, dst):\n"
        "    print('written', flush=True)\n"
        "    time.sleep(60)\n"
        "os.replace = stalled\n"
        "output.write_atomic(Path(sys.argv[1]), b'new form' * 100000)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout.readline() == "written\n"  # the temp is whole, the rename pending
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    assert target.read_bytes() == b"old form"
    (temp,) = [p for p in tmp_path.iterdir() if p != target]
    assert temp.name.startswith(output.TEMP_PREFIX)
    assert output.remove_stale_temps(tmp_path) == [temp]


def test_remove_output_below_a_file_is_nothing_to_remove(tmp_path):
    (tmp_path / "afile").write_text("")
    assert output.remove_output(tmp_path / "afile" / "a.pdf") is False


def test_a_file_in_the_way_of_a_folder_is_named_as_such(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(output.WriteFailed) as raised:
        output.write_new(tmp_path / "afile" / "x.yaml", b"x")
    assert isinstance(raised.value.error, NotADirectoryError) and not raised.value.exists
    assert disk_reason(raised.value.error) == "路径中有一个同名文件挡住了文件夹"
    assert disk_reason(PermissionError(13, "Permission denied")) == "没有写入权限"


def test_the_file_blocking_a_folder_is_found_however_deep_the_folder(tmp_path):
    (tmp_path / "afile").write_text("")
    (tmp_path / "folder").mkdir()
    assert output.blocking_file(tmp_path / "afile" / "sub" / "deeper") == tmp_path / "afile"
    assert output.blocking_file(tmp_path / "afile") == tmp_path / "afile"
    assert output.blocking_file(tmp_path / "folder" / "new" / "deeper") is None
    assert output.blocking_file(tmp_path / "folder") is None


def test_a_file_another_program_holds_open_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", held_open("a.docx")[0])
    with pytest.raises(output.WriteFailed) as raised:
        output.write_atomic(tmp_path / "a.docx", b"new")
    assert raised.value.message == (
        f"无法写入 {tmp_path / 'a.docx'}：文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    )
    assert list(tmp_path.iterdir()) == []  # no temp left


def test_on_windows_access_denied_on_replacing_a_file_means_it_is_open(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "ON_WINDOWS", True)
    monkeypatch.setattr(output.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(os, "replace", held_open("a.docx", "b.docx", winerror=False)[0])
    (tmp_path / "a.docx").write_bytes(b"old")
    with pytest.raises(output.WriteFailed) as raised:
        output.write_atomic(tmp_path / "a.docx", b"new")
    assert raised.value.message.endswith("：" + HELD_OPEN)
    with pytest.raises(output.WriteFailed) as raised:  # a new file: the folder is not writable
        output.write_atomic(tmp_path / "b.docx", b"new")
    assert raised.value.message.endswith("：没有写入权限")


READ_ONLY_TOLD = "文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名"


def test_a_read_only_file_the_user_named_is_never_replaced(tmp_path):
    named = tmp_path / "汇总表.xlsx"
    named.write_bytes(b"kept")
    named.chmod(0o444)  # what Windows's 只读 attribute shows as; root is refused all the same
    with pytest.raises(output.WriteFailed) as raised:
        output.write_named(named, b"new")
    assert raised.value.message == f"无法写入 {named}：{READ_ONLY_TOLD}"
    assert named.read_bytes() == b"kept" and list(tmp_path.iterdir()) == [named]
    named.chmod(0o644)
    output.write_named(named, b"new")
    output.write_named(tmp_path / "新.xlsx", b"new")
    assert named.read_bytes() == (tmp_path / "新.xlsx").read_bytes() == b"new"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows refuses to rename over it")
def test_a_read_only_form_of_gens_own_is_replaced(tmp_path):
    form = tmp_path / "a.docx"
    form.write_bytes(b"old")
    form.chmod(0o444)
    output.write_atomic(form, b"new")
    assert form.read_bytes() == b"new"


def test_an_output_held_open_cannot_be_removed(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old")
    monkeypatch.setattr(os, "unlink", held_open("a.pdf")[1])
    with pytest.raises(output.RemoveFailed) as raised:
        output.remove_output(tmp_path / "a.pdf")
    assert raised.value.message == f"无法删除 {tmp_path / 'a.pdf'}：{HELD_OPEN}"


def test_on_a_read_only_disk_a_file_that_is_not_there_is_not_told(tmp_path, monkeypatch):
    kept = tmp_path / "kept.docx"
    kept.write_bytes(b"form")
    read_only_disk(monkeypatch)
    assert output.remove_form(tmp_path / "never.docx") == output.Removal([], [])
    assert output.remove_output(tmp_path / "no-folder" / "a.pdf") is False
    assert output.remove_outdated(tmp_path / "never.docx") == ""
    removal = output.remove_form(kept)
    assert [failed.message for failed in removal.failed] == [f"无法删除 {kept}：文件系统只读"]
    assert kept.read_bytes() == b"form"


def test_a_form_that_cannot_be_removed_says_why(tmp_path, monkeypatch):
    form = tmp_path / "a.docx"
    form.write_bytes(b"form")
    form.with_suffix(".pdf").write_bytes(b"pdf")
    real_unlink = Path.unlink

    def refused(self, missing_ok=False):
        if self.suffix == ".docx":
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    removal = output.remove_form(form)
    assert [failed.message for failed in removal.failed] == [
        f"无法删除 {form.as_posix()}：没有写入权限"
    ]
    assert removal.removed == [form.with_suffix(".pdf")]  # the PDF went all the same
    assert form.exists()


def test_a_form_and_its_pdf_both_held_open_are_both_told(tmp_path, monkeypatch):
    form = tmp_path / "a.docx"
    form.write_bytes(b"form")
    form.with_suffix(".pdf").write_bytes(b"pdf")
    monkeypatch.setattr(os, "unlink", held_open("a.docx", "a.pdf")[1])
    removal = output.remove_form(form)
    assert [failed.message for failed in removal.failed] == [
        f"无法删除 {form}：{HELD_OPEN}",
        f"无法删除 {form.with_suffix('.pdf')}：{HELD_OPEN}",
    ]
    assert removal.removed == [] and form.read_bytes() == b"form"
    assert form.with_suffix(".pdf").read_bytes() == b"pdf"


def test_inside_a_folder_once_symlinks_are_followed(tmp_path):
    out = tmp_path / "output"
    (out / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (out / "file-link.docx").symlink_to(tmp_path / "elsewhere" / "x.docx")
    assert output.is_inside(out, out / "sub" / "a.docx")
    assert output.is_inside(out, out / "file-link.docx")  # deleting it deletes the link only
    assert not output.is_inside(out, out / "link" / "a.docx")
    assert not output.is_inside(out, out / ".." / "a.docx")
    assert not output.is_inside(out, out / "sub" / "..")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_form_below_a_link_to_itself_is_not_there_to_remove(tmp_path):
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    removal = output.remove_form(tmp_path / "loop" / "a.docx")
    assert removal == output.Removal([], [])


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_broken_link_blocks_a_folder_and_is_named_as_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("nowhere", "broken")
    Path("file").write_text("")
    os.symlink("file", "to_file")
    assert output.blocking_file(Path("broken/a/b")) == Path("broken")
    assert output.not_a_folder(Path("broken")) == (
        "broken 是一个失效的符号链接（指向不存在的位置或指向自己），不是文件夹"
    )
    assert output.not_a_folder(Path("to_file")) == "to_file 是一个文件，不是文件夹"
    assert output.blocking_file(Path("sub/a")) is None


def test_a_form_past_the_windows_path_limit_is_said_to_be_too_long(tmp_path, monkeypatch):
    # as Windows without long paths turned on refuses it: "not found", though the folder is there
    monkeypatch.setattr("gen.errors.ON_WINDOWS", True)
    opened = os.open

    def windows_open(name, flags, mode=0o777):
        if len(os.path.abspath(name)) > 259:
            raise FileNotFoundError(errno.ENOENT, "The system cannot find the path specified", name)
        return opened(name, flags, mode)

    monkeypatch.setattr(output.os, "open", windows_open)
    deep = "/".join(
        ["浦江镇人民政府平安办项目"] * ((240 - len(str(tmp_path))) // 13)
    )  # ≤ 255 bytes a name
    target = tmp_path / deep / "安保经费.docx"
    with pytest.raises(output.WriteFailed) as refused:
        output.write_atomic(target, b"form")
    assert refused.value.message.startswith(f"无法写入 {target}：路径太长（完整路径共 2")
    assert "Windows 默认最多 259 个）；请缩短文件夹和文件的名字" in refused.value.message
    assert os.listdir(target.parent) == []  # the folder was made; no temp is left in it


def _held_for_a_moment(times: int, monkeypatch, rename: str = "replace"):
    """os.replace (or os.rename) refused as Windows refuses a file a virus scanner has open
    for a moment: `times` times, then done; the waits between, in seconds."""
    real = getattr(os, rename)
    tries, waits = [], []

    def held(src, dst):
        tries.append(dst)
        if len(tries) <= times:
            raise sharing_violation(os.fspath(dst))
        return real(src, dst)

    monkeypatch.setattr(output, "ON_WINDOWS", True)
    monkeypatch.setattr(os, rename, held)
    monkeypatch.setattr(output.time, "sleep", waits.append)
    return waits


@pytest.mark.parametrize("there", [False, True])
def test_on_windows_a_form_held_for_a_moment_is_written_all_the_same(tmp_path, monkeypatch, there):
    form = tmp_path / "安保经费.docx"
    if there:
        form.write_bytes(b"old")
    waits = _held_for_a_moment(3, monkeypatch)
    output.write_atomic(form, b"new")
    assert form.read_bytes() == b"new" and list(tmp_path.iterdir()) == [form]
    assert waits == [0.05, 0.1, 0.2]


def test_on_windows_a_new_file_held_for_a_moment_is_written_all_the_same(tmp_path, monkeypatch):
    waits = _held_for_a_moment(1, monkeypatch, rename="rename")
    output.write_new(tmp_path / "新项目.yaml", b"new")
    assert (tmp_path / "新项目.yaml").read_bytes() == b"new" and waits == [0.05]


def test_on_windows_a_form_held_for_longer_than_a_moment_is_open_elsewhere(tmp_path, monkeypatch):
    form = tmp_path / "安保经费.docx"
    form.write_bytes(b"old")
    waits = _held_for_a_moment(99, monkeypatch)
    with pytest.raises(output.WriteFailed) as raised:
        output.write_atomic(form, b"new")
    assert raised.value.message.endswith("：" + HELD_OPEN)
    assert waits == [0.05, 0.1, 0.2, 0.4]  # 0.75 s in all, then given up
    assert form.read_bytes() == b"old" and list(tmp_path.iterdir()) == [form]


def test_on_windows_a_read_only_file_is_refused_without_waiting(tmp_path, monkeypatch):
    form = tmp_path / "汇总表.xlsx"
    form.write_bytes(b"kept")
    form.chmod(0o444)
    waits = _held_for_a_moment(99, monkeypatch)
    monkeypatch.setattr(output.os, "access", lambda path, mode: False)  # root may write anything
    with pytest.raises(output.WriteFailed):
        output.write_atomic(form, b"new")
    assert waits == [] and form.read_bytes() == b"kept"


def test_elsewhere_than_windows_a_refused_rename_is_not_tried_again(tmp_path, monkeypatch):
    waits = _held_for_a_moment(1, monkeypatch)
    monkeypatch.setattr(output, "ON_WINDOWS", False)
    with pytest.raises(output.WriteFailed):
        output.write_atomic(tmp_path / "a.docx", b"new")
    assert waits == []
