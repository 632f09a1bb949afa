"""Concept dictionaries as REFI-QDA codebooks (``.qdc``), and codebooks back as dictionaries.

A ``.qdc`` is one XML ``CodeBook`` element (namespace ``urn:QDA-XML:codebook:1.0``) with the
codes of ``Project-mrt2019.xsd``'s ``CodeBookType``.  :func:`write_qdc` writes one code per
concept (label, colour, description; the id and every label ride on a marker line of the
description, so a round trip keeps them).  :func:`read_qdc` reads any tool's codebook (NVivo,
ATLAS.ti, MAXQDA, QualCoder), and :func:`qdc_to_yaml` turns it into a concept-dictionary YAML
skeleton whose patterns the researcher then writes.  Codes are GUID-stable: the concept ``x``
has the same GUID here and in every ``.qdpx`` project.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from interview_lens.analysis.dictionary import ConceptDictionary, load_dictionary
from interview_lens.errors import InputError
from interview_lens.exchange._qde import (
    CODEBOOK_NS,
    PROJECT_NS,
    concept_codes,
    parse_mark,
    sub,
    to_bytes,
)
from interview_lens.figures.style import PALETTE
from interview_lens.project import atomic_write

_NAMESPACES = (CODEBOOK_NS, PROJECT_NS)
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# a skeleton phrase keeps the label's words: punctuation (& , / ...) is never a token, and
# wildcard or regex characters would be refused by load_dictionary
_PATTERN_BAD = re.compile(r"[^\w\s'’-]")


def codebook_xml(dictionary: ConceptDictionary, *, language: str | None = "en") -> bytes:
    """The bytes of a ``.qdc`` codebook: one code per concept, named in ``language``."""
    # no ``origin`` attribute: the project schema's CodeBookType, which a .qdc must follow,
    # has none
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    concept_codes(sub(root, CODEBOOK_NS, "Codes"), CODEBOOK_NS, dictionary, language=language)
    return to_bytes(root)


def write_qdc(dictionary: ConceptDictionary | str | Path | None, path: str | Path, *,
              language: str | None = "en") -> Path:
    """Write ``dictionary`` (loaded, a YAML path, or ``None`` for the shipped one) as a ``.qdc``.

    Returns ``path``; written atomically, byte-identical for the same dictionary.
    """
    if not isinstance(dictionary, ConceptDictionary):
        dictionary = load_dictionary(dictionary)
    data = codebook_xml(dictionary, language=language)
    return atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def _local(el: etree._Element) -> tuple[str | None, str]:
    qname = etree.QName(el)
    return qname.namespace, qname.localname


def _slug_id(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")
    return slug if slug[:1].isalpha() else f"code_{slug}".rstrip("_")


def _codes(parent: etree._Element, ns: str, path: Path, out: list[dict[str, Any]],
           group: str) -> None:
    for el in parent:
        if not isinstance(el.tag, str) or _local(el) != (ns, "Code"):
            continue
        name = (el.get("name") or "").strip()
        if not name:
            raise InputError(path, f"malformed codebook: a Code (line {el.sourceline}) "
                                   "has no name")
        text = "".join(el.findtext(f"{{{ns}}}Description") or "")
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        if codable:
            cid, labels, description = parse_mark(text)
            colour = el.get("color")
            if colour is not None and not _COLOUR_RE.match(colour.strip()):
                raise InputError(path, f"malformed codebook: code {name!r} has colour "
                                       f"{colour!r} (want #RRGGBB)")
            out.append({"id": cid, "name": name, "labels": labels, "group": group,
                        "colour": colour.strip().upper() if colour else None,
                        "description": description})
        _codes(el, ns, path, out, name if not codable else group)


def read_qdc(path: str | Path) -> dict[str, Any]:
    """Read a REFI-QDA codebook (``.qdc``) as a concept-dictionary mapping.

    Returns ``{"name", "description", "concepts": [{"id", "labels", "colour", "description",
    "group"}]}``: every codable code, nested ones included, in document order.  ``id`` comes
    from the marker :func:`write_qdc` writes, else from the code's name (snake_case, made
    unique); ``labels`` are the marker's, else ``{"en": name}``; ``colour`` the code's, else the
    house palette; ``group`` the nearest non-codable parent (a tool's category), or ``""``.
    Raises :class:`InputError` (one line) for a file that is not a codebook.
    """
    path = Path(path)
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                      no_network=True)).getroot()
    except OSError:
        raise InputError(path, "codebook not found or unreadable") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed codebook: not XML ({exc.msg})") from None
    ns, tag = _local(root)
    if tag.lower() != "codebook" or ns not in _NAMESPACES:
        raise InputError(path, f"malformed codebook: root is {{{ns}}}{tag}, want CodeBook in "
                               f"{CODEBOOK_NS}")
    codes = root.find(f"{{{ns}}}Codes")
    if codes is None:
        raise InputError(path, "malformed codebook: no Codes element")
    found: list[dict[str, Any]] = []
    _codes(codes, ns, path, found, "")
    if not found:
        raise InputError(path, "malformed codebook: no codable code")
    seen: set[str] = set()
    concepts = []
    for i, code in enumerate(found):
        cid = code["id"] or _slug_id(code["name"])
        base, n = cid, 2
        while cid in seen:  # two codes of one name in different categories
            cid, n = f"{base}_{n}", n + 1
        seen.add(cid)
        concepts.append({"id": cid, "labels": code["labels"] or {"en": code["name"]},
                         "colour": code["colour"] or PALETTE[i % len(PALETTE)],
                         "description": code["description"], "group": code["group"]})
    return {"name": path.stem, "description": f"read from the codebook {path.name}",
            "concepts": concepts}


def _skeleton_pattern(label: str) -> str:
    # case kept: a label in capitals (AI, UN) is an acronym, matched case-sensitively
    return " ".join(_PATTERN_BAD.sub(" ", label).split()) or "todo"


_HEADER = """\
# Concept dictionary skeleton read from the REFI-QDA codebook {source}.
# Ids, labels and colours come from the codebook; the patterns are only each label as a phrase:
# write the lemmas, wildcards and phrases that voice each concept (see interview_lens.analysis.concepts
# and the shipped src/interview_lens/data/concepts/default.yaml) before you rely on the counts.
"""


def qdc_to_yaml(path: str | Path, out: str | Path) -> Path:
    """Write a concept-dictionary YAML skeleton from the codebook ``path`` to ``out``.

    Each concept gets its id, labels, colour, description and, per label language, the label
    as its one phrase; the file loads with :func:`interview_lens.analysis.concepts.load_dictionary`.
    """
    book = read_qdc(path)
    concepts = []
    for c in book["concepts"]:
        entry: dict[str, Any] = {"id": c["id"], "labels": dict(c["labels"]),
                                 "colour": c["colour"]}
        description = " ".join(filter(None, (c["description"],
                                             f"(category: {c['group']})" if c["group"] else "")))
        if description:
            entry["description"] = description
        for lang, label in sorted(c["labels"].items()):
            entry[lang] = {"phrases": [_skeleton_pattern(label)]}
        concepts.append(entry)
    body = yaml.safe_dump({"name": book["name"], "description": book["description"],
                           "concepts": concepts}, allow_unicode=True, sort_keys=False,
                          width=100)
    text = _HEADER.format(source=Path(path).name) + body
    return atomic_write(out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline="\n"))
