"""Loading the knowledge base: every YAML file validated, cross-references checked, and one
version and checksum for the whole, stamped on every assessment."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from nightspine.errors import KnowledgeError
from nightspine.knowledge.schema import (
    AdviceItem,
    AnatomyTopic,
    ConcernInfo,
    ContributorInfo,
    DoctorGuide,
    Item,
    Meta,
    Source,
    WarningSign,
)
from nightspine.knowledge.vocabulary import (
    AssessmentVocabulary,
    DiaryVocabulary,
    assessment_vocabulary,
    diary_vocabulary,
)

DATA_PACKAGE = "nightspine.knowledge"

T = TypeVar("T", bound=BaseModel)


class KnowledgeBase(BaseModel):
    """The whole knowledge base, validated. Obtain it with :func:`load_knowledge`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    version: str
    checksum: str
    meta: Meta
    vocabulary: AssessmentVocabulary
    diary_vocabulary: DiaryVocabulary
    sources: dict[str, Source]
    anatomy: tuple[AnatomyTopic, ...]
    concerns: dict[str, ConcernInfo]
    contributors: dict[str, ContributorInfo]
    warning_signs: tuple[WarningSign, ...]
    advice: dict[str, AdviceItem]
    doctor: DoctorGuide

    def source_label(self, source_id: str) -> str:
        return self.sources[source_id].label


def _data_files() -> list[tuple[str, bytes]]:
    folder = resources.files(DATA_PACKAGE).joinpath("data")
    files = [(f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".yaml")]
    return sorted(files)


def _parse(name: str, raw: bytes) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"knowledge file {name} is not valid YAML: {exc}") from exc


def _items(model: type[T], name: str, data: Any) -> tuple[T, ...]:
    if not isinstance(data, list):
        raise KnowledgeError(f"knowledge file {name} must hold a list of items")
    out: list[T] = []
    for index, entry in enumerate(data):
        try:
            out.append(model.model_validate(entry))
        except ValidationError as exc:
            ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
            raise KnowledgeError(f"{name}, item {index} (id {ident}) is invalid:\n{exc}") from exc
    ids = [getattr(item, "id", None) for item in out]
    duplicates = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if duplicates:
        raise KnowledgeError(f"{name}: ids used more than once: {', '.join(duplicates)}")
    return tuple(out)


def _sources(parsed: dict[str, Any]) -> dict[str, Source]:
    """All ``sources*.yaml`` files merged (each area of content keeps its own list)."""
    merged: dict[str, Source] = {}
    names = [name for name in parsed if name.startswith("sources") and name.endswith(".yaml")]
    if not names:
        raise KnowledgeError("knowledge file sources.yaml is missing from the package")
    for name in names:
        for source in _items(Source, name, parsed[name]):
            if source.id in merged:
                raise KnowledgeError(f"{name}: source id '{source.id}' is defined twice")
            merged[source.id] = source
    return merged


def _check_references(kb: KnowledgeBase) -> None:
    problems: list[str] = []
    cited: list[tuple[str, Item]] = [("anatomy.yaml", i) for i in kb.anatomy]
    cited += [("concerns.yaml", i) for i in kb.concerns.values()]
    cited += [("contributors.yaml", i) for i in kb.contributors.values()]
    cited += [("warning_signs.yaml", i) for i in kb.warning_signs]
    cited += [("advice.yaml", i) for i in kb.advice.values()]
    cited += [("doctor.yaml", i) for i in (*kb.doctor.write_down, *kb.doctor.what_a_doctor_may_do)]
    for name, item in cited:
        for source in item.sources:
            if source not in kb.sources:
                problems.append(f"{name}: {item.id} cites unknown source '{source}'")
    for label, known, expected in (
        ("concerns.yaml", set(kb.concerns), set(kb.vocabulary.concerns)),
        ("contributors.yaml", set(kb.contributors), set(kb.vocabulary.contributors)),
    ):
        for missing in sorted(expected - known):
            problems.append(f"{label}: no entry for vocabulary id '{missing}'")
        for extra in sorted(known - expected):
            problems.append(f"{label}: '{extra}' is not an id in the vocabulary")
    for sign in kb.warning_signs:
        for key in sign.answer_keys:
            if key not in kb.vocabulary.answers:
                problems.append(f"warning_signs.yaml: {sign.id} names unknown answer key '{key}'")
    for advice in kb.advice.values():
        for target in advice.addresses:
            if target not in kb.contributors and target not in kb.concerns and target != "general":
                problems.append(f"advice.yaml: {advice.id} addresses unknown id '{target}'")
    if problems:
        raise KnowledgeError("the knowledge base is inconsistent:\n  - " + "\n  - ".join(problems))


@cache
def load_knowledge() -> KnowledgeBase:
    """Load, validate and cache the knowledge base shipped with the package.

    Raises :class:`~nightspine.errors.KnowledgeError` naming the file and item at fault.
    """
    files = _data_files()
    digest = hashlib.sha256()
    parsed: dict[str, Any] = {}
    for name, raw in files:
        digest.update(name.encode() + b"\0" + raw + b"\0")
        parsed[name] = _parse(name, raw)

    def need(name: str) -> Any:
        if name not in parsed:
            raise KnowledgeError(f"knowledge file {name} is missing from the package")
        return parsed[name]

    try:
        meta = Meta.model_validate(need("meta.yaml"))
        doctor = DoctorGuide.model_validate(need("doctor.yaml"))
    except ValidationError as exc:
        raise KnowledgeError(f"meta.yaml or doctor.yaml is invalid:\n{exc}") from exc
    kb = KnowledgeBase(
        version=meta.version,
        checksum=digest.hexdigest(),
        meta=meta,
        vocabulary=assessment_vocabulary(),
        diary_vocabulary=diary_vocabulary(),
        sources=_sources(parsed),
        anatomy=_items(AnatomyTopic, "anatomy.yaml", need("anatomy.yaml")),
        concerns={c.id: c for c in _items(ConcernInfo, "concerns.yaml", need("concerns.yaml"))},
        contributors={
            c.id: c for c in _items(ContributorInfo, "contributors.yaml", need("contributors.yaml"))
        },
        warning_signs=_items(WarningSign, "warning_signs.yaml", need("warning_signs.yaml")),
        advice={a.id: a for a in _items(AdviceItem, "advice.yaml", need("advice.yaml"))},
        doctor=doctor,
    )
    _check_references(kb)
    return kb
