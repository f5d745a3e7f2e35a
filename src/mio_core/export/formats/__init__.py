"""The built-in export formats: ordinary modules, each a writer of one format.

:mod:`.csvfolder` (tidy CSV tables and a codebook), :mod:`.datapackage` (the same as a
Frictionless Data Package), :mod:`.document` (the workspace and its headline results as one
JSON or YAML document) and :mod:`.markdown` (a readable summary). They are registered as
exporters by :mod:`mio_core.builtin.exporters`, through the same hook as any plugin's.
"""
