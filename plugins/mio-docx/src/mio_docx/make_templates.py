"""Write the default templates shipped with mio-docx (``python -m mio_docx.make_templates``).

Each is python-docx's default document with a title page: the placeholders ``{{title}}``,
``{{concept}}``, ``{{date}}`` and ``{{people}}``, and the paragraph ``{{body}}`` where the
report goes. Its bytes are fixed (document properties and zip dates are constants), so
running this again changes nothing unless the text or python-docx's default does.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

TEXT = {
    "sv": ("Rapport till finansiären", "Genererad {{date}}. {{people}}"),
    "en": ("Report to the funder", "Generated {{date}}. {{people}}"),
}
FIXED = dt.datetime(2026, 1, 1)


def make_template(language: str) -> bytes:
    """Return the bytes of the default template in ``language`` (``sv`` or ``en``)."""
    import docx

    from mio_core.export import ReproducibleZipFile, zip_date_time

    from . import drop_thumbnail

    heading, generated = TEXT[language]
    document = docx.Document()
    drop_thumbnail(document)
    document.add_heading("{{title}}", 0)
    document.add_paragraph("{{concept}}", style="Subtitle")
    document.add_paragraph(heading)
    document.add_paragraph(generated)
    document.add_paragraph("{{body}}")
    document.sections[0].footer.paragraphs[0].text = "{{title}} · {{date}}"
    properties = document.core_properties
    properties.created = properties.modified = properties.last_printed = FIXED
    properties.revision = 1
    properties.author = properties.last_modified_by = "mio-docx"
    properties.title = heading
    properties.language = language
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as written,
        ReproducibleZipFile(out, date_time=zip_date_time(FIXED.replace(tzinfo=dt.UTC))) as archive,
    ):
        for info in written.infolist():
            archive.writestr(info.filename, written.read(info))
    return out.getvalue()


def main(folder: str | None = None) -> None:
    """Write ``report-sv.docx`` and ``report-en.docx`` into ``folder`` (default: the
    package's ``templates`` folder)."""
    target = Path(folder) if folder else Path(__file__).parent / "templates"
    for language in TEXT:
        (target / f"report-{language}.docx").write_bytes(make_template(language))


if __name__ == "__main__":
    main(*sys.argv[1:2])
