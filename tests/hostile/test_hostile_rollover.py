"""gen rollover on the sample projects with dates that cannot move, and gen check agreeing with it."""

from __future__ import annotations

import re

from buildfs import run, samples, snapshot


def located(lines: str, code: str) -> set[tuple[str, str]]:
    """(file:line, path) of the printed findings whose message has `code`'s wording."""
    return {
        (match[1], match[2])
        for line in lines.splitlines()
        if code in line and (match := re.match(r"(\S+?:\d+): (\S+):", line))
    }


def test_rollover_keeps_impossible_dates_and_check_agrees_on_every_line(tmp_path):
    folder = samples(tmp_path)
    defaults = folder / "projects" / "_defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    text = text.replace("计划开始日期: 2026-01-01", "计划开始日期: 2026-02-30")
    defaults.write_text(
        text.replace("计划完成日期: 2026-12-31", "计划完成日期: 9999-12-31"), "utf-8"
    )
    before = snapshot(folder, leave_out="2027")
    done = run(folder, "rollover", "projects", "--to", "2027", "-o", "2027")
    assert done.code == 0
    assert done.out.splitlines()[:2] == [
        "2027/_defaults.yaml:3: 计划开始日期: 警告: 计划开始日期 2026-02-30 不是日历上的日期，未改动；请填写正确的新日期",
        "2027/_defaults.yaml:4: 计划完成日期: 警告: 计划完成日期 9999-12-31 推后 1 年就超出了 9999 年，未改动；请填写正确的新日期",
    ]
    assert "计划开始日期: 2026-02-30\n计划完成日期: 9999-12-31\n" in (
        folder / "2027" / "_defaults.yaml"
    ).read_text(encoding="utf-8")
    assert snapshot(folder, leave_out="2027") == before
    check = run(folder, "check", "2027")
    assert check.code == 1
    assert "计划开始日期: “2026-02-30”不是有效日期" in check.out
    # the periods that no longer hold 年度: the same six places, at the same lines
    periods = located(done.out, "项目期间 20")
    assert len(periods) == 6 and located(check.out, "不在项目期间") == periods
