"""A document to write, as the run hands it to the renderer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any


class Format(Enum):
    DOCX = "docx"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True)
class DocumentJob:
    """One document to write: which template, with what, to which file name."""

    template: Path
    context: dict[str, Any]
    file_name: str
    format: Format = Format.DOCX
