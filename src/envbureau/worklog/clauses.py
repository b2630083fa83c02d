"""The brace rule of report clauses: figures are quantities the text names in braces.

A clause reads ``完成VOCs整治企业{完成家数}家`` and its quantities ``完成家数=137家``: the
figure is stored once, with its unit, and the report builder can mark where it is printed.
A quantity is written in a cell as ``名称=数值单位``, several separated by ``;``/``；`` or new
lines. The unit is required (a bare number means nothing outside its sentence) but is not
printed in place of the braces: the text carries it, as the report would.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from envbureau.core.errors import ErrorDetail

BRACE = re.compile(r"\{([^{}]*)\}")
_FULL_WIDTH_BRACES = str.maketrans({"｛": "{", "｝": "}"})
_FULL_WIDTH_EQUALS = str.maketrans({"＝": "="})
_SEPARATORS = re.compile(r"[;；\n]+")
_NUMBER = re.compile(r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>.*)")
ATTACHMENT_SEPARATORS = _SEPARATORS


@dataclass(frozen=True)
class Quantity:
    """A figure of a clause: its name (used in braces), value and unit."""

    name: str
    value: float
    unit: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quantity:
        return cls(name=str(data["name"]), value=float(data["value"]), unit=str(data["unit"]))

    def as_dict(self) -> dict[str, Any]:
        """JSON form; an integral value is stored as an integer so the file reads ``126``."""
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"name": self.name, "value": value, "unit": self.unit}

    @property
    def printed(self) -> str:
        return format_number(self.value)

    def cell(self) -> str:
        """The ``名称=数值单位`` form of the import template."""
        return f"{self.name}={self.printed}{self.unit}"


def format_number(value: float) -> str:
    """The value as written: ``126`` not ``126.0``, ``86.5`` as is, never an exponent."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text == "-0" else text


def normalise_text(text: str) -> str:
    """Full-width braces typed with a Chinese input method count as braces."""
    return text.translate(_FULL_WIDTH_BRACES)


def as_quantities(items: Sequence[Quantity | Mapping[str, Any]] | None) -> list[Quantity]:
    return [q if isinstance(q, Quantity) else Quantity.from_dict(q) for q in items or ()]


def parse_quantities(cell: str | None) -> tuple[list[Quantity], list[ErrorDetail]]:
    """Quantities of a ``数量`` cell and what is wrong with it (``loc`` left for the caller)."""
    quantities: list[Quantity] = []
    problems: list[ErrorDetail] = []
    for piece in _SEPARATORS.split(normalise_text(cell or "").translate(_FULL_WIDTH_EQUALS)):
        piece = piece.strip()
        if not piece:
            continue
        name, equals, rest = (part.strip() for part in piece.partition("="))
        if not equals:
            problems.append(
                ErrorDetail(
                    (), "quantity.format", "数量应写成“名称=数值单位”，如“完成家数=137家”", piece
                )
            )
            continue
        if not name or "{" in name or "}" in name:
            problems.append(
                ErrorDetail((), "quantity.name", "数量名称不能为空，也不能含花括号", piece)
            )
            continue
        number = _NUMBER.fullmatch(rest)
        if number is None:
            problems.append(ErrorDetail((), "quantity.no_number", f"数量“{name}”缺少数值", piece))
            continue
        unit = number["unit"].strip()
        if not unit:
            problems.append(
                ErrorDetail(
                    (), "quantity.no_unit", f"数量“{name}”缺少单位（如 家、个、辆、%）", piece
                )
            )
            continue
        if any(q.name == name for q in quantities):
            problems.append(ErrorDetail((), "quantity.duplicate", f"数量名称“{name}”重复", piece))
            continue
        value = float(number["number"].replace(",", ""))
        quantities.append(Quantity(name=name, value=value, unit=unit))
    return quantities, problems


def quantity_names(cell: str | None) -> set[str]:
    """Every name written before an ``=`` in a cell, valid or not (so one mistake in a quantity
    is not reported a second time as an unknown brace name)."""
    pieces = _SEPARATORS.split(normalise_text(cell or "").translate(_FULL_WIDTH_EQUALS))
    return {p.partition("=")[0].strip() for p in pieces if "=" in p}


def brace_errors(text: str, names: Collection[str]) -> list[ErrorDetail]:
    """Braces that do not close, and brace names with no quantity of that name."""
    text = normalise_text(text)
    problems = [
        ErrorDetail(
            (),
            "text.quantity_unknown",
            f"表述中的“{{{name}}}”没有对应的数量（请在“数量”列填写 {name}=数值单位）",
            name,
        )
        for name in dict.fromkeys(m.strip() for m in BRACE.findall(text))
        if name not in names
    ]
    rest = BRACE.sub("", text)
    if "{" in rest or "}" in rest:
        problems.append(
            ErrorDetail((), "text.brace_unbalanced", "表述中的花括号没有成对出现", text)
        )
    return problems
