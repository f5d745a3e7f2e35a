"""mio_core's package data, read through :mod:`importlib.resources` in this one place.

SCB's municipality and county codes (CC0), the built-in instruments (YAML) and the files of
a new workspace (``mio init``). Every function reads on first use and keeps the result.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

__all__ = ["counties", "instrument_files", "municipalities", "template_text"]


def _text(*parts: str) -> str:
    return resources.files(__name__).joinpath(*parts).read_text("utf-8")


@cache
def municipalities() -> tuple[dict[str, str], ...]:
    """Return SCB's 290 municipalities as rows: ``municipality_code``, ``municipality_name``,
    ``municipality_name_short``, ``county_code``, in code order."""
    return tuple(csv.DictReader(_text("scb-municipalities.csv").splitlines()))


@cache
def counties() -> tuple[dict[str, str], ...]:
    """Return SCB's 21 counties as rows: ``county_code``, ``county_name``,
    ``county_name_short``."""
    return tuple(csv.DictReader(_text("scb-counties.csv").splitlines()))


@cache
def instrument_files() -> tuple[tuple[str, str], ...]:
    """Return the built-in instruments as (file name, YAML text), by file name."""
    folder = resources.files(__name__).joinpath("instruments")
    return tuple(
        (entry.name, entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    )


def template_text(name: str, template: str = "mio", language: str = "sv") -> str:
    """Return the text of the file ``name`` (e.g. ``concept.yaml``) of the ``mio init``
    template ``template`` (``mio`` or ``blank``) in ``language`` (``sv`` or ``en``).

    The Swedish MIO template lives in ``template/``; every other form in
    ``template-<template>-<language>/``, falling back to ``template/`` for a file it does
    not change.
    """
    if (template, language) != ("mio", "sv"):
        folder = resources.files(__name__).joinpath(f"template-{template}-{language}")
        if folder.joinpath(name).is_file():
            return folder.joinpath(name).read_text("utf-8")
    return _text("template", name)
