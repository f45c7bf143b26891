"""Readers for each trade file format; see :mod:`steppe.trade.loaders.detect`."""

__all__: list[str] = []
