"""Privacy: what mio_core does with personal data.

:mod:`.pseudonyms` (keyed pseudonyms, a workspace without identities or free text),
:mod:`.erasure` (removing a participant, GDPR Art. 17), :mod:`.access` (everything held about
one person, Art. 15) and :mod:`.audit` (the workspace's audit log, free of personal data).
Suppression of small groups is part of the evaluation (:mod:`mio_core.evaluation.disclosure`).
The public functions are ``mio_core.erase_participant``, ``mio_core.access_report`` and
``mio_core.write_access_report``.
"""
