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
# # 01 · Segment the interview into turns and question/answer pairs
#
# **Question.** Who speaks when, which questions structure the conversation, and what is each
# question about?
#
# **Inputs.** `document` (a .txt, .md, .docx, .html or .pdf interview, or a .vtt or .srt
# transcript, in `data/interviews/`) and
# its optional sidecar `<name>.yaml` (title, year, language, interviewer, aliases, themes).
#
# **Outputs.** `data/processed/<doc_id>/turns.csv`, `qa.csv`, `tokens.csv`, `warnings.json`,
# `document.json`. Every later notebook starts from the same `load()` call.

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
# The document at a glance: turns by role, Q/A pairs, words and distinct content lemmas.

# %%
il.summary(analysis)

# %% [markdown]
# ## Turns
#
# One row per turn. `speaker` is the canonical name (variant spellings merged), `label` the
# label as written, `role` is `interviewer`, `interviewee` or `other` (lede, captions, headings);
# `start_char`/`end_char` point into the normalised text, so every count can be traced back;
# `start_s`/`end_s` are the seconds into the recording where the transcript gives times (.vtt/.srt
# cues, labels such as `Name: 00:00:25`; empty otherwise), to go back from a figure to the audio.

# %%
analysis.turns.assign(text=analysis.turns["text"].str.slice(0, 120))

# %% [markdown]
# ## Question/answer pairs and their themes
#
# `theme_terms` are each pair's most distinctive lemmas against the rest of the interview
# (log-likelihood G²); `theme` is the automatic label unless a themes file or the sidecar names
# the themes.

# %%
il.or_note(analysis.qa[["qa_id", "theme", "theme_terms", "question", "answer_turns"]],
           "No question/answer pair was found: the document is read as one block of text, and the term figures of 02 are still drawn.")

# %% [markdown]
# ## Data quality
#
# What a careful reader should check before trusting the counts: merged speaker aliases, blocks
# that are neither question nor answer, unlabelled paragraphs joined to the previous turn,
# ambiguous lines and warnings. The same warnings go into the run's `manifest.json`.

# %%
il.data_quality(analysis)

# %% [markdown]
# The tables behind every other notebook, written to `data/processed/<doc_id>/`.

# %%
[str(p.relative_to(analysis.paths.tables.parent.parent.parent)) for p in il.save_tables(analysis)]
