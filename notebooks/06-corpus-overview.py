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
# **Outputs.** In `figures/_corpus/`: `corpus-terms-top`, `corpus-concepts-heatmap` (PNG, SVG, PDF,
# each with its CSV).

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
