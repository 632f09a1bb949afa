"""Reading: a document (.txt .md .docx .html .pdf .vtt .srt) and its sidecar into an interview.

``read_document`` gives the normalised text (``formats``, ``transcripts``, ``decode``);
``read_interview`` cuts it into speaker turns and Q/A pairs (``segment``, with ``lines`` for what
each line is, ``speakers`` for labels and aliases, ``roles`` for who asks and who answers) with
the sidecar's settings (``sidecar``).  Tables: the turn table (``turn_id, speaker, label, role,
text, start_char, end_char, start_s, end_s``) and the Q/A table (docs/architecture.md).
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "read_document": "interview_lens.reading.formats",
    "read_transcript": "interview_lens.reading.transcripts",
    "read_interview": "interview_lens.reading.segment",
    "read_sidecar": "interview_lens.reading.sidecar",
    "sidecar_path": "interview_lens.reading.sidecar",
    "load_aliases": "interview_lens.reading.speakers",
    "resolve_speakers": "interview_lens.reading.speakers",
    "safe_load": "interview_lens.reading.config",
    "read_yaml": "interview_lens.reading.config",
    "speaker_roles": "interview_lens.reading.roles",
})
