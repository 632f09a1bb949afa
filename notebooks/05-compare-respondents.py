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
# # 05 · Compare documents
#
# **Question.** How does this interview stand among the others processed so far: length,
# vocabulary, which concepts it stresses, which words set it apart?
#
# **Inputs.** `document` (analysed now) and the tables every other document's last successful
# run left in `data/processed/<doc_id>/`.
#
# **Outputs.** In `figures/<doc_id>/`: `documents-concept-rates` (PNG, SVG, PDF + CSV); in
# `data/processed/<doc_id>/`: `documents.csv`, `concept-rates.csv`, `keyness-vs-collection.csv`.

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

# %%
docs = il.collection(analysis, analysis.paths.root / "data" / "processed")
documents = il.stat_documents(docs)
il.save_table(documents, analysis.paths.tables / "documents.csv")
documents

# %% [markdown]
# ## Concept rates per document
#
# Hits per 1,000 words, each document coded in its own language with the same concept ids, so a
# translation and its original line up.

# %%
dictionary = il.load_dictionary(concepts or None)
rates = il.stat_concept_rates(docs, dictionary)
il.save_table(rates, analysis.paths.tables / "concept-rates.csv")
if rates.attrs["not_coded"]:
    print("Not coded (the dictionary has no patterns in their language): " + ", ".join(f"{d} ({lang})" for d, lang in rates.attrs["not_coded"].items()) + ".")
fig = il.plot_concept_rates(rates, labels=dictionary.labels("en")) if len(rates) else None
il.save_or_note(fig, "documents-concept-rates", figures, formats, dpi,
                note="No concept of the dictionary occurs in any coded document, so there are no concept rates to draw.")

# %% [markdown]
# ## What sets this document apart
#
# Keyness (G², log ratio) of this document against every other processed document in the same
# language, pooled; empty while it is the only one.

# %%
key = il.stat_document_keyness(docs, analysis.doc_id, min_count=min_count)
il.save_table(key, analysis.paths.tables / "keyness-vs-collection.csv")
alone = f"This document is the only processed one in its language ({analysis.language}), so nothing to compare its words with yet."
il.or_note(key.head(top_n), alone if not key.attrs["reference"] else f"No lemma seen at least {min_count} times in this document and the {len(key.attrs['reference'])} others in its language.")
