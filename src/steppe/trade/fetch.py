"""Fetch trade data from the UN Comtrade API with the user's own subscription key.

One query (:class:`ComtradeQuery`: reporter, partners, flows, months or years, commodity
level) becomes as few API calls as the API allows: at most 12 periods per call, and a call
whose answer reaches ``max_records`` (the API cuts it there) is split in two by period until
each answer is whole.  Answers are cached on disk by their request, so asking again costs
no call.  A 429 ("too many requests") or a 5xx answer is retried after the ``Retry-After``
the API sends, or with exponential backoff.  The records of every call are written as one
JSON document in the API's own format (``{"count": n, "data": [...]}``), which the
``comtrade-json`` loader reads into the store.

The official client ``comtradeapicall`` was considered: it prints errors and returns
``None`` instead of raising, has no retry on 429, and builds its own connection pool, so a
test could not replace the network; steppe calls the same endpoint with httpx.

A key: sign up at comtradedeveloper.un.org and subscribe to the free "comtrade - v1" API;
the key is sent in the ``Ocp-Apim-Subscription-Key`` header, never written to the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pycountry

from steppe.countries import resolve_country
from steppe.errors import ConfigError, MissingExtraError, TradeDataError
from steppe.trade.codes import COMTRADE_NUMERIC
from steppe.trade.periods import Period, parse_period

__all__ = ["API_URL", "ComtradeQuery", "FetchError", "comtrade_code", "fetch_comtrade"]

logger = logging.getLogger(__name__)

API_URL = "https://comtradeapi.un.org/data/v1/get/C/{freq}/HS"
KEY_HELP = (
    "UN Comtrade needs your own subscription key: sign up at comtradedeveloper.un.org, "
    "subscribe to the free 'comtrade - v1' API, then set COMTRADE_API_KEY or pass --key"
)
_PER_CALL = 12  # periods per call, the API's limit
_LEVELS = {"total": "TOTAL", "chapter": "AG2", "heading": "AG4", "subheading": "AG6"}


class FetchError(TradeDataError):
    """The Comtrade API refused a request, or kept failing after retries."""


def comtrade_code(iso3: str) -> int:
    """Return Comtrade's number for a country (M49, or Comtrade's own: 842 for the USA).

    Examples
    --------
    >>> comtrade_code("KAZ"), comtrade_code("USA"), comtrade_code("MNG")
    (398, 842, 496)
    """
    own = {v: k for k, v in COMTRADE_NUMERIC.items()}
    if iso3 in own:
        return own[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ConfigError(f"no Comtrade code for {iso3!r}")
    return int(country.numeric)


@dataclass(frozen=True, slots=True)
class ComtradeQuery:
    """What to fetch.

    Parameters
    ----------
    reporter
        The reporting country (name or code).
    period
        ``2023``, ``2019..2023``, ``2024-01..2024-08`` (months ask for monthly data).
    partners
        Partner countries; empty: every partner (and the World row).  With partners, the
        World row is fetched too (the denominator of shares).
    flows
        Comtrade flow codes (``X`` exports, ``M`` imports).
    level
        ``total``, ``chapter`` (HS 2-digit), ``heading`` (4) or ``subheading`` (6).
    frequency
        ``A`` or ``M``; default: monthly when the period is given in months.

    Examples
    --------
    >>> q = ComtradeQuery("Kazakhstan", "2024-01..2024-08", partners=("MNG",))
    >>> q.freq, q.periods()[:2], q.params(q.periods())["partnerCode"]
    ('M', ['202401', '202402'], '496,0')
    """

    reporter: str
    period: str
    partners: tuple[str, ...] = ()
    flows: tuple[str, ...] = ("X", "M")
    level: str = "total"
    frequency: Literal["A", "M"] | None = None
    _when: Period = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reporter", resolve_country(self.reporter))
        object.__setattr__(self, "partners", tuple(resolve_country(p) for p in self.partners))
        object.__setattr__(self, "_when", parse_period(self.period))
        if self.level not in _LEVELS:
            raise ConfigError(f"level must be one of {', '.join(_LEVELS)}, not {self.level!r}")
        bad = [f for f in self.flows if f not in ("X", "M", "RX", "RM")]
        if bad:
            raise ConfigError(f"flows must be X, M, RX or RM, not {', '.join(bad)}")
        if self.frequency not in (None, "A", "M"):
            raise ConfigError(f"frequency must be A or M, not {self.frequency!r}")
        if self.frequency == "A" and not self._when.is_whole_years:
            raise ConfigError("annual data need a period in whole years (2023, 2019..2023)")

    @property
    def freq(self) -> str:
        """``A`` or ``M``."""
        return self.frequency or ("A" if self._when.is_whole_years else "M")

    def periods(self) -> list[str]:
        """The API's period codes: ``YYYY`` or ``YYYYMM``."""
        if self.freq == "A":
            return [str(y) for y in self._when.years]
        return [f"{y}{m:02d}" for y, m in self._when.months]

    def params(self, periods: Sequence[str]) -> dict[str, str]:
        """The query parameters of one call (without the key)."""
        out = {
            "reporterCode": str(comtrade_code(self.reporter)),
            "period": ",".join(periods),
            "flowCode": ",".join(self.flows),
            "cmdCode": _LEVELS[self.level],
            "partner2Code": "0",
            "customsCode": "C00",
            "motCode": "0",
            "includeDesc": "true",
        }
        if self.partners:
            out["partnerCode"] = ",".join([*(str(comtrade_code(p)) for p in self.partners), "0"])
        return out


def _client(transport: Any) -> Any:
    try:
        import httpx
    except ImportError as e:  # pragma: no cover - httpx is in the test environment
        raise MissingExtraError("httpx", "comtrade") from e
    return httpx.Client(transport=transport, timeout=120.0)


def _cache_file(cache: Path, url: str, params: dict[str, str]) -> Path:
    digest = hashlib.sha256(json.dumps([url, sorted(params.items())]).encode()).hexdigest()
    return cache / f"{digest[:32]}.json"


def _wait(response: Any, attempt: int, backoff: float) -> float:
    after = response.headers.get("Retry-After", "")
    try:
        return max(float(after), 0.0)
    except ValueError:
        return backoff * 2.0**attempt


def _call(
    client: Any,
    url: str,
    params: dict[str, str],
    key: str,
    *,
    retries: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    import httpx

    for attempt in range(retries + 1):
        try:
            response = client.get(url, params=params, headers={"Ocp-Apim-Subscription-Key": key})
        except httpx.HTTPError as e:
            if attempt == retries:
                raise FetchError(f"cannot reach the Comtrade API: {e}", file=url) from e
            sleep(backoff * 2.0**attempt)
            continue
        status = response.status_code
        if status in (401, 403):
            raise ConfigError(f"the Comtrade API refused the key (HTTP {status}). {KEY_HELP}")
        if status == 429 or status >= 500:
            if attempt == retries:
                raise FetchError(
                    f"the Comtrade API answered HTTP {status} {retries + 1} times; try later "
                    "(the free tier allows about one call a second and 500 calls a day)",
                    file=url,
                )
            wait = _wait(response, attempt, backoff)
            logger.info("Comtrade API HTTP %d; retrying in %.1f s", status, wait)
            sleep(wait)
            continue
        if status != 200:
            raise FetchError(
                f"the Comtrade API answered HTTP {status}: {response.text[:200]}", file=url
            )
        try:
            doc = response.json()
        except ValueError as e:
            raise FetchError(
                "the Comtrade API answered something that is not JSON", file=url
            ) from e
        if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
            raise FetchError("the Comtrade API answer has no 'data' list", file=url)
        if doc.get("error"):
            raise FetchError(f"the Comtrade API answered: {doc['error']}", file=url)
        return doc
    raise AssertionError("unreachable")  # pragma: no cover


def fetch_comtrade(
    query: ComtradeQuery,
    *,
    key: str | None,
    out: Path,
    cache: Path | None = None,
    max_records: int = 100_000,
    retries: int = 5,
    backoff: float = 1.0,
    transport: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Fetch a query's records and write them as one API-format JSON file.

    Parameters
    ----------
    query
        What to fetch.
    key
        The user's subscription key (``None`` or empty: refused, with how to get one).
    out
        The JSON file to write (replaced atomically).
    cache
        A directory of cached answers (default: none).
    max_records
        The most records the API returns per call (``maxRecords``); a call that reaches it
        is split by period.
    retries, backoff
        Retries of a 429/5xx answer or a network error; first wait ``backoff`` seconds,
        doubling, unless the API says ``Retry-After``.
    transport
        An httpx transport (tests pass recorded answers; default: the network).
    sleep
        How to wait between retries.
    progress
        Called with (calls done, calls planned).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ConfigError
        No key, or the key was refused: the message says how to get one.
    FetchError
        The API kept failing, or one period alone exceeds ``max_records``.
    """
    if not key:
        raise ConfigError(KEY_HELP)
    url = API_URL.format(freq=query.freq)
    periods = query.periods()
    pending = [periods[i : i + _PER_CALL] for i in range(0, len(periods), _PER_CALL)]
    records: list[dict[str, Any]] = []
    done = 0
    with _client(transport) as client:
        while pending:
            chunk = pending.pop(0)
            params = {**query.params(chunk), "maxRecords": str(max_records)}
            cached = _cache_file(cache, url, params) if cache is not None else None
            if cached is not None and cached.is_file():
                doc = json.loads(cached.read_text(encoding="utf-8"))
            else:
                doc = _call(client, url, params, key, retries=retries, backoff=backoff, sleep=sleep)
            if len(doc["data"]) >= max_records:
                if len(chunk) == 1:
                    raise FetchError(
                        f"{query.reporter} in {chunk[0]} alone has {max_records:,} records or "
                        "more: ask for fewer partners or a coarser level",
                        file=url,
                    )
                half = len(chunk) // 2
                pending[:0] = [chunk[:half], chunk[half:]]
                continue
            if cached is not None and not cached.is_file():
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                tmp.write_text(json.dumps(doc), encoding="utf-8")
                tmp.replace(cached)
            records.extend(doc["data"])
            done += 1
            if progress is not None:
                progress(done, done + len(pending))
    if not records:
        raise FetchError(
            f"UN Comtrade has no {query.freq} data for {query.reporter} in {query.period} "
            "(not yet reported, or no trade with these partners)",
            file=url,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps({"count": len(records), "data": records, "error": ""}), "utf-8")
    tmp.replace(out)
    return out
