"""One call from a document to everything the notebooks need: ``load(document) -> Analysis``.

``load`` reads and segments the interview, builds the token table, labels every Q/A pair with
its theme and carries the themes into the tokens.  Notebooks pass their papermill parameters
straight through: an empty string means "the default" (sidecar value, detection, shipped file).
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from interview_lens.analysis.themes import apply_themes, label_themes
from interview_lens.figures.export import save_table
from interview_lens.language.tokens import tokens_from
from interview_lens.model import Interview
from interview_lens.project import DocumentPaths, atomic_write, document_paths
from interview_lens.reading.segment import read_interview
from interview_lens.reading.variables import merge_variables, read_variables

#: The collection's variables table and interview guide, from the project root: one place, read
#: by :func:`load` and the comparison notebook and fingerprinted by the regeneration.
VARIABLES_TABLE = Path("data") / "interviews" / "variables.csv"
GUIDE_FILE = Path("data") / "interviews" / "guide.yaml"


@dataclass(frozen=True)
class Analysis:
    """A document's interview, token table, output folders and a label for figure titles."""

    paths: DocumentPaths
    interview: Interview
    tokens: pd.DataFrame
    label: str

    @property
    def doc_id(self) -> str:
        return self.interview.doc_id

    @property
    def language(self) -> str:
        return self.interview.language

    @property
    def turns(self) -> pd.DataFrame:
        return self.interview.turns

    @property
    def qa(self) -> pd.DataFrame:
        return self.interview.qa

    @property
    def warnings(self) -> list[str]:
        return list(self.interview.meta.get("warnings", []))

    @property
    def variables(self) -> dict:
        """The document's study variables (sidecar over ``variables.csv``), ``{}`` without."""
        return dict(self.interview.meta.get("variables") or {})


def _opt(value: str | Path | None) -> str | Path | None:
    return value if value not in ("", None) else None


def _resolve(value: str | Path | None, root: Path) -> str | Path | None:
    value = _opt(value)
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else root / path


#: How many interviewees a document label names before ``+ N others``.
LABEL_SPEAKERS = 3


def document_label(interview: Interview) -> str:
    """A short label naming the document in figure titles.

    The sidecar's ``short_title`` when given; else ``interviewee · source (year)`` from the
    sidecar and the segmentation; else the document id.  More than
    :data:`LABEL_SPEAKERS` interviewees are named as the first ones and ``+ N others``, so that
    a panel or a transcript of hundreds of speakers still gets a title that fits a figure.
    """
    meta = interview.meta
    if meta.get("short_title"):
        return str(meta["short_title"])
    who = meta.get("interviewee")
    if not who and len(interview.turns):
        speakers = interview.turns.loc[interview.turns["role"] == "interviewee", "speaker"]
        names = list(dict.fromkeys(s for s in speakers if s))
        more = len(names) - LABEL_SPEAKERS
        who = ", ".join(names[:LABEL_SPEAKERS]) + (f" + {more} others" if more > 0 else "")
    when = meta.get("year") or meta.get("date")
    parts = [p for p in (who, meta.get("source")) if p]
    label = " · ".join(str(p) for p in parts) or interview.doc_id
    return f"{label} ({when})" if when else label


def load(
    document: str | Path,
    *,
    output_root: str | Path = "",
    language: str | None = "",
    interviewer: str | None = "",
    aliases: str | Path | None = "",
    themes: str | Path | None = "",
    theme_overrides: str | Path | None = "",
) -> Analysis:
    """Read, segment, tokenise and theme ``document`` (a path from the project root or absolute).

    Parameters
    ----------
    output_root : folder under which ``figures/``, ``data/processed/`` and ``outputs/`` are
        written (``""``: the project root).
    language, interviewer, aliases : as :func:`interview_lens.reading.segment.read_interview`.
    themes : themes YAML (``theme: [keywords]``); default the sidecar's ``themes:``, else
        automatic labels.  theme_overrides : CSV ``qa_id,theme`` that wins over both.
    """
    paths = document_paths(document, output_root)
    interview = read_interview(paths.document, language=_opt(language),
                               interviewer=_opt(interviewer),
                               aliases=_resolve(aliases, paths.root))
    tokens = tokens_from(interview)
    themed_qa = label_themes(interview, tokens, themes=_resolve(themes, paths.root),
                             overrides=_resolve(theme_overrides, paths.root))
    interview, tokens = apply_themes(interview, tokens, themed_qa)
    interview.meta["variables"] = document_variables(interview, paths.root)
    return Analysis(paths=paths, interview=interview, tokens=tokens,
                    label=document_label(interview))


def document_variables(interview: Interview, root: str | Path) -> dict:
    """The document's variables: its row of ``<root>/data/interviews/variables.csv`` (when the
    table exists) merged with the sidecar's ``variables:`` (the sidecar wins, with a warning in
    ``meta["warnings"]``).  Values are ``str``, ``int`` or ``float``; a missing value is left
    out.  A malformed table raises :class:`~interview_lens.errors.ConfigError` naming it, so
    the document is rejected until the table is fixed (its numbers would be wrong).
    """
    table_path = Path(root) / VARIABLES_TABLE
    sidecar = dict(interview.meta.get("variables") or {})
    if not table_path.is_file():
        return sidecar
    table = read_variables(table_path)
    table = table.loc[table["doc_id"] == interview.doc_id]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merged = merge_variables(table, {interview.doc_id: sidecar} if sidecar else {})
    interview.meta.setdefault("warnings", []).extend(str(w.message) for w in caught)
    row = merged.loc[merged["doc_id"] == interview.doc_id]
    if row.empty:
        return {}
    return {name: _plain(value) for name, value in row.iloc[0].items()
            if name != "doc_id" and not pd.isna(value)}


def _plain(value):
    """numpy/pandas scalars as the JSON-ready int, float or str."""
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, (int, float)) else str(value)


def documents_with_variables(table: pd.DataFrame, root: str | Path = "") -> pd.DataFrame:
    """``table`` (one row per document, ``doc_id``) with every document's variables: the rows of
    ``<root>/data/interviews/variables.csv`` under what each document's last run recorded in
    ``data/processed/<doc_id>/document.json`` (its sidecar included).  A variable named like a
    column of ``table`` comes as ``var_<name>``; ``attrs["unknown"]``: the table's rows naming
    no document of ``table`` (a typo in a file name), also a warning."""
    from interview_lens.analysis.documents import read_processed
    from interview_lens.project import project_root
    from interview_lens.reading.variables import with_variables

    root = Path(root) if str(root) else project_root()
    path = root / VARIABLES_TABLE
    base = read_variables(path, documents=list(table["doc_id"])) if path.is_file() else None
    processed = read_processed(root / "data" / "processed")
    recorded = {d: info.get("variables") or {} for d, (info, _) in processed.items()
                if d in set(table["doc_id"]) and info.get("variables")}
    variables = merge_variables(base, recorded)
    clash = {c: f"var_{c}" for c in variables.columns if c != "doc_id" and c in table.columns}
    out = with_variables(table, variables.rename(columns=clash))
    out.attrs["unknown"] = [] if base is None else list(base.attrs.get("unknown", []))
    return out


def guide_file(guide: str | Path | None, root: str | Path) -> Path | None:
    """The interview guide to use: ``guide`` (from the project root) when given, else
    ``data/interviews/guide.yaml`` when it exists, else ``None`` (cluster the Q/A pairs)."""
    chosen = _resolve(guide, Path(root))
    if chosen is not None:
        return Path(chosen)
    default = Path(root) / GUIDE_FILE
    return default if default.is_file() else None


def summary(analysis: Analysis) -> pd.DataFrame:
    """One row per fact about the document: id, language, turns by role, Q/A pairs, tokens."""
    turns, tokens = analysis.turns, analysis.tokens
    roles = turns["role"].value_counts() if len(turns) else pd.Series(dtype=int)
    rows = [
        ("document", analysis.paths.document.name),
        ("doc_id", analysis.doc_id),
        ("label", analysis.label),
        ("language", analysis.language),
        ("turns", len(turns)),
        ("interviewer turns", int(roles.get("interviewer", 0))),
        ("interviewee turns", int(roles.get("interviewee", 0))),
        ("other blocks (lede, captions, headings)", int(roles.get("other", 0))),
        ("Q/A pairs", len(analysis.qa)),
        ("word tokens", len(tokens)),
        ("content tokens", int((~tokens["is_stop"]).sum()) if len(tokens) else 0),
        ("distinct content lemmas",
         int(tokens.loc[~tokens["is_stop"], "lemma"].nunique()) if len(tokens) else 0),
        ("warnings", len(analysis.warnings)),
    ]
    return pd.DataFrame(rows, columns=["fact", "value"]).astype({"value": "str"})


def data_quality(analysis: Analysis) -> pd.DataFrame:
    """What a careful reader should check: each speaker's role and why, merged aliases, other
    blocks, unlabelled and ambiguous lines, warnings.  Columns ``check, detail``; one row per finding."""
    meta = analysis.interview.meta
    quality = meta.get("data_quality", {}) or {}
    rows: list[tuple[str, str]] = []
    for speaker, decision in (quality.get("roles") or {}).items():
        rows.append(("speaker role (override with the sidecar's speakers:)",
                     f"{speaker}: {decision}"))
    if quality.get("questions_unlabelled"):
        rows.append(("questions without a label",
                     "only the interviewee is labelled: the bare questions before each label "
                     "were read as the interviewer's"))
    for canonical, variants in (meta.get("aliases") or {}).items():
        rows.append(("speaker aliases merged", f"{canonical} ← {', '.join(variants)}"))
    others = analysis.turns[analysis.turns["role"] == "other"]
    for _, turn in others.iterrows():
        excerpt = " ".join(str(turn["text"]).split())
        excerpt = excerpt if len(excerpt) <= 90 else excerpt[:87] + "…"
        rows.append(("other block (not a question or answer)",
                     f"turn {turn['turn_id']}: {excerpt}"))
    if quality.get("unlabelled_lines"):
        rows.append(("unlabelled paragraphs joined to the previous turn",
                     str(quality["unlabelled_lines"])))
    for line in quality.get("ambiguous_lines", []) or []:
        rows.append(("ambiguous line (colon, read as text)", f"{line}…"))
    for warning in analysis.warnings:
        rows.append(("warning", warning))
    if not rows:
        rows.append(("no problem found", ""))
    return pd.DataFrame(rows, columns=["check", "detail"])


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists (``answer_turns``) as ``"5;6"`` so the CSV reads back unambiguously."""
    out = df.copy()
    for col in out.columns:
        if len(out) and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ";".join(map(str, v)))
    return out


def save_tables(analysis: Analysis) -> list[Path]:
    """Write ``turns.csv``, ``qa.csv``, ``tokens.csv``, ``warnings.json`` and ``document.json``
    (id, language, label, file name, variables) to the document's
    tables folder (``data/processed/<doc_id>/`` under the output root). Returns the paths."""
    out = analysis.paths.tables
    written = [
        save_table(_flat(analysis.turns), out / "turns.csv"),
        save_table(_flat(analysis.qa), out / "qa.csv"),
        save_table(analysis.tokens, out / "tokens.csv"),
    ]
    info = {"doc_id": analysis.doc_id, "language": analysis.language, "label": analysis.label,
            "document": analysis.paths.document.name, "variables": analysis.variables}
    for name, value in (("warnings.json", analysis.warnings), ("document.json", info)):
        payload = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
        atomic_write(out / name, lambda tmp, p=payload: Path(tmp).write_text(p, encoding="utf-8"))
        written.append(out / name)
    return written
