"""Reading YAML files the office edits: typed access with Vietnamese messages
that name the file and the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from pipeline.intake.contract import clean_text

# `kind:` of an issuing body → is it a Party committee?
ISSUER_KINDS = {"state": False, "party": True}


class SettingsError(Exception):
    """An office-edited file the run cannot use; the message is for the office, in Vietnamese."""


class YamlReader:
    """Typed access to a parsed YAML mapping, with messages naming file and key."""

    def __init__(self, path: Path, data: Any, prefix: str = "") -> None:
        self.path = path
        self.data = data if isinstance(data, dict) else {}
        self.prefix = prefix

    def _fail(self, key: str, expected: str) -> SettingsError:
        return SettingsError(f"Tệp {self.path.name}, khóa '{self.prefix}{key}': {expected}.")

    def section(self, key: str) -> YamlReader:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self._fail(key, "thiếu mục này hoặc mục không đúng dạng (cần các khóa con)")
        return YamlReader(self.path, value, f"{self.prefix}{key}.")

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self._fail(key, "thiếu giá trị")
            return default
        if isinstance(value, (dict, list)):
            raise self._fail(key, "cần một dòng chữ")
        return clean_text(str(value))

    def choice(self, key: str, choices: tuple[str, ...] | dict[str, Any], default: str) -> str:
        value = self.text(key, required=False, default=default)
        if value not in choices:
            raise self._fail(key, f"giá trị '{value}' không hợp lệ, cần một trong: {', '.join(choices)}")
        return value

    def positive_int(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self._fail(key, "cần một số nguyên dương")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "cần true hoặc false")
        return value

    def paragraphs(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "cần một danh sách đoạn văn (mỗi dòng bắt đầu bằng dấu -)")
        return tuple(p for p in (clean_text(v) for v in value) if p)

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        raise self._fail(key, "cần một ngày dạng YYYY-MM-DD, ví dụ 2020-11-18, hoặc để trống")


def load_yaml(path: Path) -> Any:
    if not path.is_file():
        raise SettingsError(f"Không tìm thấy tệp {path}.")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise SettingsError(f"Tệp {path.name} sai cú pháp YAML{where}: {error}.") from error
