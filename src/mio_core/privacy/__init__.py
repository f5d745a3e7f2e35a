"""Privacy: what mio_core does with personal data.

:mod:`.pseudonyms` (keyed pseudonyms, a workspace without identities or free text),
:mod:`.erasure` (removing a participant, GDPR Art. 17), :mod:`.access` (everything held about
one person, Art. 15) and :mod:`.audit` (the workspace's audit log, free of personal data).
Suppression of small groups is part of the evaluation (:mod:`mio_core.evaluation.disclosure`).
The public functions are ``mio_core.erase_participant``, ``mio_core.access_report`` and
``mio_core.write_access_report``; this namespace is public too: its ``__all__`` below (what a
research exporter or analysis plugin needs to pseudonymise and to honour consent).
"""

from __future__ import annotations

from .pseudonyms import (
    Pseudonymiser,
    key_path,
    load_or_create_key,
    pseudonymise,
    without_free_text,
    without_research_refusals,
)

__all__ = [
    "Pseudonymiser",
    "key_path",
    "load_or_create_key",
    "pseudonymise",
    "without_free_text",
    "without_research_refusals",
]
