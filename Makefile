# Every target sets up .venv on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

PERIOD ?=
INPUTS ?= inputs
OUTPUTS ?= outputs
STRICT ?=
# The province whose communes `make don-vi` writes: `make don-vi TINH="An Giang"`.
TINH ?=

# The templates are linted against the shipped sample's figures.
LINT_PERIOD ?= 2020-11
# Numbers of communes `make bench` measures at: `make bench BENCH_SIZES=300,1000`.
BENCH_SIZES ?= 300,1000,3321

# The values reach the recipes through the environment, never pasted into the
# shell's text: a folder named `Phòng "Nội vụ"; x` stays a folder name. (After the
# defaults: `export` of a variable not yet set would set it empty, and `?=` not at all.)
export PERIOD INPUTS OUTPUTS LINT_PERIOD BENCH_SIZES TINH
PATHS = --inputs "$$INPUTS" --outputs "$$OUTPUTS"
RUN_OPTS = $(PATHS) $(if $(STRICT),--strict,) $(if $(PDF),--pdf,)

# `validate`: ingest and validation only, for checking returns as they arrive.
# `bench`: timings at national scale, not part of `test`.
.PHONY: report validate forms check pdf lint-templates test sample sample-province don-vi bench clean-venv need-period page-images \
	page-images-compare

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

need-period:
	@test -n "$$PERIOD" || { echo "Thiếu kỳ báo cáo: chạy ví dụ 'make report PERIOD=2020-11'"; exit 2; }

report: $(STAMP) need-period
	$(PY) -m pipeline report --period "$$PERIOD" $(RUN_OPTS)

validate: $(STAMP) need-period
	$(PY) -m pipeline validate --period "$$PERIOD" $(PATHS)

don-vi: $(STAMP)
	@test -n "$$TINH" || { echo "Thiếu tên tỉnh: chạy ví dụ 'make don-vi TINH=\"An Giang\"'"; exit 2; }
	$(PY) -m pipeline don-vi --tinh "$$TINH" --inputs "$$INPUTS"

forms: $(STAMP) need-period
	$(PY) -m pipeline forms --period "$$PERIOD" $(PATHS)

check: $(STAMP) need-period
	$(PY) -m pipeline check --inputs "$$INPUTS" "$$OUTPUTS/$$PERIOD"/*.docx "$$OUTPUTS/$$PERIOD"/phan-hoi/*.docx "$$OUTPUTS/$$PERIOD"/*.xlsx

pdf: $(STAMP) need-period
	$(PY) -m pipeline pdf --period "$$PERIOD" $(PATHS)

lint-templates: $(STAMP)
	$(PY) -m pipeline lint-templates --period "$$LINT_PERIOD" --inputs "$$INPUTS"

test: $(STAMP) lint-templates
	$(PY) -m pytest

# Page images (PNG, 60 dpi) of a run's documents in outputs/test-artifacts/$(LABEL)/<document>/, to look at:
# `make page-images PERIOD=2020-11 LABEL=after`. Needs LibreOffice and poppler-utils.
LABEL ?= latest
export LABEL
page-images: $(STAMP) need-period
	$(PY) tools/page_images.py "$$OUTPUTS/$$PERIOD" "$$LABEL"

# The same before and after a change, side by side in outputs/test-artifacts/index.html (pages in
# outputs/test-artifacts/<document>/before|after/): `make page-images-compare PERIOD=2020-11
# BEFORE=/tmp/truoc`, where BEFORE is the OUTPUTS of a run made before the change.
BEFORE ?=
export BEFORE
page-images-compare: $(STAMP) need-period
	@test -n "$$BEFORE" || { echo "Cần BEFORE=<thư mục kết quả của lần chạy trước thay đổi>"; exit 2; }
	$(PY) tools/page_images.py --compare "$$BEFORE/$$PERIOD" "$$OUTPUTS/$$PERIOD"

sample: $(STAMP)
	$(PY) tools/make_sample.py

sample-province: $(STAMP)
	$(PY) tools/make_province_sample.py

bench: $(STAMP)
	$(PY) -m bench.bench --sizes "$$BENCH_SIZES"

clean-venv:
	rm -rf $(VENV)
