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
# # 05 · Compare respondents
#
# **Question.** How do the answers of one group of respondents differ from another's (NGOs and
# officials, French and English sources), what did each respondent say on each theme of the
# interview guide, and how does this interview stand among the others?
#
# **Inputs.** `document` (analysed now); the tables every other document's last successful run
# left in `data/processed/<doc_id>/`; the variables of each document (`data/interviews/variables.csv`
# and the sidecars' `variables:`); the interview guide `guide` (default
# `data/interviews/guide.yaml`); `compare_by`, `target`, `reference` choose the groups.
#
# **Outputs.** In `figures/<doc_id>/`: `groups-keyness`, `groups-concept-rates`,
# `guide-themes`, `documents-concept-rates` (PNG, SVG, PDF + CSV); in `data/processed/<doc_id>/`:
# `variables.csv`, `groups-keyness.csv`, `groups-concept-rates.csv`, `guide-matches.csv`,
# `guide-themes.csv`, `documents.csv`, `concept-rates.csv`, `keyness-vs-collection.csv` (each
# with the documents' variables).

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
# ## The respondents and their variables
#
# One row per processed document (this one first) with its variables; a cell left empty is a
# value nobody gave, not a zero.

# %%
docs = il.collection(analysis, analysis.paths.root / "data" / "processed")
variables = il.collection_variables(docs)
il.save_table(variables, analysis.paths.tables / "variables.csv")
tokens = il.collection_tokens(docs)
dictionary = il.load_dictionary(concepts or None)
hits = il.collection_hits(docs, dictionary)
plan = il.plan_comparison(variables, analysis.doc_id, by=compare_by, target=target, reference=reference)
print(f"{len(docs)} processed document(s). {plan}")
variables

# %% [markdown]
# ## By variable: the words of one group against another
#
# Key lemmas of the target group's interviewees against the reference group's (Yates-corrected
# χ², as quanteda), within the documents of this document's language; `docs_target` and
# `docs_reference` say how many respondents use each lemma (one talkative respondent can make a
# group's keyness).

# %%
group_key = il.group_keyness(tokens, plan, language=analysis.language, min_count=min_count)
print(group_key.attrs["note"])
il.save_table(group_key, analysis.paths.tables / "groups-keyness.csv")
fig = il.plot_group_keyness(group_key, top_n=min(top_n, 15), document=f"{len(group_key.attrs.get('target_documents', []))} vs {len(group_key.attrs.get('reference_documents', []))} documents") if len(group_key) else None
il.save_or_note(fig, "groups-keyness", figures, formats, dpi, note=group_key.attrs["note"])

# %% [markdown]
# Concept hits per 1,000 interviewee words in every group of the variable, with exact Poisson
# 95 % intervals. The interval treats a group's words as one sample: with few respondents in a
# group the real uncertainty is wider (see `documents`).

# %%
group_rates = il.group_rates(hits, tokens, plan)
il.save_table(group_rates, analysis.paths.tables / "groups-concept-rates.csv")
fig = il.plot_group_rates(group_rates, document=f"{len(docs)} documents") if not group_rates.attrs["note"] and not plan.note else None
il.save_or_note(fig, "groups-concept-rates", figures, formats, dpi, note=group_rates.attrs["note"] or plan.note)

# %% [markdown]
# ## By guide theme: the answers lined up across respondents
#
# With a guide, each question goes to the guide item it is most like (tf-idf cosine of content
# lemmas, threshold 0.2, the guide's order breaking ties); a question below it is off-guide.
# Without one, the Q/A pairs of the collection are clustered into shared themes (average-linkage
# on cosine distance), each named by its centroid's top lemmas.

# %%
qa_all = il.collection_qa(docs, analysis.paths.root / "data" / "processed")
guide_path = il.guide_file(guide, analysis.paths.root)
matches = il.match_guide(qa_all, il.read_guide(guide_path)) if guide_path else il.cluster_qa(qa_all)
il.save_table(il.tag_variables(matches, docs), analysis.paths.tables / "guide-matches.csv")
languages = sorted(set(qa_all["language"]))
print((f"Guide {guide_path.name}: {int(matches['on_guide'].sum())} of {len(matches)} questions matched" if guide_path else f"No guide: {len(matches)} Q/A pairs in {len(matches.attrs['themes'])} clusters")
      + (f"; the documents are in {', '.join(languages)}, and questions in another language than the guide's stay off-guide or in their own clusters." if len(languages) > 1 else ".")
      + (" Only this document is processed so far: nothing to line its answers up with yet." if len(docs) == 1 else ""))
il.or_note(il.stat_clusters(matches) if not guide_path else matches.loc[~matches["on_guide"], ["doc_id", "qa_id", "question", "similarity"]],
           "Every question matched a guide item." if guide_path else "No Q/A pair to cluster.")

# %%
guide_themes = il.stat_guide_themes(matches, tokens, hits)
il.save_table(il.tag_variables(guide_themes, docs), analysis.paths.tables / "guide-themes.csv")
fig = il.plot_guide_heatmap(guide_themes, document=f"{len(docs)} documents") if len(guide_themes) else None
il.save_or_note(fig, "guide-themes", figures, formats, dpi, note="No question of any document matched a guide theme, so there is no theme × respondent table.")

# %% [markdown]
# ## Against the collection
#
# Length, vocabulary and the share of interviewee words of every processed document.

# %%
documents = il.stat_documents(docs)
il.save_table(documents, analysis.paths.tables / "documents.csv")
documents

# %% [markdown]
# Concept hits per 1,000 words in each document, each coded in its own language with the same
# concept ids, so a translation and its original line up.

# %%
rates = il.tag_variables(il.stat_concept_rates(docs, dictionary), docs)
il.save_table(rates, analysis.paths.tables / "concept-rates.csv")
if rates.attrs["not_coded"]:
    print("Not coded (the dictionary has no patterns in their language): " + ", ".join(f"{d} ({lang})" for d, lang in rates.attrs["not_coded"].items()) + ".")
fig = il.plot_concept_rates(rates, labels=dictionary.labels("en")) if len(rates) else None
il.save_or_note(fig, "documents-concept-rates", figures, formats, dpi,
                note="No concept of the dictionary occurs in any coded document, so there are no concept rates to draw.")

# %% [markdown]
# Keyness (G², log ratio) of this document against every other processed document in the same
# language, pooled; empty while it is the only one.

# %%
key = il.stat_document_keyness(docs, analysis.doc_id, min_count=min_count)
il.save_table(il.tag_variables(key, docs) if len(key) else key, analysis.paths.tables / "keyness-vs-collection.csv")
alone = f"This document is the only processed one in its language ({analysis.language}), so nothing to compare its words with yet."
il.or_note(key.head(top_n), alone if not key.attrs["reference"] else f"No lemma seen at least {min_count} times in this document and the {len(key.attrs['reference'])} others in its language.")
