"""Reading YAML files the office edits: typed access with Vietnamese messages
that name the file, the line and the key.

Whatever a file holds, reading it raises `SettingsError` and nothing else. YAML
accepts more than Python does (a 31 November, `!!int 12a`) and more than the
office needs: aliases, which can make a file of kilobytes gigabytes once expanded,
are refused, and so are deep nesting and files far bigger than any the office
writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from pipeline.intake.contract import clean_text
from pipeline.vn.numbers import format_number

# `kind:` of an issuing body → is it a Party committee?
ISSUER_KINDS = {"state": False, "party": True}

# The office's files are under 10 KB; a narrative of a hundred long paragraphs is under 100.
MAX_YAML_BYTES = 512 * 1024
# The deepest value the office writes is three levels down (`opinions[1].points[2]`).
MAX_YAML_DEPTH = 16

SAME_AS_SAMPLE = "so với tệp mẫu cùng tên trong thư mục inputs của chương trình"


class SettingsError(Exception):
    """An office-edited file the run cannot use; the message is for the office, in Vietnamese."""


class YamlReader:
    """Typed access to a parsed YAML mapping, with messages naming file, line and key.
    `lines` maps a key's full name (`organiser.name`, `chair[2].name`) to its line."""

    def __init__(self, path: Path, data: Any, prefix: str = "", lines: Mapping[str, int] | None = None) -> None:
        self.path = path
        self.data = data if isinstance(data, dict) else {}
        self.prefix = prefix
        self.lines = lines or {}

    def fail(self, key: str, expected: str) -> SettingsError:
        name = f"{self.prefix}{key}"
        line = self.lines.get(name)
        where = f", dòng {line}" if line else ""  # a missing key has no line
        return SettingsError(f"Tệp {self.path.name}{where}, khóa '{name}': {expected}.")

    def section(self, key: str) -> YamlReader:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "thiếu mục này hoặc mục không đúng dạng (cần các khóa con)")
        return YamlReader(self.path, value, f"{self.prefix}{key}.", self.lines)

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(key, "thiếu giá trị")
            return default
        if isinstance(value, (dict, list)):
            raise self.fail(key, "cần một dòng chữ")
        if isinstance(value, (bool, bytes)):
            # `có`, `yes`, `no`, `on` unquoted read as true/false: a document would print "True".
            raise self.fail(key, "cần một dòng chữ, giá trị này đọc thành đúng/sai (true/false): "
                                  "đặt giá trị trong ngoặc kép, ví dụ \"yes\"")
        return clean_text(str(value))

    def text_lines(self, key: str) -> tuple[str, ...]:
        """One line of text, or a list of lines (a name as the header breaks it)."""
        value = self.data.get(key)
        if isinstance(value, list):
            if not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise self._fail(key, "cần một dòng chữ, hoặc danh sách các dòng (mỗi dòng bắt đầu bằng dấu -)")
            return tuple(clean_text(v) for v in value)
        return (self.text(key),)

    def choice(self, key: str, choices: tuple[str, ...] | dict[str, Any], default: str) -> str:
        value = self.text(key, required=False, default=default)
        if value not in choices:
            raise self.fail(key, f"giá trị '{value}' không hợp lệ, cần một trong: {', '.join(choices)}")
        return value

    def positive_int(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, "cần một số nguyên dương")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "cần true hoặc false")
        return value

    def paragraphs(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "cần một danh sách đoạn văn (mỗi dòng bắt đầu bằng dấu -)")
        return tuple(p for p in (clean_text(v) for v in value) if p)

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        raise self.fail(key, "cần một ngày dạng YYYY-MM-DD, ví dụ 2020-11-18, hoặc để trống")

    def dates(self, key: str) -> tuple[dt.date, ...]:
        """A list of days, one a line (`- 2020-01-01`); none when the key is absent."""
        value = self.data.get(key) or []
        # A datetime is a date too, but a time of day in a list of days is a typing slip.
        if not isinstance(value, list) or not all(type(v) is dt.date for v in value):
            raise self.fail(key, "cần một danh sách ngày dạng YYYY-MM-DD, mỗi dòng một ngày bắt đầu bằng dấu -, "
                                 "ví dụ - 2020-09-02")
        return tuple(sorted(set(value)))


class LoadedYaml(NamedTuple):
    data: Any
    lines: dict[str, int]  # a key's full name → the line it is written on


class _Refused(Exception):
    """Something the loader will not read, where it is (a 0-based line) and why."""

    def __init__(self, line: int, reason: str, node: yaml.Node | None = None) -> None:
        super().__init__(reason)
        self.line, self.reason, self.node = line, reason, node


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and deep nesting, its value errors
    (ValueError from `date(2020, 11, 31)`, an unknown tag) tied to their node."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(self.peek_event().start_mark.line,
                           "dùng bí danh YAML (dấu * trước một tên): tệp này không nhận bí danh, vì một bí danh "
                           "có thể nhân tệp nhỏ thành hàng gigabyte. Chép thẳng giá trị vào chỗ đang ghi bí danh")
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(self.peek_event().start_mark.line,
                               f"các mục lồng nhau quá {MAX_YAML_DEPTH} tầng. Viết lại theo cấu trúc của tệp mẫu")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _Refused:
            raise
        except (ValueError, TypeError, ArithmeticError, yaml.YAMLError) as error:
            raise _Refused(node.start_mark.line, _bad_value(node, error), node) from None


def _bad_value(node: yaml.Node, error: Exception) -> str:
    value = "này"
    if isinstance(node, yaml.ScalarNode):  # a bad value may be kilobytes long
        value = f"'{node.value}'" if len(node.value) <= 40 else f"'{node.value[:40]}…'"
    tag = node.tag.removeprefix("tag:yaml.org,2002:")
    if tag == "timestamp":
        return f"ngày {value} không có trên lịch. Cần một ngày có thật dạng YYYY-MM-DD, ví dụ 2020-11-18"
    if tag in ("int", "float"):
        return f"giá trị {value} không phải một số. Sửa thành số, hoặc đặt trong ngoặc kép nếu là chữ"
    detail = getattr(error, "problem", None) or str(error)
    written = f"!!{tag}" if tag != node.tag else tag
    return (f"giá trị {value} không đọc được theo kiểu {written} ghi kèm (chi tiết kỹ thuật: {detail}). "
            f"Xóa phần bắt đầu bằng dấu ! trước giá trị")


def _entries(node: yaml.Node, prefix: str = "") -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(full name, node naming it, value node) for every value under `node`, as
    `YamlReader` names keys: `organiser.name`, `chair[2].name`."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}" if isinstance(key, yaml.ScalarNode) else f"{prefix}?"
            yield name, key, value
            yield from _entries(value, f"{name}.")
    elif isinstance(node, yaml.SequenceNode):
        parent = prefix.removesuffix(".")
        for index, item in enumerate(node.value, start=1):
            yield f"{parent}[{index}]", item, item
            yield from _entries(item, f"{parent}[{index}].")


def _key_lines(root: yaml.Node) -> dict[str, int]:
    """Each key's line; a key written twice in one mapping is refused, since YAML
    would silently keep the second."""
    lines: dict[str, int] = {}
    for name, key, _ in _entries(root):
        line = key.start_mark.line + 1
        if name in lines and isinstance(key, yaml.ScalarNode):
            raise _Refused(key.start_mark.line, f"khóa ghi hai lần (dòng {lines[name]} và dòng {line}). "
                                                f"Xóa một trong hai", key)
        lines.setdefault(name, line)
    return lines


# `  tên khóa:` — a key at the start of a line, maybe after list dashes.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s#'\"\-{\[][^:#]*?|\"[^\"]*\"|'[^']*') *:(?: |$)")


def _key_near(text: str, line: int) -> str:
    """The key a line (0-based) belongs to, by indentation, for a file YAML could not
    parse; "" when none is written above it."""
    path: list[tuple[int, str]] = []
    for row in text.splitlines()[:line + 1]:
        if found := _KEY_LINE.match(row):
            indent = len(found[1]) + len(found[2])
            path = [(i, k) for i, k in path if i < indent] + [(indent, found[3].strip("'\""))]
    return ".".join(k for _, k in path)


def _key_part(text: str, line: int, node: yaml.Node | None = None, root: yaml.Node | None = None) -> str:
    """`, khóa 'organiser.name'`: the key found in the parsed file when there is one,
    else guessed from the text; "" when there is none."""
    key = next((name for name, key, value in _entries(root) if node in (key, value)), "") if node and root else ""
    key = key or _key_near(text, line)
    return f", khóa '{key}'" if key else ""


def _where(text: str, line: int, node: yaml.Node | None = None, root: yaml.Node | None = None) -> str:
    """`dòng 12, khóa 'organiser.name'`."""
    return f"dòng {line + 1}{_key_part(text, line, node, root)}"


def _syntax_hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "có ký tự Tab; YAML chỉ thụt dòng bằng dấu cách. Thay mỗi Tab bằng dấu cách"
    return (f"kiểm tra dấu hai chấm, dấu ngoặc, ngoặc kép và thụt dòng ở dòng này và dòng trên, {SAME_AS_SAMPLE}"
            f" (chi tiết kỹ thuật: {problem})")


def _decoded(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n")
        text = data.decode("utf-8-sig", errors="replace")
        raise SettingsError(f"Tệp {path.name}, {_where(text, line)}: có ký tự không phải bảng mã UTF-8. Mở tệp "
                            f"bằng Notepad, chọn Tệp → Lưu thành, Mã hóa (Encoding) UTF-8, rồi lưu.") from None


def load_yaml(path: Path) -> LoadedYaml:
    """The file's data and its keys' lines; any problem raises `SettingsError`
    naming the file, the line and the key."""
    if not path.is_file():
        raise SettingsError(f"Không tìm thấy tệp {path}.")
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise SettingsError(f"Tệp {path.name} quá lớn ({format_number(size // 1024)} KB, tối đa "
                            f"{format_number(MAX_YAML_BYTES // 1024)} KB): tệp này chỉ ghi vài trang chữ. "
                            f"Xóa phần thừa, {SAME_AS_SAMPLE}.")
    with path.open("rb") as handle:
        text = _decoded(path, handle.read(MAX_YAML_BYTES + 1))
    loader = root = None
    try:
        loader = _BoundedLoader(text)  # which refuses control characters at once
        root = loader.get_single_node()
        if root is None:
            return LoadedYaml(None, {})
        lines = _key_lines(root)
        return LoadedYaml(loader.construct_document(root), lines)
    except _Refused as refused:
        where = _where(text, refused.line, refused.node, root)
        raise SettingsError(f"Tệp {path.name}, {where}: {refused.reason}.") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if error.context_mark and (mark is None or mark.index >= len(text.rstrip())):
            mark = error.context_mark  # found only at the end (a bracket never closed): where it opened
        line = mark.line if mark else 0
        raise SettingsError(f"Tệp {path.name} sai cú pháp YAML (dòng {line + 1}){_key_part(text, line)}: "
                            f"{_syntax_hint(error.problem or '')}.") from None
    except yaml.reader.ReaderError as error:
        where = _where(text, text[:error.position].count("\n"))
        raise SettingsError(f"Tệp {path.name}, {where}: có ký tự điều khiển không được dùng "
                            f"(mã {error.character:#x}). Xóa ký tự đó.") from None
    finally:
        if loader:
            loader.dispose()
