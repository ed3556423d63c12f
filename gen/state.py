"""The incremental-build state: what each form in the output folder was built from, kept in one JSON file."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from gen import output
from gen._version import __version__
from gen.errors import Finding, Location
from gen.load import KeyPath, Source, Unusable, read_file
from gen.others import Given
from gen.rules import copy_marks

STATE_FILE = ".gen-state.json"  # in the output folder
FORMAT = 4  # bump when an entry's shape changes: an older file then just means a full build
# What the copy-paste checks read of a project: digests of these fields and where each was written.
CROSS_FIELDS = ("项目总目标", "年度总体目标", "绩效指标")
ENTRY_FIELDS: tuple[str, ...] = ("project", "inputs", "findings", "digest", "form", "template")
ENTRY_FIELDS += ("size", "sha256", "others")


class Fingerprints:
    """Hashes of everything a project's findings and form depend on besides the template.

    Each file is read once per build, however many projects share it (a _defaults.yaml).
    """

    def __init__(self, options: Mapping[str, str]) -> None:
        shown = json.dumps(dict(options), sort_keys=True, ensure_ascii=False)
        self._head = f"gen {__version__}\0{shown}".encode()
        self._files: dict[Path, bytes | None] = {}

    def of(self, defaults: Iterable[Path], project: Path) -> tuple[str | None, bytes | None]:
        """The hash of a project's inputs, None when one cannot be read; and the project file's
        bytes, None when it cannot be (its check then reads it again and says why).

        `defaults` are the project's _defaults.yaml files; the paths are named as the user gave
        them (the names appear in messages). The bytes hashed are the bytes to check, so the
        state never pairs a form with a hash of another version of its file.
        """
        try:
            data = read_file(project)
        except (OSError, Unusable):
            return None, None
        digest = hashlib.sha256(self._head)
        for file in defaults:
            if file not in self._files:
                self._files[file] = _file_digest(file)
            part = self._files[file]
            if part is None:
                return None, data
            digest.update(part)
        digest.update(_named_digest(project, data))
        return digest.hexdigest(), data


def _file_digest(file: Path) -> bytes | None:
    """The hash of a file's name and bytes; None when it cannot be read, or is no project file
    to read (a pipe would block, a huge file is refused by load.py anyway)."""
    try:
        return _named_digest(file, read_file(file))
    except (OSError, Unusable):
        return None


def _named_digest(file: Path, data: bytes) -> bytes:
    """The hash of a file's name and bytes."""
    return hashlib.sha256(f"{file.as_posix()}\0{len(data)}\0".encode() + data).digest()


@dataclass(frozen=True)
class Digest:
    """The part of a checked project that the checks across projects read."""

    path: Path
    marks: dict[str, str]  # rules.copy_marks(): digests of the CROSS_FIELDS, not their texts
    origins: dict[str, Location]  # where each CROSS_FIELD was written (source.locate)

    @classmethod
    def of(cls, source: Source, doc: dict[str, Any]) -> Digest:
        """The digest of a validated project."""
        origins = {name: source.locate(name) for name in CROSS_FIELDS}
        return cls(source.path, copy_marks(doc), origins)

    def source(self) -> Source:
        """A stand-in Source that answers locate() for the CROSS_FIELDS as the real one did."""
        origins: dict[KeyPath, Location] = {(name,): at for name, at in self.origins.items()}
        return Source(self.path, {}, origins)

    def as_json(self) -> dict[str, Any]:
        """The digest as JSON data."""
        return {"marks": self.marks, "origins": _places_json(self.origins)}

    @classmethod
    def from_json(cls, path: Path, data: dict[str, Any]) -> Digest:
        """A digest read back from the state file."""
        return cls(path, dict(data["marks"]), _places(data["origins"]))


@dataclass
class Entry:
    """One form in the output folder: the inputs it was built from and what checking found."""

    project: str  # the project file, absolute, to tell when it has been deleted
    inputs: str  # Fingerprints.of()
    findings: list[Finding]  # those of the project alone (the checks across projects rerun)
    digest: Digest | None  # None when the project did not validate
    form: str = ""  # the 表样 it was built with ("" when not built)
    template: str = ""  # file_hash() of that template
    size: int = -1  # the form as written, to tell when it was changed or deleted by hand
    sha256: str = ""  # of the form's bytes: an edit that keeps the size and the time shows too
    others: Given | None = None  # its 其他栏目, for the template's rows (None: not validated)

    def output_matches(self, path: Path) -> bool:
        """Whether the form at `path` is still, byte for byte, the one this entry wrote.

        Its content is hashed every time: an edited form may keep its size and modification
        time (a copy with its times kept, a clock set back), and hashing a form costs less
        than reading its project file does.
        """
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode) or status.st_size != self.size:
                return False
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False

    def as_json(self) -> dict[str, Any]:
        """The entry as JSON data."""
        return {
            "project": self.project,
            "inputs": self.inputs,
            "findings": [_finding_json(f) for f in self.findings],
            "digest": self.digest.as_json() if self.digest else None,
            "form": self.form,
            "template": self.template,
            "size": self.size,
            "sha256": self.sha256,
            "others": _given_json(self.others) if self.others else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path) -> Entry:
        """An entry read back (valid_entry); `path` is the project file as named in this run."""
        digest = data["digest"]
        return cls(
            project=data["project"],
            inputs=data["inputs"],
            findings=[_finding_from(item) for item in data["findings"]],
            digest=Digest.from_json(path, digest) if digest else None,
            form=data["form"],
            template=data["template"],
            size=data["size"],
            sha256=data["sha256"],
            others=_given(data["others"]) if data["others"] else None,
        )


def _finding_json(finding: Finding) -> list[Any]:
    """A finding as a JSON list."""
    f = finding
    return [f.file.as_posix(), f.line, f.path, f.level, f.code, f.message]


def _finding_from(item: list[Any]) -> Finding:
    """A finding read back."""
    file, line, path, level, code, message = item
    return Finding(Path(file), line, path, level, code, message)


@dataclass
class State:
    """Every entry, keyed by the form's path inside the output folder (posix).

    The file is input like any other: a key that would lead outside the output folder or an
    entry of the wrong shape is dropped when it is read, so it only means a rebuild.
    """

    out_dir: Path
    # entries as read (checked by valid_entry), or as written in this run (compact JSON text:
    # a cold build of many projects then holds a few hundred bytes per form, not a tree of dicts)
    raw: dict[str, dict[str, Any] | str] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def read(cls, out_dir: Path) -> State:
        """The state of `out_dir`; a missing, corrupt or older file gives an empty state."""
        path = out_dir / STATE_FILE
        try:  # only a regular file: reading a named pipe would wait forever
            data = json.loads(path.read_bytes()) if path.is_file() else None
        except (OSError, ValueError, RecursionError):  # RecursionError: nesting too deep
            return cls(out_dir)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(out_dir)
        forms = data.get("forms")
        entries = forms if isinstance(forms, dict) else {}
        kept = {k: v for k, v in entries.items() if safe_key(k) and valid_entry(v)}
        tidy = len(kept) == len(entries) and all(len(v) == len(ENTRY_FIELDS) for v in kept.values())
        return cls(out_dir, {k: _known(v) for k, v in kept.items()}, changed=not tidy)

    def key(self, form: Path) -> str:
        """The key of a form path inside the output folder."""
        return form.relative_to(self.out_dir).as_posix()

    def get(self, form: Path, project: Path) -> Entry | None:
        """The entry of a form, None when there is none."""
        data = self.raw.get(self.key(form))
        if data is None:
            return None
        return Entry.from_json(json.loads(data) if isinstance(data, str) else data, project)

    def written_sha256(self, form: Path) -> str:
        """The SHA-256 of the form as the last build wrote it; "" when not known."""
        data = self.raw.get(self.key(form))
        if isinstance(data, str):
            data = json.loads(data)
        return data.get("sha256", "") if isinstance(data, dict) else ""

    def put(self, form: Path, entry: Entry) -> None:
        """Record (or replace) a form's entry."""
        self.raw[self.key(form)] = _compact(entry.as_json())
        self.changed = True

    def drop(self, form: Path) -> None:
        """Forget a form."""
        if self.raw.pop(self.key(form), None) is not None:
            self.changed = True

    def orphans(self, owned: set[Path]) -> list[Path]:
        """Forms whose project file no longer exists, in path order; `owned`: this run's forms.

        Only forms inside the output folder count: an entry that leads elsewhere through a
        symlinked folder is forgotten, never reported or removed.
        """
        gone = []
        for key, entry in sorted(self.raw.items()):
            form = self.out_dir / key
            if form in owned:
                continue
            data = json.loads(entry) if isinstance(entry, str) else entry
            if os.path.isfile(data["project"]):  # a folder of its name is no project
                continue
            if output.is_inside(self.out_dir, form):
                gone.append(form)
            else:
                self.drop(form)
        return gone

    def write(self) -> None:
        """Save the state atomically, if anything changed; output.WriteFailed if it cannot be."""
        if not self.changed:
            return
        output.write_atomic(self.out_dir / STATE_FILE, self._text())
        self.changed = False

    def _text(self) -> Iterator[bytes]:
        """The state file, entry by entry: never the whole text in memory at once."""
        yield f'{{"format":{FORMAT},"forms":{{'.encode()
        for number, (key, entry) in enumerate(sorted(self.raw.items())):
            text = entry if isinstance(entry, str) else _compact(entry)
            yield f"{',' if number else ''}{_compact(key)}:{text}".encode()
        yield b"}}"


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def safe_key(key: Any) -> bool:
    """A form's path relative to the output folder that goes nowhere else: never `../x` or `/x`."""
    if not isinstance(key, str) or not key.endswith(".docx") or "\0" in key:
        return False
    path = PurePath(key)
    return not path.anchor and ".." not in path.parts and path.as_posix() == key


def valid_entry(data: Any) -> bool:
    """Whether state data has exactly the shape Entry.as_json() writes."""
    texts = ("project", "inputs", "form", "template", "sha256")
    return (
        isinstance(data, dict)
        and all(name in data for name in ENTRY_FIELDS)
        and all(isinstance(data[name], str) for name in texts)
        and _is_number(data["size"], low=-1)
        and isinstance(data["findings"], list)
        and all(_valid_finding(item) for item in data["findings"])
        and (data["digest"] is None or _valid_digest(data["digest"]))
        and (data["others"] is None or _valid_given(data["others"]))
    )


def _known(data: dict[str, Any]) -> dict[str, Any]:
    """An entry's fields, without anything else the file held."""
    return {name: data[name] for name in ENTRY_FIELDS}


def _valid_finding(item: Any) -> bool:
    """A finding as _finding_json() writes it."""
    if not isinstance(item, list) or len(item) != 6:
        return False
    file, line, path, level, code, message = item
    texts = all(isinstance(text, str) for text in (file, path, code, message))
    return texts and _is_number(line, low=0) and level in ("error", "warning")


def _valid_digest(data: Any) -> bool:
    """A digest as Digest.as_json() writes it."""
    if not isinstance(data, dict):
        return False
    marks = data.get("marks")
    return (
        isinstance(marks, dict)
        and all(isinstance(mark, str) for mark in marks.values())
        and _valid_places(data.get("origins"))
    )


def _places_json(places: Mapping[str, Location]) -> dict[str, list[Any]]:
    """Named places in a project's files as JSON data: name → [file, line]."""
    return {name: [at.file.as_posix(), at.line] for name, at in places.items()}


def _places(data: dict[str, list[Any]]) -> dict[str, Location]:
    """Named places read back (checked by _valid_places)."""
    return {name: Location(Path(file), line) for name, (file, line) in data.items()}


def _valid_places(data: Any) -> bool:
    """Whether JSON data has the shape _places_json() writes."""
    return isinstance(data, dict) and all(
        isinstance(at, list) and len(at) == 2 and isinstance(at[0], str) and _is_number(at[1])
        for at in data.values()
    )


def _given_json(given: Given) -> dict[str, Any]:
    """What a project gives under 其他栏目, as JSON data."""
    return {"form": given.form, "entries": _places_json(given.entries), "key_line": given.key_line}


def _given(data: dict[str, Any]) -> Given:
    """What a project gives under 其他栏目, read back (checked by _valid_given)."""
    return Given(data["form"], _places(data["entries"]), data["key_line"])


def _valid_given(data: Any) -> bool:
    """Whether JSON data has the shape _given_json() writes."""
    return (
        isinstance(data, dict)
        and set(data) == {"form", "entries", "key_line"}
        and isinstance(data["form"], str)
        and _is_number(data["key_line"])
        and _valid_places(data["entries"])
    )


def _is_number(value: Any, low: int = 0) -> bool:
    """A whole number from `low` up to what a file size or a line number can be."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < 2**63


def _compact(data: Any) -> str:
    """JSON text without spaces, Chinese kept readable."""
    return _COMPACT.encode(data)
