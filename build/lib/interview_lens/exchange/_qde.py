"""What the REFI-QDA project (.qdpx) and codebook (.qdc) writers share.

Stable GUIDs (uuid5 of one namespace and a key naming the thing), XML-safe strings, the code
elements of a concept dictionary, and a byte-reproducible, atomic zip/file writer.  The
standard is QDA-XML 1.0 (REFI, release of 18 March 2019, ``Project-mrt2019.xsd``).
"""
from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path
from typing import Mapping

from lxml import etree

from interview_lens.analysis.dictionary import Concept, ConceptDictionary
from interview_lens.project import atomic_write

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

#: Every GUID of an export is ``uuid5(GUID_NAMESPACE, key)``: the same key gives the same GUID on
#: every machine and run, so a re-export is byte-identical and a tool that merges projects by
#: GUID (NVivo, MAXQDA) recognises the same code or document.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://interview-lens/refi-qda/1.0")

#: The marker line that carries a concept's id and labels in a code's Description, so that a
#: codebook read back gives the dictionary's ids (a label such as "digital & technology" does
#: not slug back to ``digital``).
CONCEPT_MARK = "interview-lens concept:"
_MARK_RE = re.compile(rf"^{re.escape(CONCEPT_MARK)} ([a-z][a-z0-9_]*)(?: \((.*)\))?$")
_LABEL_SPLIT_RE = re.compile(r"; (?=[a-z]{2,3}: )")

# XML 1.0 allows neither C0 controls (but tab, LF, CR) nor U+FFFE/U+FFFF nor lone surrogates.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

#: A zip entry's date: the earliest a zip can hold, so the bytes do not depend on the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def guid(*parts: object) -> str:
    """The stable GUID of the thing named by ``parts`` (joined with ``\\x1f``)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def concept_guid(concept_id: str) -> str:
    """A concept's code GUID: the same in a codebook (.qdc) and in every project (.qdpx)."""
    return guid("code", "concept", concept_id)


def clean(text: object) -> str:
    """``text`` as a string XML 1.0 can carry (forbidden control characters removed)."""
    return _XML_BAD.sub("", str(text))


def sub(parent: etree._Element, ns: str, tag: str, text: str | None = None,
        **attrs: str) -> etree._Element:
    """Append ``<tag attrs>text</tag>`` in namespace ``ns`` to ``parent``."""
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


def concept_description(concept: Concept) -> str:
    """A concept code's Description: its description, then the marker line (id and labels)."""
    labels = "; ".join(f"{lang}: {label}" for lang, label in sorted(concept.labels.items()))
    mark = f"{CONCEPT_MARK} {concept.id}" + (f" ({labels})" if labels else "")
    return f"{concept.description.strip()}\n\n{mark}" if concept.description.strip() else mark


def parse_mark(description: str) -> tuple[str | None, dict[str, str], str]:
    """``(id, labels, description without the marker)`` from a code's Description."""
    lines = description.rstrip().split("\n")
    match = _MARK_RE.match(lines[-1].strip()) if lines else None
    if not match:
        return None, {}, description.strip()
    labels: dict[str, str] = {}
    for part in _LABEL_SPLIT_RE.split(match.group(2) or ""):
        lang, _, label = part.partition(": ")
        if lang and label:
            labels[lang] = label
    return match.group(1), labels, "\n".join(lines[:-1]).strip()


def concept_codes(parent: etree._Element, ns: str, dictionary: ConceptDictionary, *,
                  language: str | None) -> None:
    """One codable ``Code`` per concept of ``dictionary``, in its order, under ``parent``."""
    for concept in dictionary:
        code = sub(parent, ns, "Code", guid=concept_guid(concept.id),
                   name=concept.label(language), isCodable="true", color=concept.colour)
        sub(code, ns, "Description", concept_description(concept))


def to_bytes(root: etree._Element) -> bytes:
    """The document's bytes: UTF-8, XML declaration, indented, LF line ends."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_zip(path: str | Path, entries: Mapping[str, bytes]) -> Path:
    """Write ``entries`` (name -> bytes) as a zip that is byte-identical for the same entries.

    Sorted names, a fixed date, fixed permissions and system, deflate level 9.
    """
    def _write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as archive:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, whatever the platform writing it
                info.external_attr = 0o644 << 16
                archive.writestr(info, entries[name], compresslevel=9)

    return atomic_write(path, lambda tmp: _write(Path(tmp)))
