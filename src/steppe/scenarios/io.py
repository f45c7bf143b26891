"""Read scenario files: TOML text -> a validated :class:`Scenario`, or one ScenarioError.

The file is parsed with :mod:`tomllib` (nothing in it is executed) and checked against
:class:`~steppe.scenarios.spec.ScenarioSpec` strictly: a value of the wrong TOML type is
an error, never converted (``speed_kmh = true`` or ``length_km = "5"`` are refused; an
integer is accepted where a number is expected).  Every schema problem becomes a
:class:`~steppe.errors.Problem` naming the file, the edit (``row`` = the edit's number,
counting from 1) and the field.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from steppe.errors import Problem, ScenarioError
from steppe.scenarios.spec import EDIT_TYPES as _EDIT_TYPES
from steppe.scenarios.spec import FORMAT_VERSION, ScenarioSpec

__all__ = ["Scenario", "parse_scenario", "read_scenario"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated scenario file.

    Parameters
    ----------
    name
        Short name: the bundled name or the file's stem.
    file
        Where it came from, as named in error messages.
    spec
        The parsed file.
    """

    name: str
    file: str
    spec: ScenarioSpec

    @property
    def title(self) -> str:
        """Return the scenario's title."""
        return self.spec.title

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as JSON-ready data (the file's content plus its name)."""
        return {"name": self.name, "file": self.file, **self.spec.model_dump(mode="json")}


def _problems(exc: ValidationError, file: str, data: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        loc = list(err["loc"])
        if loc == ["edits"] and err["type"] == "too_short" and err.get("input"):
            continue  # only because every edit failed; those errors say why
        row: int | None = None
        kind: object = None
        column: str | None = None
        message = err["msg"]
        if loc and loc[0] == "edits" and len(loc) > 1 and isinstance(loc[1], int):
            row = loc[1] + 1
            rest = [str(x) for x in loc[2:]]
            edits = data.get("edits")
            edit = edits[loc[1]] if isinstance(edits, list) and loc[1] < len(edits) else None
            kind = edit.get("type") if isinstance(edit, dict) else None
            if rest and rest[0] == kind:
                rest = rest[1:]
            if err["type"] == "union_tag_invalid" or (err["type"] == "union_tag_not_found"):
                column = "type"
                message = (
                    f"unknown edit type {kind!r}; use one of {', '.join(_EDIT_TYPES)}"
                    if kind is not None
                    else f"the edit has no type; use one of {', '.join(_EDIT_TYPES)}"
                )
            else:
                column = ".".join(rest) or None
        elif loc:
            column = ".".join(str(x) for x in loc)
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "literal_error" and column == "format_version":
            message = f"format_version must be {FORMAT_VERSION}, got {err.get('input')!r}"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        if row is not None:
            kind_text = f" ({kind})" if isinstance(kind, str) else ""
            message = f"edit {row}{kind_text}: {message}"
        out.append(Problem(file, message, row, column))
    return out


class _DateValueError(ValueError):
    pass


def _not_json(value: object) -> object:
    raise _DateValueError(
        f"TOML dates and times are not used in scenarios; found {value!r} (quote it)"
    )


def parse_scenario(text: str, *, file: str = "<scenario>", name: str | None = None) -> Scenario:
    """Parse and validate the TOML text of a scenario.

    Parameters
    ----------
    text
        The file's content.
    file
        Name used in error messages.
    name
        Short name of the scenario; default: ``file``'s stem.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem, each with file, edit number and field.

    Examples
    --------
    >>> s = parse_scenario('format_version = 1\\ntitle = "t"\\n'
    ...                    '[[edits]]\\ntype = "close_transit"\\ncountries = ["RUS"]\\n')
    >>> s.spec.edits[0].type
    'close_transit'
    """
    try:
        data = tomllib.loads(text)
        # Strict JSON-mode validation: TOML's types map one to one onto JSON's, and
        # strict mode refuses every conversion (bool or string to number, number to string).
        as_json = json.dumps(data, default=_not_json)
        spec = ScenarioSpec.model_validate_json(as_json, strict=True)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(file, f"is not valid TOML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(file, "is nested too deeply to be a scenario")]) from None
    except _DateValueError as exc:
        raise ScenarioError([Problem(file, str(exc))]) from None
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, file, data)) from None
    return Scenario(name=name or Path(file).stem, file=file, spec=spec)


def read_scenario(path: str | Path, *, name: str | None = None) -> Scenario:
    """Read and validate a scenario TOML file.

    Raises
    ------
    ScenarioError
        If the file is missing, not UTF-8, not TOML or breaks the schema.

    Examples
    --------
    >>> from steppe.scenarios.bundled import scenario_path
    >>> read_scenario(scenario_path("russia-transit-closed")).title
    'No transit through Russia'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(path), f"is not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), f"cannot be read ({exc.strerror})")]) from None
    return parse_scenario(text, file=str(path), name=name or path.stem)
