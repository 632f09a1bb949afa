"""Write notebooks/NN-*.ipynb from the cell lists below (run after editing; commits stay clean).

The notebooks are thin on purpose: markdown that says what the reader sees, a papermill
`parameters` cell of typed, commented literals, then one call into `interview_lens` per cell.
Usage: python scripts/build_notebooks.py
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

PARAMETERS = '''\
document: str = "data/interviews/gt-kurbalija-2025-fr.txt"  # interview to analyse (path from the project root, or absolute)
language: str = ""  # fr or en; empty means language of the sidecar, else detected
concepts: str = ""  # concept dictionary YAML; empty means the shipped src/interview_lens/data/concepts/default.yaml
themes: str = ""  # themes YAML (theme: [keywords]); empty means themes of the sidecar, else automatic labels
unit: str = "sentence"  # co-occurrence unit: sentence, paragraph, turn, qa or window
window: int = 5  # ±k tokens around each concept hit when unit is window
top_n: int = 20  # how many terms the bar charts show
min_count: int = 2  # minimum count for n-grams and keyness
measure: str = "npmi"  # association measure for the heatmap and network: npmi, pmi, jaccard, dice, g2
focus: list = []  # concept ids of the concordance (03); empty means the three with most hits in the document
formats: list = ["png", "svg", "pdf"]  # figure formats, each written next to the CSV of its numbers
dpi: int = 300  # PNG resolution
random_state: int = 0  # seeds the word-cloud and network layouts (same value, same figure)
output_root: str = ""  # where figures/, data/processed/ and outputs/ go; empty means the project root'''

SETUP = '''\
from interview_lens.pipeline import load
from interview_lens.runtime import relax_garbage_collector
from interview_lens.style import apply_style

relax_garbage_collector()  # a notebook keeps its figures: fewer collector passes over them
apply_style()
analysis = load(document, output_root=output_root, language=language, themes=themes)
figures = analysis.paths.figures
print(f"{analysis.label} | {analysis.doc_id} | language {analysis.language}")'''


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str):
    return new_code_cell(text.strip())


def notebook(title_md: str, cells: list, *, parameters: str = PARAMETERS,
             scope: str = "document") -> nbformat.NotebookNode:
    """``scope="corpus"``: run once over the collection, never per document by
    scripts/regenerate.py (``metadata.interview_lens.scope``, read by ``notebook_scope``)."""
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[md(title_md), params, *cells])
    nb.metadata["kernelspec"] = {"name": "interview-lens", "display_name": "Python (interview-lens)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    if scope != "document":
        nb.metadata["interview_lens"] = {"scope": scope}
    return nb


SEGMENT = notebook('''
# 01 · Segment the interview into turns and question/answer pairs

**Question.** Who speaks when, which questions structure the conversation, and what is each
question about?

**Inputs.** `document` (a .txt, .md, .docx, .html or .pdf interview, or a .vtt or .srt
transcript, in `data/interviews/`) and
its optional sidecar `<name>.yaml` (title, year, language, interviewer, aliases, themes).

**Outputs.** `data/processed/<doc_id>/turns.csv`, `qa.csv`, `tokens.csv`, `warnings.json`,
`document.json`. Every later notebook starts from the same `load()` call.
''', [
    code(SETUP),
    md("The document at a glance: turns by role, Q/A pairs, words and distinct content lemmas."),
    code('''
from interview_lens.pipeline import summary

summary(analysis)'''),
    md('''
## Turns

One row per turn. `speaker` is the canonical name (variant spellings merged), `label` the
label as written, `role` is `interviewer`, `interviewee` or `other` (lede, captions, headings);
`start_char`/`end_char` point into the normalised text, so every count can be traced back;
`start_s`/`end_s` are the seconds into the recording where the transcript gives times (.vtt/.srt
cues, labels such as `Name: 00:00:25`; empty otherwise), to go back from a figure to the audio.'''),
    code('''
analysis.turns.assign(text=analysis.turns["text"].str.slice(0, 120))'''),
    md('''
## Question/answer pairs and their themes

`theme_terms` are each pair's most distinctive lemmas against the rest of the interview
(log-likelihood G²); `theme` is the automatic label unless a themes file or the sidecar names
the themes.'''),
    code('''
from interview_lens.shown import or_note

or_note(analysis.qa[["qa_id", "theme", "theme_terms", "question", "answer_turns"]],
        "No question/answer pair was found: the document is read as one block of text, and the term figures of 02 are still drawn.")'''),
    md('''
## Data quality

What a careful reader should check before trusting the counts: merged speaker aliases, blocks
that are neither question nor answer, unlabelled paragraphs joined to the previous turn,
ambiguous lines and warnings. The same warnings go into the run's `manifest.json`.'''),
    code('''
from interview_lens.pipeline import data_quality

data_quality(analysis)'''),
    md("The tables behind every other notebook, written to `data/processed/<doc_id>/`."),
    code('''
from interview_lens.pipeline import save_tables

[str(p.relative_to(analysis.paths.tables.parent.parent.parent)) for p in save_tables(analysis)]'''),
])

TERMS = notebook('''
# 02 · Term frequencies, n-grams, keyness and word clouds

**Question.** What is this interview about, and how does each answer differ?

**Inputs.** `document`; the package's stopword, lemma-override and multi-word lists
(`src/interview_lens/data/lexicon/`).

**Outputs.** In `figures/<doc_id>/`: `terms-top`, `terms-by-theme`, `keyness-by-theme`,
`keyness-by-role`, `bigrams`, `wordcloud`, `wordclouds-by-theme` (PNG, SVG, PDF, each with its
CSV); in `data/processed/<doc_id>/`: `frequency.csv`, `ngrams.csv`, `keyness.csv`,
`lexical-profile.csv`.
''', [
    code(SETUP),
    md('''
## Most frequent terms

Lemmas of content words (stopwords, fillers, numbers and speaker names removed); `rate_per_1000`
is per 1,000 word tokens and `n_qa` the number of Q/A pairs the lemma occurs in.'''),
    code('''
from interview_lens.export import save_table
from interview_lens.terms import stat_frequency

freq = stat_frequency(analysis.tokens)
save_table(freq, analysis.paths.tables / "frequency.csv")
freq.head(top_n)'''),
    code('''
from interview_lens.plots_terms import plot_terms
from interview_lens.shown import save_or_note

fig = plot_terms(freq, top_n=top_n, document=analysis.label) if len(freq) else None
save_or_note(fig, "terms-top", figures, formats, dpi,
             note="This document has no content word (only stopwords, numbers, punctuation or symbols): no term figure is drawn.")'''),
    md("The most frequent terms of each question theme, on a shared scale."),
    code('''
from interview_lens.plots_terms import plot_terms_by_theme

freq_theme = stat_frequency(analysis.tokens, by="theme")
fig = plot_terms_by_theme(freq_theme, top_n=8, document=analysis.label) if len(freq_theme) else None
save_or_note(fig, "terms-by-theme", figures, formats, dpi,
             note="No question/answer pair has a content word, so there are no terms by theme.")'''),
    md('''
## Keyness: what sets each theme apart

Each theme against the rest of the interview: log-likelihood G² (Rayson & Garside 2000) with
its p-value, and the log ratio (Hardie 2014) as effect size.'''),
    code('''
from interview_lens.shown import or_note
from interview_lens.terms import stat_keyness

keyness = stat_keyness(analysis.tokens, by="theme", min_count=min_count)
save_table(keyness, analysis.paths.tables / "keyness.csv")
or_note(keyness.groupby("theme", sort=False).head(5),
        f"No term is key to a theme: it takes two themes and lemmas seen at least {min_count} times.")'''),
    code('''
from interview_lens.plots_terms import plot_keyness

fig = plot_keyness(keyness, top_n=8, document=analysis.label) if len(keyness) else None
save_or_note(fig, "keyness-by-theme", figures, formats, dpi,
             note="No keyness by theme to draw (see the sentence above).")'''),
    md("The interviewer's words against the interviewee's: what the questions bring in."),
    code('''
keyness_role = stat_keyness(analysis.tokens, by="role", min_count=min_count)
save_table(keyness_role, analysis.paths.tables / "keyness-by-role.csv")
speakers_key = keyness_role[keyness_role["role"] != "other"]
fig = plot_keyness(speakers_key, top_n=8, document=analysis.label) if len(speakers_key) else None
save_or_note(fig, "keyness-by-role", figures, formats, dpi,
             note=f"No term sets interviewer and interviewee apart: it takes both to speak and lemmas seen at least {min_count} times.")'''),
    md('''
## N-grams

Bigrams and trigrams of content lemmas within a sentence, with nltk's log-likelihood and PMI.'''),
    code('''
from interview_lens.terms import stat_ngrams

bigrams = stat_ngrams(analysis.tokens, n=2, min_count=min_count)
trigrams = stat_ngrams(analysis.tokens, n=3, min_count=min_count)
save_table(bigrams, analysis.paths.tables / "bigrams.csv")
save_table(trigrams, analysis.paths.tables / "trigrams.csv")
or_note(bigrams.head(top_n), f"No pair of content words recurs at least {min_count} times within a sentence.")'''),
    code('''
from interview_lens.plots_terms import plot_ngrams

fig = plot_ngrams(bigrams, top_n=15, document=analysis.label) if len(bigrams) else None
save_or_note(fig, "bigrams", figures, formats, dpi, note="No bigram to draw (see the sentence above).")'''),
    md("Lexical profile of each Q/A pair: length, vocabulary, type/token ratio, share."),
    code('''
from interview_lens.terms import stat_lexical_profile

profile = stat_lexical_profile(analysis.tokens)
save_table(profile, analysis.paths.tables / "lexical-profile.csv")
or_note(profile, "No question/answer pair, so no lexical profile per pair.")'''),
    md('''
## Word clouds

Drawn from the same lemma counts as the bar chart above (so cloud and chart agree); the layout
is fixed by `random_state`.'''),
    code('''
from interview_lens.plots_terms import plot_wordcloud

fig = plot_wordcloud(freq, random_state=random_state, document=analysis.label) if len(freq) else None
save_or_note(fig, "wordcloud", figures, formats, dpi, note="No content word, so no word cloud.")'''),
    code('''
from interview_lens.plots_terms import plot_wordclouds_by_theme

fig = plot_wordclouds_by_theme(freq_theme, random_state=random_state, document=analysis.label) if len(freq_theme) else None
save_or_note(fig, "wordclouds-by-theme", figures, formats, dpi, note="No terms by theme, so no word cloud per theme.")'''),
])

CONCEPTS = notebook('''
# 03 · Concepts and their co-occurrence

**Question.** Which ideas (cooperation, community, sharing, open source, governance, …) are
voiced in the same breath, in which answers, and where in the conversation?

**Inputs.** `document`; the concept dictionary `concepts` (default: the package's `data/concepts/default.yaml`);
the co-occurrence `unit` (`window` uses ±`window` tokens) and `measure`.

**Outputs.** In `figures/<doc_id>/`: `concepts-heatmap`, `concepts-network`,
`concepts-by-qa`, `concepts-dispersion` (PNG, SVG, PDF + CSV); in `data/processed/<doc_id>/`:
`concept-hits.csv`, `cooccurrence.csv`, `concordance.csv`.
''', [
    code(SETUP),
    md('''
## Concept hits

One row per match of a dictionary pattern (lemma, wildcard or phrase), with its position,
sentence, turn, Q/A pair, theme and character offsets.'''),
    code('''
from interview_lens.concepts import code_concepts, load_dictionary
from interview_lens.export import save_table
from interview_lens.shown import or_note, save_or_note

dictionary = load_dictionary(concepts or None)
hits = code_concepts(analysis.tokens, dictionary)
save_table(hits, analysis.paths.tables / "concept-hits.csv")
or_note(hits["concept"].value_counts().rename("hits").to_frame(),
        "No concept of the dictionary occurs in this document: no concept figure is drawn.")'''),
    md('''
## Co-occurrence

One row per concept pair at the chosen unit: `n_ab` units with both, `n_a`/`n_b` with each,
`n_units` in all; Jaccard, Dice, PMI, NPMI, log-likelihood G² with its p-value, and Fisher's
exact p where counts are small.'''),
    code('''
from interview_lens.cooccurrence import stat_cooccurrence

pairs = stat_cooccurrence(hits, analysis.tokens, unit=unit, window=window)
save_table(pairs, analysis.paths.tables / "cooccurrence.csv")
or_note(pairs.sort_values(["n_ab", measure], ascending=False).head(15),
        "Fewer than two concepts occur in this document, so no pair of concepts can co-occur.")'''),
    code('''
from interview_lens.plots_concepts import plot_cooccurrence_heatmap

fig = plot_cooccurrence_heatmap(pairs, measure=measure, language=analysis.language, document=analysis.label) if len(pairs) else None
save_or_note(fig, "concepts-heatmap", figures, formats, dpi, note="No concept pair, so no heatmap.")'''),
    md("The network keeps only the strongest associations (see the title for the threshold)."),
    code('''
from interview_lens.plots_concepts import network_edges, plot_concept_network

totals = hits["concept"].value_counts()
edges = network_edges(pairs, measure=measure) if len(pairs) else pairs
fig = plot_concept_network(pairs, totals, measure=measure, random_state=random_state, language=analysis.language, document=analysis.label) if len(edges) else None
save_or_note(fig, "concepts-network", figures, formats, dpi, note=f"No two concepts are positively associated ({measure} > 0) in at least two units ({unit}), so no network.")'''),
    md("## Where the ideas are\n\nConcept rates per 1,000 words in each Q/A pair, then every hit along the interview."),
    code('''
from interview_lens.plots_concepts import plot_concept_profile

in_pairs = hits["qa_id"].gt(0).any()
fig = plot_concept_profile(analysis.tokens, hits, language=analysis.language, document=analysis.label) if in_pairs else None
save_or_note(fig, "concepts-by-qa", figures, formats, dpi, note="No concept hit inside a question/answer pair, so no profile per pair.")'''),
    code('''
from interview_lens.plots_concepts import plot_dispersion

fig = plot_dispersion(analysis.tokens, hits, language=analysis.language, document=analysis.label) if len(hits) else None
save_or_note(fig, "concepts-dispersion", figures, formats, dpi, note="No concept hit, so no dispersion plot.")'''),
    md('''
## Concordance

Every hit of the concepts of interest (the parameter `focus`; by default the three concepts
with most hits in this document) in its context (keyword in context), with its Q/A pair and
theme: the words behind the numbers.'''),
    code('''
from interview_lens.kwic import concordance_of, focus_concepts

chosen = focus_concepts(hits, dictionary, focus)
print(f"Concordance of {', '.join(chosen)} ({'the parameter focus' if focus else 'the concepts with most hits'})." if chosen else "No concept hit, so the concordance is empty.")
kwic = concordance_of(analysis.tokens, analysis.interview, chosen, hits)
save_table(kwic, analysis.paths.tables / "concordance.csv")
or_note(kwic[["concept", "left", "match", "right", "qa_id", "theme"]], "No hit of the focus concepts in this document.")'''),
    md('''
## Explore

In JupyterLab, pick concepts, unit and measure and the heatmap, network and concordance
redraw; type any term (a lemma, a `coopér*` wildcard, an `open source` phrase) for its
concordance (it starts from the lemma the focus concepts match most often). Under papermill the
same cells show the default view.'''),
    code('''
from interview_lens.explore import concept_explorer

concept_explorer(analysis, hits, unit=unit, measure=measure, window=window)'''),
    code('''
from interview_lens.explore import term_concordance_explorer
from interview_lens.kwic import focus_term

term_concordance_explorer(analysis, term=focus_term(hits, chosen))'''),
])

COMPARE = notebook('''
# 04 · Compare documents

**Question.** How does this interview stand among the others processed so far: length,
vocabulary, which concepts it stresses, which words set it apart?

**Inputs.** `document` (analysed now) and the tables every other document's last successful
run left in `data/processed/<doc_id>/`.

**Outputs.** In `figures/<doc_id>/`: `documents-concept-rates` (PNG, SVG, PDF + CSV); in
`data/processed/<doc_id>/`: `documents.csv`, `concept-rates.csv`, `keyness-vs-collection.csv`.
''', [
    code(SETUP),
    code('''
from interview_lens.compare import collection, stat_documents
from interview_lens.export import save_table
from interview_lens.shown import or_note, save_or_note

docs = collection(analysis, analysis.paths.root / "data" / "processed")
documents = stat_documents(docs)
save_table(documents, analysis.paths.tables / "documents.csv")
documents'''),
    md('''
## Concept rates per document

Hits per 1,000 words, each document coded in its own language with the same concept ids, so a
translation and its original line up.'''),
    code('''
from interview_lens.compare import plot_concept_rates, stat_concept_rates
from interview_lens.concepts import load_dictionary

dictionary = load_dictionary(concepts or None)
rates = stat_concept_rates(docs, dictionary)
save_table(rates, analysis.paths.tables / "concept-rates.csv")
if rates.attrs["not_coded"]:
    print("Not coded (the dictionary has no patterns in their language): " + ", ".join(f"{d} ({lang})" for d, lang in rates.attrs["not_coded"].items()) + ".")
fig = plot_concept_rates(rates, labels=dictionary.labels("en")) if len(rates) else None
save_or_note(fig, "documents-concept-rates", figures, formats, dpi,
             note="No concept of the dictionary occurs in any coded document, so there are no concept rates to draw.")'''),
    md('''
## What sets this document apart

Keyness (G², log ratio) of this document against every other processed document in the same
language, pooled; empty while it is the only one.'''),
    code('''
from interview_lens.compare import stat_document_keyness

key = stat_document_keyness(docs, analysis.doc_id, min_count=min_count)
save_table(key, analysis.paths.tables / "keyness-vs-collection.csv")
alone = f"This document is the only processed one in its language ({analysis.language}), so nothing to compare its words with yet."
or_note(key.head(top_n), alone if not key.attrs["reference"] else f"No lemma seen at least {min_count} times in this document and the {len(key.attrs['reference'])} others in its language.")'''),
])

# The parameter names of 01-04, so that one set of -p options serves every notebook; those a
# corpus overview cannot use say so (the counts were made by scripts/corpus_stats.py).
CORPUS_PARAMETERS = '''\
document: str = ""  # not used here (shared with 01-04): every document of the corpus tables is shown
language: str = ""  # fr or en: the language whose terms are shown; empty means the language with the most tokens
concepts: str = ""  # not used here (shared with 01-04): concepts were coded by scripts/corpus_stats.py --concepts
themes: str = ""  # not used here (shared with 01-04): themes are labelled per document
unit: str = "sentence"  # not used here (shared with 01-04): the unit is scripts/corpus_stats.py --unit
window: int = 5  # not used here (shared with 01-04): the window is scripts/corpus_stats.py --window
top_n: int = 20  # how many terms the tables and the bar chart show
min_count: int = 2  # the document-frequency table keeps terms found in at least this many documents
measure: str = "npmi"  # association measure of the heatmap: npmi, pmi, jaccard, dice, g2
focus: list = []  # not used here (shared with 01-04): the concordance of notebook 03 is per document
formats: list = ["png", "svg", "pdf"]  # figure formats, each written next to the CSV of its numbers
dpi: int = 300  # PNG resolution
random_state: int = 0  # not used here (shared with 01-04): no random layout in this notebook
output_root: str = ""  # where data/processed/_corpus/ is read and figures/_corpus/ written; empty means the project root'''

CORPUS = notebook('''
# 05 · Corpus overview

**Question.** Across the whole collection (a press archive, every interview of a series), which
words and which ideas come back, in how many documents, and which ideas are voiced together?

**Inputs.** The tables `scripts/corpus_stats.py` wrote in `data/processed/_corpus/` (run it first:
`python scripts/corpus_stats.py data/interviews/`, on a local Dask cluster or on
`--scheduler tcp://HOST:8786`). This notebook only reads them, so it is as quick for ten thousand
documents as for two; `scripts/regenerate.py` does not run it per document.

**Outputs.** In `figures/_corpus/`: `corpus-terms-top`, `corpus-concepts-heatmap` (PNG, SVG, PDF,
each with its CSV).
''', [
    code('''
from interview_lens.corpus import corpus_folders, read_corpus_stats
from interview_lens.style import apply_style

apply_style()
tables, figures = corpus_folders(output_root)
stats = read_corpus_stats(tables)
label = f"{stats.summary.loc[0, 'documents']} documents"
stats.summary.T'''),
    md('''
## Documents

One row per document: word tokens, content words, units, concept hits, warnings. Documents that
could not be read are listed with their `problem` and counted nowhere else.'''),
    code('''
stats.documents[stats.documents["problem"] != ""]'''),
    code('''
stats.documents.sort_values("tokens", ascending=False).head(top_n)'''),
    md('''
## Terms

Lemmas of content words summed over the documents of one language: `count` occurrences,
`documents` the number of documents using the lemma (document frequency), `rate_per_1000` per
1,000 word tokens of those documents.'''),
    code('''
terms = stats.terms_of(language)
terms.head(top_n)'''),
    md("The lemmas found in the most documents: the vocabulary the collection shares."),
    code('''
terms[terms["documents"] >= min_count].sort_values(["documents", "count"], ascending=False).head(top_n)'''),
    code('''
from interview_lens.export import save_figure
from interview_lens.lexicon import language_name
from interview_lens.plots_terms import plot_terms

n_docs = terms.attrs["documents"]
fig = plot_terms(terms, top_n=top_n, document=f"{n_docs} document{'s' * (n_docs != 1)} in {language_name(terms.attrs['language'])}")
save_figure(fig, "corpus-terms-top", figures, formats, dpi)
fig'''),
    md('''
## Concepts

Per concept of the dictionary: `hits`, `units` voicing it (`unit_share` of all units),
`documents` voicing it, and hits per 1,000 word tokens.'''),
    code('''
stats.concepts.sort_values("hits", ascending=False)'''),
    md('''
## Co-occurrence

The pair table of notebook 03 over every unit of every document: the counts are summed across
documents before any measure is computed.'''),
    code('''
stats.cooccurrence.sort_values(["n_ab", measure], ascending=False).head(15)'''),
    code('''
from interview_lens.plots_concepts import plot_cooccurrence_heatmap

fig = plot_cooccurrence_heatmap(stats.cooccurrence, measure=measure, language=language or None, document=label)
save_figure(fig, "corpus-concepts-heatmap", figures, formats, dpi)
fig'''),
], parameters=CORPUS_PARAMETERS, scope="corpus")


NOTEBOOKS = {"01-segment-interview": SEGMENT, "02-term-frequencies": TERMS,
             "03-concept-cooccurrence": CONCEPTS, "04-compare-documents": COMPARE,
             "05-corpus-overview": CORPUS}


def rendered() -> dict[str, str]:
    """``{file name: exact text}`` of every notebook; tests compare it with the committed files."""
    out = {}
    for name, nb in NOTEBOOKS.items():
        for i, cell in enumerate(nb.cells):  # stable ids: rebuilding changes only what changed
            cell.id = f"{name[:2]}-cell-{i:02d}"
        nbformat.validate(nb)
        text = nbformat.writes(nb)
        out[f"{name}.ipynb"] = text if text.endswith("\n") else text + "\n"
    return out


def main() -> None:
    for name, text in rendered().items():
        path = ROOT / "notebooks" / name
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
