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
# # 04 · Concepts and their co-occurrence
#
# **Question.** Which ideas (cooperation, community, sharing, open source, governance, …) are
# voiced in the same breath, in which answers, and where in the conversation?
#
# **Inputs.** `document`; the concept dictionary `concepts` (default: the package's `data/concepts/default.yaml`);
# the co-occurrence `unit` (`window` uses ±`window` tokens) and `measure`.
#
# **Outputs.** In `figures/<doc_id>/`: `concepts-heatmap`, `concepts-network`,
# `concepts-by-qa`, `concepts-dispersion` (PNG, SVG, PDF + CSV); in `data/processed/<doc_id>/`:
# `concept-hits.csv`, `cooccurrence.csv`, `concordance.csv`; in `outputs/<doc_id>/`: the
# REFI-QDA project `<doc_id>.qdpx` for NVivo, ATLAS.ti, MAXQDA and QualCoder.

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
figures = analysis.paths.figures
print(f"{analysis.label} | {analysis.doc_id} | language {analysis.language}")

# %% [markdown]
# ## Concept hits
#
# One row per match of a dictionary pattern (lemma, wildcard or phrase), with its position,
# sentence, turn, Q/A pair, theme and character offsets.

# %%
dictionary = il.load_dictionary(concepts or None)
hits = il.code_concepts(analysis.tokens, dictionary)
il.save_table(hits, analysis.paths.tables / "concept-hits.csv")
il.or_note(hits["concept"].value_counts().rename("hits").to_frame(),
           "No concept of the dictionary occurs in this document: no concept figure is drawn.")

# %% [markdown]
# ## Co-occurrence
#
# One row per concept pair at the chosen unit: `n_ab` units with both, `n_a`/`n_b` with each,
# `n_units` in all; Jaccard, Dice, PMI, NPMI, log-likelihood G² with its p-value, and Fisher's
# exact p where counts are small.

# %%
pairs = il.stat_cooccurrence(hits, analysis.tokens, unit=unit, window=window)
il.save_table(pairs, analysis.paths.tables / "cooccurrence.csv")
il.or_note(pairs.sort_values(["n_ab", measure], ascending=False).head(15),
           "Fewer than two concepts occur in this document, so no pair of concepts can co-occur.")

# %%
fig = il.plot_cooccurrence_heatmap(pairs, measure=measure, language=analysis.language, document=analysis.label) if len(pairs) else None
il.save_or_note(fig, "concepts-heatmap", figures, formats, dpi, note="No concept pair, so no heatmap.")

# %% [markdown]
# The network keeps only the strongest associations (see the title for the threshold).

# %%
totals = hits["concept"].value_counts()
edges = il.network_edges(pairs, measure=measure) if len(pairs) else pairs
fig = il.plot_concept_network(pairs, totals, measure=measure, random_state=random_state, language=analysis.language, document=analysis.label) if len(edges) else None
il.save_or_note(fig, "concepts-network", figures, formats, dpi, note=f"No two concepts are positively associated ({measure} > 0) in at least two units ({unit}), so no network.")

# %% [markdown]
# ## Where the ideas are
#
# Concept rates per 1,000 words in each Q/A pair, then every hit along the interview.

# %%
in_pairs = hits["qa_id"].gt(0).any()
fig = il.plot_concept_profile(analysis.tokens, hits, language=analysis.language, document=analysis.label) if in_pairs else None
il.save_or_note(fig, "concepts-by-qa", figures, formats, dpi, note="No concept hit inside a question/answer pair, so no profile per pair.")

# %%
fig = il.plot_dispersion(analysis.tokens, hits, language=analysis.language, document=analysis.label) if len(hits) else None
il.save_or_note(fig, "concepts-dispersion", figures, formats, dpi, note="No concept hit, so no dispersion plot.")

# %% [markdown]
# ## Concordance
#
# Every hit of the concepts of interest (the parameter `focus`; by default the three concepts
# with most hits in this document) in its context (keyword in context), with its Q/A pair and
# theme: the words behind the numbers.

# %%
chosen = il.focus_concepts(hits, dictionary, focus)
print(f"Concordance of {', '.join(chosen)} ({'the parameter focus' if focus else 'the concepts with most hits'})." if chosen else "No concept hit, so the concordance is empty.")
kwic = il.concordance_of(analysis.tokens, analysis.interview, chosen, hits)
il.save_table(kwic, analysis.paths.tables / "concordance.csv")
il.or_note(kwic[["concept", "left", "match", "right", "qa_id", "theme"]], "No hit of the focus concepts in this document.")

# %% [markdown]
# ## Explore
#
# In JupyterLab, pick concepts, unit and measure and the heatmap, network and concordance
# redraw; type any term (a lemma, a `coopér*` wildcard, an `open source` phrase) for its
# concordance (it starts from the lemma the focus concepts match most often). Under papermill the
# same cells show the default view.

# %%
il.concept_explorer(analysis, hits, unit=unit, measure=measure, window=window)

# %%
il.term_concordance_explorer(analysis, term=il.focus_term(hits, chosen))

# %% [markdown]
# ## For a QDA tool
#
# The turns (coded with their speaker and role), the Q/A pairs (with their theme) and every
# concept hit as a REFI-QDA project, `outputs/<doc_id>/<doc_id>.qdpx`, which NVivo, ATLAS.ti,
# MAXQDA and QualCoder open: the coding goes on where the numbers stop.

# %%
qdpx = il.write_qdpx([analysis], analysis.paths.outputs / f"{analysis.doc_id}.qdpx", dictionary=dictionary)
print(f"{qdpx.name}: {len(analysis.turns)} turns, {len(analysis.qa)} Q/A pairs, {len(hits)} concept hits.")
