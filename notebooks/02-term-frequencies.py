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
# # 02 · Term frequencies, n-grams, keyness and word clouds
#
# **Question.** What is this interview about, and how does each answer differ?
#
# **Inputs.** `document`; the package's stopword, lemma-override and multi-word lists
# (`src/interview_lens/data/lexicon/`).
#
# **Outputs.** In `figures/<doc_id>/`: `terms-top`, `terms-by-theme`, `keyness-by-theme`,
# `keyness-by-role`, `bigrams`, `wordcloud`, `wordclouds-by-theme` (PNG, SVG, PDF, each with its
# CSV); in `data/processed/<doc_id>/`: `frequency.csv`, `ngrams.csv`, `keyness.csv`,
# `lexical-profile.csv`.

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
# ## Most frequent terms
#
# Lemmas of content words (stopwords, fillers, numbers and speaker names removed); `rate_per_1000`
# is per 1,000 word tokens and `n_qa` the number of Q/A pairs the lemma occurs in.

# %%
freq = il.stat_frequency(analysis.tokens)
il.save_table(freq, analysis.paths.tables / "frequency.csv")
freq.head(top_n)

# %%
fig = il.plot_terms(freq, top_n=top_n, document=analysis.label) if len(freq) else None
il.save_or_note(fig, "terms-top", figures, formats, dpi,
                note="This document has no content word (only stopwords, numbers, punctuation or symbols): no term figure is drawn.")

# %% [markdown]
# The most frequent terms of each question theme, on a shared scale.

# %%
freq_theme = il.stat_frequency(analysis.tokens, by="theme")
fig = il.plot_terms_by_theme(freq_theme, top_n=8, document=analysis.label) if len(freq_theme) else None
il.save_or_note(fig, "terms-by-theme", figures, formats, dpi,
                note="No question/answer pair has a content word, so there are no terms by theme.")

# %% [markdown]
# ## Keyness: what sets each theme apart
#
# Each theme against the rest of the interview: log-likelihood G² (Rayson & Garside 2000) with
# its p-value, and the log ratio (Hardie 2014) as effect size.

# %%
keyness = il.stat_keyness(analysis.tokens, by="theme", min_count=min_count)
il.save_table(keyness, analysis.paths.tables / "keyness.csv")
il.or_note(keyness.groupby("theme", sort=False).head(5),
           f"No term is key to a theme: it takes two themes and lemmas seen at least {min_count} times.")

# %%
fig = il.plot_keyness(keyness, top_n=8, document=analysis.label) if len(keyness) else None
il.save_or_note(fig, "keyness-by-theme", figures, formats, dpi,
                note="No keyness by theme to draw (see the sentence above).")

# %% [markdown]
# The interviewer's words against the interviewee's: what the questions bring in.

# %%
keyness_role = il.stat_keyness(analysis.tokens, by="role", min_count=min_count)
il.save_table(keyness_role, analysis.paths.tables / "keyness-by-role.csv")
speakers_key = keyness_role[keyness_role["role"] != "other"]
fig = il.plot_keyness(speakers_key, top_n=8, document=analysis.label) if len(speakers_key) else None
il.save_or_note(fig, "keyness-by-role", figures, formats, dpi,
                note=f"No term sets interviewer and interviewee apart: it takes both to speak and lemmas seen at least {min_count} times.")

# %% [markdown]
# ## N-grams
#
# Bigrams and trigrams of content lemmas within a sentence, with nltk's log-likelihood and PMI.

# %%
bigrams = il.stat_ngrams(analysis.tokens, n=2, min_count=min_count)
trigrams = il.stat_ngrams(analysis.tokens, n=3, min_count=min_count)
il.save_table(bigrams, analysis.paths.tables / "bigrams.csv")
il.save_table(trigrams, analysis.paths.tables / "trigrams.csv")
il.or_note(bigrams.head(top_n), f"No pair of content words recurs at least {min_count} times within a sentence.")

# %%
fig = il.plot_ngrams(bigrams, top_n=15, document=analysis.label) if len(bigrams) else None
il.save_or_note(fig, "bigrams", figures, formats, dpi, note="No bigram to draw (see the sentence above).")

# %% [markdown]
# Lexical profile of each Q/A pair: length, vocabulary, type/token ratio, share.

# %%
profile = il.stat_lexical_profile(analysis.tokens)
il.save_table(profile, analysis.paths.tables / "lexical-profile.csv")
il.or_note(profile, "No question/answer pair, so no lexical profile per pair.")

# %% [markdown]
# ## Word clouds
#
# Drawn from the same lemma counts as the bar chart above (so cloud and chart agree); the layout
# is fixed by `random_state`.

# %%
fig = il.plot_wordcloud(freq, random_state=random_state, document=analysis.label) if len(freq) else None
il.save_or_note(fig, "wordcloud", figures, formats, dpi, note="No content word, so no word cloud.")

# %%
fig = il.plot_wordclouds_by_theme(freq_theme, random_state=random_state, document=analysis.label) if len(freq_theme) else None
il.save_or_note(fig, "wordclouds-by-theme", figures, formats, dpi, note="No terms by theme, so no word cloud per theme.")
