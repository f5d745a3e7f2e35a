"""Hypothesis profiles for every test suite in this repository.

``dev`` (the default on a developer's machine) runs a tenth of the examples so that the
whole suite answers quickly; ``ci`` (chosen when the environment has ``CI=true``, as
``.ci/run`` runs, or by ``HYPOTHESIS_PROFILE=ci``) runs them all. Tests that want more or
fewer examples than the default ask for a multiple of the profile's ``max_examples``, so
both profiles scale together.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=100, derandomize=False, print_blob=True)
settings.register_profile("dev", max_examples=10)
settings.load_profile(
    os.environ.get(
        "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
    )
)
