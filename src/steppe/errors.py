"""The one error hierarchy of steppe.

Every error steppe raises on purpose is a :class:`SteppeError`.  Each subclass also
derives from the builtin exception a caller would naturally catch, so
``except LookupError`` still works for an unknown place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "AmbiguousPlaceError",
    "CalibrationError",
    "ConfigError",
    "ConvergenceError",
    "DataFileError",
    "MissingExtraError",
    "NetworkFileError",
    "NoRouteError",
    "ObservationsError",
    "Problem",
    "ScenarioError",
    "SeparationError",
    "SteppeError",
    "TradeDataError",
    "UnknownPlaceError",
]


class SteppeError(Exception):
    """Root of every error steppe raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file, located by file, row and column.

    ``row`` counts data rows from 1 as a spreadsheet shows them with the header
    on row 1, so the first data row is row 2.  ``None`` means "the whole file" or
    "the whole column".
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(str(self.row))
        if self.column is not None:
            where.append(self.column)
        return f"{':'.join(where)}: {self.message}"


class DataFileError(ValueError, SteppeError):
    """An input file is malformed; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem] | str, *, file: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(file=file or "<input>", message=problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = str(errors[0]) if errors else "invalid input"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(head + more)

    def report(self) -> str:
        """Return every problem, one ``file:row:column: message`` per line."""
        return "\n".join(str(p) for p in self.problems)


class NetworkFileError(DataFileError):
    """A network folder or file is malformed."""


class ScenarioError(DataFileError):
    """A scenario file is malformed or contradicts the network it edits."""


class TradeDataError(DataFileError):
    """A trade file is malformed, or a trade query cannot be answered from the data."""


class ObservationsError(DataFileError):
    """An observations file (calibration register) is malformed or names unknown places."""


class CalibrationError(DataFileError):
    """A calibration overlay file is malformed or names parameters the network lacks."""


class ConfigError(ValueError, SteppeError):
    """An option or parameter is invalid or contradicts another.

    ``parameter`` names the Python parameter at fault, when there is one, and the message
    then starts with ``"<parameter>: "``; the CLI and the web API put their own flag or
    field name in its place (``--modes``, ``modes``).
    """

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter

    def renamed(self, names: Mapping[str, str]) -> str:
        """Return the message with the parameter named as ``names`` says (if it is there).

        Examples
        --------
        >>> ConfigError("modes: unknown mode 'air'", parameter="modes").renamed(
        ...     {"modes": "--modes"})
        "--modes: unknown mode 'air'"
        """
        text = str(self)
        p = self.parameter
        if p is None or p not in names or not text.startswith(f"{p}: "):
            return text
        return f"{names[p]}: {text[len(p) + 2 :]}"


class UnknownPlaceError(LookupError, SteppeError):
    """No place matches a name; the message lists the closest names."""

    def __init__(self, query: str, suggestions: Iterable[str] = (), *, what: str = "place") -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {what} {query!r}{hint}")

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return str(self.args[0])


class AmbiguousPlaceError(LookupError, SteppeError):
    """A name matches several places; the message lists them with their countries."""

    def __init__(self, query: str, candidates: Iterable[str]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(
            f"{query!r} is ambiguous: {', '.join(self.candidates)}; use the id or add the country"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class NoRouteError(LookupError, SteppeError):
    """No route satisfies the request; the message says why."""

    def __str__(self) -> str:
        return str(self.args[0])


class ConvergenceError(RuntimeError, SteppeError):
    """An iterative estimator or solver did not converge."""


class SeparationError(RuntimeError, SteppeError):
    """PPML found separated observations that were not handled."""


class MissingExtraError(ImportError, SteppeError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is needed for this; install it with: pip install 'steppe[{extra}]'"
        )
