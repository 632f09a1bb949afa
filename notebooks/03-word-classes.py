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
# # 03 · Themes from the words: Reinert classes, correspondence analysis, similarity network
#
# **Question.** Which themes does the interview speak in when they are found *from the words*,
# without a dictionary, and which words hold them together?
#
# **Inputs.** `document`; `segment_size` (words per text segment, 40 as IRaMuTeQ and rainette)
# and `k` (the most classes asked for, 10 as IRaMuTeQ); `random_state` (the network's communities
# and layout).
#
# **Method.** Reinert's descending hierarchical classification (Reinert 1983, 1990; Alceste,
# IRaMuTeQ's CHD, the R package rainette): the text is cut into segments of about
# `segment_size` words at the strongest punctuation, never across a turn, and the segments are
# split in two again and again along the first axis of a correspondence analysis of their content
# lemmas, where the χ² between the two halves is largest.  Then a correspondence analysis
# (Benzécri) of classes × terms, as IRaMuTeQ draws after the classification, and the word
# similarity network (IRaMuTeQ's *analyse de similitudes*, KH Coder's co-occurrence network).
#
# **Outputs.** In `figures/<doc_id>/`: `classes-dendrogram`, `classes-along`, `ca-plane`,
# `similarity-network` (PNG, SVG, PDF + CSV); in `data/processed/<doc_id>/`: `segments.csv`,
# `classes.csv`, `class-profiles.csv`, `class-segments.csv`, `ca-rows.csv`, `ca-columns.csv`,
# `ca-eigenvalues.csv`, `similarity-edges.csv`, `similarity-nodes.csv`.  On a short document
# each step says in one sentence what it cannot show.

# %% tags=["parameters"]
document: str = "data/interviews/gt-kurbalija-2025-fr.txt"  # interview to analyse (path from the project root, or absolute)
language: str = ""  # fr or en; empty means language of the sidecar, else detected
concepts: str = ""  # concept dictionary YAML; empty means the shipped src/interview_lens/data/concepts/default.yaml
themes: str = ""  # themes YAML (theme: [keywords]); empty means themes of the sidecar, else automatic labels
unit: str = "sentence"  # co-occurrence unit: sentence, paragraph, turn, qa or window
window: int = 5  # ±k tokens around each concept hit when unit is window
top_n: int = 20  # how many terms the bar charts show
min_count: int = 2  # minimum count for n-grams and keyness
measure: str = "npmi"  # association measure for the heatmap and network: npmi, pmi, jaccard, dice, g2
focus: list = []  # concept ids of the concordance (04); empty means the three with most hits in the document
guide: str = ""  # interview guide YAML; empty means data/interviews/guide.yaml when it exists, else Q/A pairs clustered into shared themes
compare_by: str = ""  # variable whose groups 05 compares; empty means the first variable with two values or more
target: str = ""  # target group: its value of compare_by (05); empty means this document's value
reference: str = ""  # reference group: its value of compare_by (05); empty means all other documents with a value
formats: list = ["png", "svg", "pdf"]  # figure formats, each written next to the CSV of its numbers
dpi: int = 300  # PNG resolution
k: int = 10  # Reinert classes asked for (fewer when the segments do not split)
segment_size: int = 40  # words per text segment of the Reinert classification (03)
random_state: int = 0  # seeds the word-cloud and network layouts (same value, same figure)
output_root: str = ""  # where figures/, data/processed/ and outputs/ go; empty means the project root

# %%
import interview_lens as il

il.setup_notebook()  # the house style; fewer collector passes over the figures a notebook keeps
analysis = il.load(document, output_root=output_root, language=language, themes=themes)
figures, tables = analysis.paths.figures, analysis.paths.tables
print(f"{analysis.label} | {analysis.doc_id} | language {analysis.language}")

# %% [markdown]
# ## Text segments
#
# Reinert's units: about `segment_size` words each, cut after the strongest punctuation near that
# length (rainette's weights: `.?!…` 6, `:` 5, `;` 4, `,` 1), never across a turn; a segment
# shorter than 10 words joins its neighbour in the same turn.  `start_char`/`end_char` point into
# the document text.

# %%
segments = il.text_segments(analysis.tokens, analysis.interview, size=segment_size)
il.save_table(segments, tables / "segments.csv")
print(f"{len(segments)} text segments of {segments['n_words'].median() if len(segments) else 0:.0f} words (median).")
il.or_note(segments[["segment_id", "qa_id", "speaker", "n_words", "text"]].head(8),
           "This document has no word, so no text segment: nothing below can be computed.")

# %% [markdown]
# ## Reinert classes
#
# Each segment's class (1..`k`, numbered in the dendrogram's order; 0: not classified, no
# frequent content word).  Deterministic: the same text and parameters always give the same
# classes.

# %%
classes = il.stat_classes(analysis.tokens, texts=analysis.interview, k=k, size=segment_size)
n_classes = classes.attrs["n_classes"]
il.save_table(classes, tables / "classes.csv")
print(f"{n_classes} classes from {len(classes)} segments ({int((classes['class'] == 0).sum())} not classified), "
      f"{len(classes.attrs['terms'])} content lemmas in at least 3 segments." if n_classes >= 2 else
      f"The {len(classes)} segments do not split into two classes (too few segments sharing a lemma found in at least 3 of them), so there is no classification.")
il.or_note(classes["class"].value_counts().sort_index().rename("segments").to_frame() if n_classes >= 2 else None,
           "No class: the rest of the classification is not drawn.")

# %% [markdown]
# ## What makes each class
#
# IRaMuTeQ's class profiles: for every class and term, the segments of the class holding it
# (`n_class`), all classified segments holding it (`n_total`), their share (`pct`) and the χ² of
# the 2 × 2 table (class or not × term or not), signed + when the term is over-represented in
# the class.  Below, the five terms of each class with the highest χ².

# %%
profiles = il.stat_class_profiles(classes, analysis.tokens) if n_classes >= 2 else classes.iloc[:0]
il.save_table(profiles, tables / "class-profiles.csv")
il.or_note(profiles[profiles["chi2"] > 0].groupby("class").head(5) if n_classes >= 2 else None,
           "No class, so no class profile.")

# %% [markdown]
# The segments that speak most for each class (highest sum of the χ² of the class' terms they
# hold), with those words: read them to name the class.

# %%
typical = il.stat_class_segments(classes, analysis.tokens, n=3) if n_classes >= 2 else None
il.or_note(typical, "No class, so no representative segment.")

# %%
if typical is not None:
    il.save_table(typical, tables / "class-segments.csv")

# %% [markdown]
# The dendrogram: the order of the splits (the first on the left, with its χ²), each class' share
# of the segments and its words with the highest χ², the figure IRaMuTeQ users cite.

# %%
fig = il.plot_dendrogram(classes, profiles, document=analysis.label) if n_classes >= 2 else None
il.save_or_note(fig, "classes-dendrogram", figures, formats, dpi,
                note="The segments do not split into two classes, so there is no dendrogram.")

# %% [markdown]
# Which class each Q/A pair speaks in: the share of its segments per class, in interview order.

# %%
in_pairs = n_classes >= 2 and bool(classes["qa_id"].ge(1).any())
fig = il.plot_classes_along(classes, document=analysis.label) if in_pairs else None
il.save_or_note(fig, "classes-along", figures, formats, dpi,
                note="No classes or no question/answer pair, so no classes along the interview.")

# %% [markdown]
# ## Classes × question themes and × speakers
#
# Segments per class and Q/A theme (then per speaker): `expected` under independence, Pearson's
# `residual` and the signed χ² of the class against the rest for that value (IRaMuTeQ's tables of
# variables).  A residual above 2 marks a theme (a speaker) the class is over-represented in.

# %%
theme_of = analysis.qa.set_index("qa_id")["theme"]
by_theme = il.stat_class_crosstab(classes[classes["qa_id"] >= 1], "qa_id", labels=theme_of) if in_pairs else None
print(f"χ² {by_theme.attrs['chi2']:.1f}, {by_theme.attrs['dof']} degrees of freedom, p = {by_theme.attrs['p']:.3g}." if in_pairs else "")
il.or_note(by_theme[by_theme["residual"] > 0].sort_values("residual", ascending=False).head(15) if in_pairs else None,
           "No classes or no question/answer pair, so no classes × themes table.")

# %%
by_speaker = il.stat_class_crosstab(classes, "speaker") if n_classes >= 2 else None
il.or_note(by_speaker, "No classes, so no classes × speakers table.")

# %% [markdown]
# ## Correspondence analysis
#
# Of the terms × classes table of segment counts (IRaMuTeQ's plane after the classification);
# with fewer than three classes, of the terms × Q/A pairs table (KH Coder's).  The axes' titles
# give their share of the inertia; the terms that contribute most to the plane are labelled.

# %%
by_class = n_classes >= 3
table = il.class_term_table(profiles) if by_class else il.lexical_table(analysis.tokens, by="qa_id")
table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
ca = il.stat_ca(table) if min(table.shape) >= 3 else None
il.or_note(ca.eigenvalues if ca is not None else None,
           "Fewer than three classes or Q/A pairs, or fewer than three frequent terms: no correspondence analysis.")

# %%
if ca is not None:
    il.save_table(ca.rows, tables / "ca-rows.csv")
    il.save_table(ca.columns, tables / "ca-columns.csv")
    il.save_table(ca.eigenvalues, tables / "ca-eigenvalues.csv")
fig = il.plot_ca(ca, parts="classes" if by_class else "Q/A pairs", part_format="Class {}" if by_class else "Q{}", document=analysis.label) if ca is not None else None
il.save_or_note(fig, "ca-plane", figures, formats, dpi,
                note="No correspondence analysis, so no plane.")

# %% [markdown]
# ## Similarity network
#
# The 50 most frequent content lemmas linked by the number of text segments they share; the
# maximum spanning tree keeps the strongest links that connect every word without a cycle
# (IRaMuTeQ's default), coloured by community (Louvain, `random_state`).  The edge table is
# `similarity-edges.csv`.

# %%
network = il.stat_similarity(analysis.tokens, segments=segments, random_state=random_state)
il.save_table(network.edges, tables / "similarity-edges.csv")
il.save_table(network.nodes, tables / "similarity-nodes.csv")
il.or_note(network.edges.sort_values("weight", ascending=False).head(15),
           "No two frequent content words share a text segment, so there is no network.")

# %%
fig = il.plot_similarity(network, document=analysis.label) if len(network.edges) else None
il.save_or_note(fig, "similarity-network", figures, formats, dpi,
                note="No edge, so no network figure.")
