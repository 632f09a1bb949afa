# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (interview-lens)
#     language: python
#     name: interview-lens
# ---

# %% [markdown]
# # 06 · Corpus overview
#
# **Question.** Across the whole collection (a press archive, every interview of a series), which
# words and which ideas come back, in how many documents, and which ideas are voiced together?
#
# **Inputs.** The tables `python -m interview_lens corpus` wrote in `data/processed/_corpus/` (run it first:
# `python -m interview_lens corpus data/interviews/`, on a local Dask cluster or on
# `--scheduler tcp://HOST:8786`). This notebook only reads them, so it is as quick for ten thousand
# documents as for two; `python -m interview_lens regenerate` does not run it per document.
#
# **Outputs.** In `figures/_corpus/`: `corpus-terms-top`, `corpus-concepts-heatmap`,
# `corpus-classes-dendrogram`, `corpus-ca-plane`, `corpus-similarity-network` (PNG, SVG, PDF, each
# with its CSV); in `data/processed/_corpus/`: `variables.csv` (every document with its
# variables), `classes.csv`, `class-profiles.csv`, `classes-by-document.csv`,
# `similarity-edges.csv` beside the tables the corpus command wrote.

# %% tags=["parameters"]
document: str = ""  # not used here (shared with 01-05): every document of the corpus tables is shown
language: str = ""  # fr or en: the language whose terms are shown; empty means the language with the most tokens
concepts: str = ""  # not used here (shared with 01-05): concepts were coded by python -m interview_lens corpus --concepts
themes: str = ""  # not used here (shared with 01-05): themes are labelled per document
unit: str = "sentence"  # not used here (shared with 01-05): the unit is python -m interview_lens corpus --unit
window: int = 5  # not used here (shared with 01-05): the window is python -m interview_lens corpus --window
top_n: int = 20  # how many terms the tables and the bar chart show
min_count: int = 2  # the document-frequency table keeps terms found in at least this many documents
measure: str = "npmi"  # association measure of the heatmap: npmi, pmi, jaccard, dice, g2
focus: list = []  # not used here (shared with 01-05): the concordance of notebook 04 is per document
guide: str = ""  # not used here (shared with 01-05): the guide is matched per document in 05
compare_by: str = ""  # not used here (shared with 01-05): groups are compared in 05
target: str = ""  # not used here (shared with 01-05): groups are compared in 05
reference: str = ""  # not used here (shared with 01-05): groups are compared in 05
formats: list = ["png", "svg", "pdf"]  # figure formats, each written next to the CSV of its numbers
dpi: int = 300  # PNG resolution
k: int = 10  # Reinert classes asked for on the corpus' segments (fewer when the segments do not split)
segment_size: int = 40  # not used here (shared with 01-05): the segments were cut by python -m interview_lens corpus --segment-size
random_state: int = 0  # seeds the Louvain communities and the layout of the similarity network
output_root: str = ""  # where data/processed/_corpus/ is read and figures/_corpus/ written; empty means the project root

# %%
import interview_lens as il

il.apply_style()
tables, figures = il.corpus_folders(output_root)
stats = il.read_corpus_stats(tables)
label = f"{stats.summary.loc[0, 'documents']} documents"
stats.summary.T

# %% [markdown]
# ## Documents
#
# One row per document: word tokens, content words, units, concept hits, warnings. Documents that
# could not be read are listed with their `problem` and counted nowhere else.

# %%
stats.documents[stats.documents["problem"] != ""]

# %%
stats.documents.sort_values("tokens", ascending=False).head(top_n)

# %% [markdown]
# ## Respondents and their variables
#
# Every document with its study variables (`data/interviews/variables.csv`, and the sidecars'
# `variables:` as each document's last run recorded them); an empty cell is a value nobody gave.
# Notebook 05 compares the groups they make.

# %%
respondents = il.documents_with_variables(stats.documents[["doc_id", "document", "language", "tokens"]], output_root)
if respondents.attrs["unknown"]:
    print(f"Rows of variables.csv naming no document of the corpus (left out): {', '.join(respondents.attrs['unknown'])}.")
il.save_table(respondents, tables / "variables.csv")
il.or_note(respondents if len(respondents.columns) > 4 else None, "No document has variables (data/interviews/variables.csv or a sidecar's variables:).")

# %% [markdown]
# ## Terms
#
# Lemmas of content words summed over the documents of one language: `count` occurrences,
# `documents` the number of documents using the lemma (document frequency), `rate_per_1000` per
# 1,000 word tokens of those documents.

# %%
terms = stats.terms_of(language)
terms.head(top_n)

# %% [markdown]
# The lemmas found in the most documents: the vocabulary the collection shares.

# %%
terms[terms["documents"] >= min_count].sort_values(["documents", "count"], ascending=False).head(top_n)

# %%
n_docs = terms.attrs["documents"]
fig = il.plot_terms(terms, top_n=top_n, document=f"{n_docs} document{'s' * (n_docs != 1)} in {il.language_name(terms.attrs['language'])}")
il.save_figure(fig, "corpus-terms-top", figures, formats, dpi)
fig

# %% [markdown]
# ## Concepts
#
# Per concept of the dictionary: `hits`, `units` voicing it (`unit_share` of all units),
# `documents` voicing it, and hits per 1,000 word tokens.

# %%
stats.concepts.sort_values("hits", ascending=False)

# %% [markdown]
# ## Co-occurrence
#
# The pair table of notebook 04 over every unit of every document: the counts are summed across
# documents before any measure is computed.

# %%
stats.cooccurrence.sort_values(["n_ab", measure], ascending=False).head(15)

# %%
fig = il.plot_cooccurrence_heatmap(stats.cooccurrence, measure=measure, language=language or None, document=label)
il.save_figure(fig, "corpus-concepts-heatmap", figures, formats, dpi)
fig

# %% [markdown]
# ## Reinert classes of the corpus
#
# The text segments of every document (about 40 words, never across a turn; the corpus command's
# `--segment-size`) classified together by Reinert's descending hierarchical classification
# (IRaMuTeQ's CHD, rainette; Reinert 1983, 1990), on the content lemmas found in at least 3
# segments: themes found from the words, across documents.

# %%
segment_terms = il.segment_term_table(stats.segments)
classes = il.stat_corpus_classes(stats.segments, segment_terms, k=k)
n_classes = classes.attrs["n_classes"]
il.save_table(classes.drop(columns="text"), tables / "classes.csv")
print(f"{n_classes} classes from {len(classes)} segments of {classes['doc_id'].nunique()} documents, {segment_terms.shape[1]} lemmas." if n_classes >= 2 else
      f"The corpus' {len(classes)} segments do not split into two classes, so there is no classification.")

# %%
profiles = il.stat_class_profiles(classes, segment_terms) if n_classes >= 2 else None
if profiles is not None:
    il.save_table(profiles, tables / "class-profiles.csv")
il.or_note(profiles[profiles["chi2"] > 0].groupby("class").head(5) if profiles is not None else None,
           "No class, so no class profile.")

# %% [markdown]
# The dendrogram: each class' share of the corpus' segments and its words with the highest χ².

# %%
fig = il.plot_dendrogram(classes, profiles, document=label) if n_classes >= 2 else None
il.save_or_note(fig, "corpus-classes-dendrogram", figures, formats, dpi,
                note="The segments do not split into two classes, so there is no dendrogram.")

# %% [markdown]
# Classes × documents: which documents each class is spoken in (a residual above 2: the class is
# over-represented in that document).

# %%
by_document = il.stat_class_crosstab(classes, "doc_id") if n_classes >= 2 else None
if by_document is not None:
    il.save_table(by_document, tables / "classes-by-document.csv")
il.or_note(by_document[by_document["residual"] > 2].sort_values("residual", ascending=False).head(top_n) if by_document is not None else None,
           "No class, so no classes × documents table.")

# %% [markdown]
# The correspondence analysis of terms × classes: the classes that share their words lie close.

# %%
table = il.class_term_table(profiles) if n_classes >= 3 else None
ca = il.stat_ca(table) if table is not None and min(table.shape) >= 3 else None
fig = il.plot_ca(ca, parts="classes", part_format="Class {}", document=label) if ca is not None else None
il.save_or_note(fig, "corpus-ca-plane", figures, formats, dpi,
                note="Fewer than three classes, so no correspondence analysis of classes × terms.")

# %% [markdown]
# The similarity network of the 50 lemmas held by most segments: the maximum spanning tree of the
# number of segments two lemmas share (IRaMuTeQ's *analyse de similitudes*), coloured by community.

# %%
network = il.stat_similarity(il.segment_term_table(stats.segments, max_terms=50), random_state=random_state)
il.save_table(network.edges, tables / "similarity-edges.csv")
fig = il.plot_similarity(network, document=label) if len(network.edges) else None
il.save_or_note(fig, "corpus-similarity-network", figures, formats, dpi,
                note="No two frequent lemmas share a segment, so there is no network.")
