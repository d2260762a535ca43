"""Pictures that go with the plan: ``data/pictures/pictures.yaml`` and its SVG drawings.

One place maps advice ids (the stable ids of the assessment vocabulary) to drawings, each with a
text alternative and a caption; the web page, the terminal's Markdown and the PDF all read it
through :func:`load_pictures`. The drawings are kept apart from the knowledge checksum on purpose:
they illustrate advice without changing what any assessment says, so redrawing one does not
change a recorded assessment.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge

FOLDER = ("data", "pictures")
INDEX = "pictures.yaml"
MAX_SVG_BYTES = 20_000
"""A hand-drawn illustration is a few kilobytes; anything larger is probably not one."""
_FORBIDDEN = re.compile(r"<script|<foreignObject|\bon[a-z]+\s*=|href\s*=\s*\"(?:https?:|//)", re.I)


_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ (?P<width>[\d.]+) (?P<height>[\d.]+)"')


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Picture(_Model):
    """One drawing: its file, what it shows in words (``alt``) and a one-line ``caption``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    file: str = Field(pattern=r"^[a-z][a-z0-9_]*\.svg$")
    alt: str = Field(min_length=20, description="what it shows, for people who cannot see it")
    caption: str = Field(min_length=5, description="the point of the drawing in one line")


class PictureIndex(_Model):
    """``pictures.yaml`` as written."""

    version: int
    pictures: tuple[Picture, ...] = Field(min_length=1)
    advice: dict[str, tuple[str, ...]]


class Pictures(_Model):
    """The validated pictures: look them up by advice id, read their SVG text or file path."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    folder: Path
    by_id: dict[str, Picture]
    advice: dict[str, tuple[str, ...]]

    def for_advice(self, advice_id: str) -> tuple[Picture, ...]:
        """The pictures shown with one plan item (none for most)."""
        return tuple(self.by_id[p] for p in self.advice.get(advice_id, ()))

    def path(self, picture: Picture) -> Path:
        """The SVG file inside the installed package."""
        return self.folder / picture.file

    def size(self, picture: Picture) -> tuple[int, int]:
        """Width and height from the drawing's viewBox (so a page reserves its space)."""
        match = _VIEWBOX.search(self.svg(picture))
        if match is None:
            raise KnowledgeError(f"{picture.file} has no viewBox")
        return int(float(match["width"])), int(float(match["height"]))

    def svg(self, picture: Picture) -> str:
        """The SVG text (for a PDF, which embeds it)."""
        return self.path(picture).read_text(encoding="utf-8")


def pictures_folder() -> Path:
    """The folder of the drawings inside the installed package."""
    return Path(str(resources.files("nightspine.knowledge").joinpath(*FOLDER)))


def _check_svg(path: Path) -> str | None:
    """A problem with one drawing, or None."""
    if not path.is_file():
        return f"{path.name} is missing from {path.parent}"
    raw = path.read_bytes()
    if len(raw) > MAX_SVG_BYTES:
        return f"{path.name} is {len(raw)} bytes; keep a drawing under {MAX_SVG_BYTES}"
    text = raw.decode("utf-8", errors="replace")
    if not text.lstrip().startswith("<svg") or "viewBox=" not in text:
        return f"{path.name} must start with <svg ... viewBox=...> (plain SVG, no XML prologue)"
    if _FORBIDDEN.search(text):
        return f"{path.name} holds a script, an event handler or an external link; remove it"
    return None


def validate_pictures(data: Any, folder: Path, kb: KnowledgeBase) -> Pictures:
    """Check ``pictures.yaml`` against its drawings and the advice ids; raise KnowledgeError."""
    try:
        index = PictureIndex.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(f"{INDEX} is invalid:\n{exc}") from exc
    by_id: dict[str, Picture] = {}
    problems: list[str] = []
    for picture in index.pictures:
        if picture.id in by_id:
            problems.append(f"picture id '{picture.id}' is defined twice")
        by_id[picture.id] = picture
        problem = _check_svg(folder / picture.file)
        if problem:
            problems.append(problem)
    used: set[str] = set()
    for advice_id, ids in index.advice.items():
        if advice_id not in kb.advice:
            problems.append(f"advice '{advice_id}' is not in advice.yaml (use an advice id)")
        for picture_id in ids:
            if picture_id not in by_id:
                problems.append(f"advice '{advice_id}' names unknown picture '{picture_id}'")
            used.add(picture_id)
    problems += [f"picture '{p}' is not shown with any advice" for p in sorted(set(by_id) - used)]
    if problems:
        raise KnowledgeError(f"{INDEX} is inconsistent:\n  - " + "\n  - ".join(problems))
    return Pictures(folder=folder, by_id=by_id, advice=dict(index.advice))


@cache
def load_pictures() -> Pictures:
    """The pictures shipped with the package, validated (cached)."""
    folder = pictures_folder()
    try:
        data = yaml.safe_load((folder / INDEX).read_bytes())
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{INDEX} could not be read: {exc}") from exc
    return validate_pictures(data, folder, load_knowledge())


__all__ = ["Picture", "Pictures", "load_pictures", "pictures_folder", "validate_pictures"]
