"""The ``json`` and ``yaml`` formats: the (pseudonymised) workspace and its headline results
as one document."""

from __future__ import annotations

import json
from typing import IO, Any

from ...evaluation.headline import headline
from ...io.converter import unstructure
from ...io.jsonio import dumps
from ...io.yamlio import dump_yaml
from ...plugins.interfaces import ExportSource
from ...textsafety import has_control_characters, show_controls


def _document(source: ExportSource) -> dict[str, Any]:
    evaluation = headline(source.evaluation) if source.evaluation is not None else None
    return {
        "mio_core_export": 1,
        "identified": source.identified,
        "language": source.language,
        "workspace": unstructure(source.workspace),
        "evaluation": evaluation,
    }


def write_json(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the (pseudonymised) workspace and its headline results as one JSON document.

    Control and bidi-override characters in text are written as ``\\uXXXX`` escapes: the
    same values, visible to whoever opens the file.
    """
    stream.write(show_controls(dumps(_document(source))))
    stream.write("\n")


def _visible_yaml(data: Any) -> str:
    """Return ``data`` as YAML with every text that holds a control or bidi-override
    character double-quoted and escaped (``"\\u202E"``): the same value, visible."""
    import yaml

    class VisibleDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def analyze_scalar(self, scalar: str) -> Any:
            analysis = super().analyze_scalar(scalar)
            if has_control_characters(scalar):
                analysis.allow_flow_plain = analysis.allow_block_plain = False
                analysis.allow_single_quoted = analysis.allow_block = False
            return analysis

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            if not has_control_characters(text):
                super().write_double_quoted(text, split)
                return
            self.allow_unicode = False  # escapes everything beyond ASCII in this one text
            try:
                super().write_double_quoted(text, split)
            finally:
                self.allow_unicode = True

    text: str = yaml.dump(
        data,
        Dumper=VisibleDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text


def write_yaml(source: ExportSource, stream: IO[str], options: object) -> None:
    """Write the (pseudonymised) workspace and its headline results as one YAML document.

    Text with control or bidi-override characters is written double-quoted with escapes.
    """
    document = dumps(_document(source), indent=None)
    data = json.loads(document)
    stream.write(_visible_yaml(data) if has_control_characters(document) else dump_yaml(data))
