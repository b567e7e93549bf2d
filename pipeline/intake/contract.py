"""The input contract: registry columns, return sheets, labels and column headers.

One definition serves the reader, the blank-form writer and the README test, so
the form the office sends out and the reader that takes it back cannot drift apart.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from enum import Enum

from pipeline.vn.units import COMMUNE_KINDS, VILLAGE_KINDS

# Far above any real commune, low enough that a typo (or a hostile file) in the
# billions never reaches a total.
MAX_COUNT = 100_000
MAX_AMOUNT = 10**12


class FieldType(Enum):
    TEXT = "văn bản"
    CODE = "mã (giữ nguyên số 0 ở đầu)"
    COUNT = "số nguyên từ 0 đến 100.000"
    AMOUNT = "số tiền (đồng, số nguyên từ 0 đến 1.000.000.000.000)"
    DATE = "ngày (dd/mm/yyyy)"
    PERIOD = "kỳ báo cáo (ví dụ 11/2020, Quý IV/2020)"
    CHOICE = "một giá trị trong danh sách"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: FieldType
    required: bool
    hint: str
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        """What a clerk must put in the cell, in Vietnamese."""
        if self.choices:
            return "một trong các giá trị: " + ", ".join(self.choices)
        return self.type.value


INFO_SHEET = "Thông tin"
VILLAGE_SHEET = "Thôn"
SEVERANCE_SHEET = "Thôi việc"
SHEETS = (INFO_SHEET, VILLAGE_SHEET, SEVERANCE_SHEET)

# Real forms carry a title block above the header row.
HEADER_SEARCH_ROWS = 10

LEVEL_COMMUNE = "Xã"
LEVEL_VILLAGE = "Thôn"
FORM_RESIGNATION = "Thôi việc"
FORM_RETIREMENT = "Nghỉ việc"

MERGE_SEPARATOR = ";"

INFO_FIELDS = (
    Field("code", "Mã đơn vị", FieldType.CODE, True, "Mã của xã trong danh mục đơn vị"),
    Field("name", "Tên đơn vị", FieldType.TEXT, True, "Tên xã đúng như trong danh mục"),
    Field("period", "Kỳ báo cáo", FieldType.PERIOD, True, "Kỳ của báo cáo, ví dụ 11/2020"),
    Field("commune_titles", "Số chức danh cấp xã", FieldType.COUNT, True,
          "Số chức danh người hoạt động không chuyên trách cấp xã"),
    Field("people_before", "Số người trước sắp xếp", FieldType.COUNT, True,
          "Số người hoạt động không chuyên trách cấp xã trước sắp xếp"),
    Field("people_after", "Số người sau sắp xếp", FieldType.COUNT, True,
          "Số người hoạt động không chuyên trách cấp xã sau sắp xếp"),
    Field("approved_on", "Ngày phê duyệt phương án", FieldType.DATE, False,
          "Ngày phương án sắp xếp được phê duyệt (nếu có)"),
    Field("prepared_by", "Người lập biểu", FieldType.TEXT, True, "Họ và tên người lập biểu"),
    Field("prepared_on", "Ngày lập", FieldType.DATE, True, "Ngày lập biểu"),
)

VILLAGE_COLUMNS = (
    Field("name", "Tên thôn", FieldType.TEXT, True, "Tên thôn, tổ dân phố sau sắp xếp"),
    Field("kind", "Loại", FieldType.CHOICE, True, "Loại thôn, tổ dân phố", VILLAGE_KINDS),
    Field("merged_from", "Sáp nhập từ", FieldType.TEXT, False,
          "Các thôn cũ được sáp nhập, cách nhau bởi dấu ; (để trống nếu không sáp nhập)"),
    Field("titles", "Số chức danh", FieldType.COUNT, True, "Số chức danh ở thôn"),
    Field("people_before", "Số người trước", FieldType.COUNT, True, "Số người trước sắp xếp"),
    Field("people_after", "Số người sau", FieldType.COUNT, True, "Số người sau sắp xếp"),
)

SEVERANCE_COLUMNS = (
    Field("full_name", "Họ và tên", FieldType.TEXT, True, "Họ và tên người thôi việc, nghỉ việc"),
    Field("level", "Cấp", FieldType.CHOICE, True, "Xã (cấp xã) hoặc Thôn (ở thôn, tổ dân phố)",
          (LEVEL_COMMUNE, LEVEL_VILLAGE)),
    Field("title", "Chức danh", FieldType.TEXT, True, "Chức danh đã đảm nhiệm"),
    Field("form", "Hình thức", FieldType.CHOICE, True, "Thôi việc hoặc Nghỉ việc",
          (FORM_RESIGNATION, FORM_RETIREMENT)),
    Field("amount", "Số tiền", FieldType.AMOUNT, True, "Số tiền trợ cấp (đồng)"),
    Field("paid_on", "Ngày chi trả", FieldType.DATE, False, "Ngày chi trả (để trống nếu chưa chi)"),
    # What the amount is computed from under the office's legal basis (`severance_basis`
    # in the settings): filled in, the amount is checked against the decree's formula.
    Field("monthly_allowance", "Phụ cấp hàng tháng", FieldType.AMOUNT, False,
          "Phụ cấp hàng tháng hiện hưởng, của tháng liền kề trước khi nghỉ việc (đồng)"),
    Field("months_worked", "Số tháng công tác", FieldType.COUNT, False, "Tổng số tháng công tác"),
    Field("months_to_retirement", "Số tháng đến tuổi nghỉ hưu", FieldType.COUNT, False,
          "Số tháng còn đến tuổi nghỉ hưu khi nghỉ việc (0 nếu đã đủ tuổi nghỉ hưu hoặc đang hưởng lương hưu)"),
)

REGISTRY_FILES = ("don-vi.csv", "don-vi.xlsx")
REGISTRY_COLUMNS = (
    Field("code", "Mã đơn vị", FieldType.CODE, True, "Mã đơn vị"),
    Field("name", "Tên đơn vị", FieldType.TEXT, True, "Tên đơn vị"),
    Field("kind", "Loại", FieldType.CHOICE, True, "Loại đơn vị", COMMUNE_KINDS),
    Field("merged_from", "Sáp nhập từ", FieldType.TEXT, False,
          "Các đơn vị cũ hợp thành, cách nhau bởi dấu ;"),
)

SETTINGS_FILE = "don-vi-bao-cao.yaml"
PERIOD_SETTINGS_FILE = "bao-cao.yaml"
# A run's statistics in outputs/<PERIOD>/; the next period's run reads them back.
STATISTICS_FILE = "tong-hop.json"
# The blank forms `make forms` writes into outputs/<PERIOD>/, which later runs keep.
FORMS_FOLDER = "bieu-mau"
RETURN_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")


def clean_text(value: str) -> str:
    """NFC, trimmed, inner whitespace folded: how every text from a clerk is compared."""
    # str.split() splits on the whitespace `\s` matches, and drops it at both ends: the same as
    # folding each run into one space and trimming, in a third of the time.
    return " ".join(unicodedata.normalize("NFC", value).split())


@functools.lru_cache(maxsize=4096)  # the same few labels and headers, in every return
def label_key(value: str) -> str:
    """Match key for labels and headers: case, spacing and normal form do not matter."""
    return clean_text(value).casefold()


def split_names(value: str) -> tuple[str, ...]:
    """`A; B;` → ("A", "B"): the `Sáp nhập từ` lists."""
    return tuple(part for part in (clean_text(p) for p in value.split(MERGE_SEPARATOR)) if part)
