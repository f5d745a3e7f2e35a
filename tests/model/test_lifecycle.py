"""Lifecycle models: their stages and the stage from which a project is put into practice."""

from __future__ import annotations

import pytest

from mio_core.model import Lifecycle, Stage

STAGES = (Stage(id="plan", title="Plan"), Stage(id="do", title="Do"))


def test_a_lifecycle_names_its_implementation_stage() -> None:
    lifecycle = Lifecycle(name="pdsa", title="PDSA", stages=STAGES, implementation_stage="do")
    assert lifecycle.implementation_stage == "do"


def test_an_implementation_stage_that_is_none_of_the_stages_is_refused() -> None:
    with pytest.raises(ValueError, match="implementation_stage 'act' is none of its stages"):
        Lifecycle(name="pdsa", title="PDSA", stages=STAGES, implementation_stage="act")
