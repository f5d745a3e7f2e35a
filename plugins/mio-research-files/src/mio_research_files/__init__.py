"""mio-research-files: the wide analysis file for SPSS, Stata, R and a CSV with a codebook.

One row per participant (pseudonymised, consenting participants only, as every research
export): organisation and municipality, cohort, manager level and sector, attendance,
coaching dose, project stage, every subscale score per occasion and the change scores. See
:mod:`mio_research_files.formats` for what each format keeps.
"""

from __future__ import annotations

import mio_core as m

from .formats import WideCsvOptions, write_dta, write_rds, write_sav, write_wide_csv

__version__ = "0.1.0"
__all__ = ["RDS", "SPSS", "STATA", "WIDE_CSV", "WideCsvOptions", "mio_register_exporters"]

WIDE_CSV = m.Exporter(
    name="wide-csv",
    title="Wide analysis file (CSV)",
    suffix="",
    media_type="text/csv",
    kind="folder",
    write=write_wide_csv,
    options_type=WideCsvOptions,
    description="one row per participant (wide.csv) with every score per occasion and "
    "change scores, and codebook.csv (labels, value labels, where each variable comes from)",
)

SPSS = m.Exporter(
    name="spss",
    title="SPSS data file (wide)",
    suffix=".sav",
    media_type="application/x-spss-sav",
    kind="binary",
    write=write_sav,
    description="the wide analysis file as SPSS .sav with variable labels, value labels "
    "and measurement levels",
)

STATA = m.Exporter(
    name="stata",
    title="Stata data file (wide)",
    suffix=".dta",
    media_type="application/x-stata-dta",
    kind="binary",
    write=write_dta,
    description="the wide analysis file as Stata .dta (release 119) with variable labels "
    "and value labels on integer codes",
)

RDS = m.Exporter(
    name="rds",
    title="R data frame (wide)",
    suffix="",
    media_type="application/octet-stream",
    kind="folder",
    write=write_rds,
    description="the wide analysis file as an R data frame (wide.rds): categories as "
    "factors, variable labels as the attribute label; and codebook.csv",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [WIDE_CSV, SPSS, STATA, RDS]
