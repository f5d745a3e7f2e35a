"""mio_core: describe, run and evaluate development concepts such as MIO.

The public surface is what this module exports; everything else may change. Importing it
loads no plugin, reads no file and imports the parts only when a name is first used, so
``import mio_core`` stays fast for command-line tools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "access_report": "access",
    "write_access_report": "access",
    "record_export": "audit",
    "erase_participant": "erasure",
    "ErasureReport": "erasure",
    "generate_workspace": "synthetic",
    "write_synthetic_workspace": "synthetic",
    "PlannedSession": "schedule",
    "upcoming_sessions": "schedule",
    "prepare_source": "export",
    "evaluate": "evaluation",
    "EvaluationResult": "evaluation",
    "EvaluationView": "evaluation",
    "build_view": "evaluation",
    "run_export": "export",
    "DEFAULT_LIMITS": "io",
    "Limits": "io",
    "LoadResult": "io",
    "dump_yaml": "io",
    "from_json": "io",
    "to_json": "io",
    "load_workspace": "io",
    "read_workspace": "io",
    "save_workspace": "io",
    "DEFAULT_PLUGINS": "plugins",
    "ExportSource": "plugins",
    "Exporter": "plugins",
    "ImportedTable": "plugins",
    "Importer": "plugins",
    "import_responses": "importing",
    "import_mapped": "importing",
    "ImportReport": "importing",
    "ImportConflict": "importing",
    "ImportConflictError": "importing",
    "Lifecycle": "plugins",
    "PluginError": "plugins",
    "PluginFailure": "plugins",
    "PluginInfo": "plugins",
    "Registry": "plugins",
    "Rule": "plugins",
    "Stage": "plugins",
    "UnknownName": "plugins",
    "hookimpl": "plugins",
    "load_registry": "plugins",
    "ConcurrentEditError": "problems",
    "MioError": "problems",
    "Problem": "problems",
    "Severity": "problems",
    "WorkspaceError": "problems",
    "WorkspaceLockedError": "problems",
    "RuleContext": "validate",
    "check_workspace": "validate",
    "validate_workspace": "validate",
    "SCHEMA_VERSION": "model",
    "CoachingDesign": "model",
    "CoachingEngagement": "model",
    "CoachingGoal": "model",
    "CoachingSession": "model",
    "Coach": "model",
    "Cohort": "model",
    "Concept": "model",
    "EvaluationLevel": "model",
    "EvaluationPlan": "model",
    "Facilitator": "model",
    "Funding": "model",
    "Goal": "model",
    "GoalKind": "model",
    "InnovationProject": "model",
    "Instrument": "model",
    "Item": "model",
    "LegalBasis": "model",
    "Location": "model",
    "ManagerLevel": "model",
    "Manifest": "model",
    "Material": "model",
    "Module": "model",
    "ModuleSession": "model",
    "OpsiFacet": "model",
    "Organisation": "model",
    "OrganisationKind": "model",
    "Origin": "model",
    "Outcome": "model",
    "OutcomeLevel": "model",
    "Participant": "model",
    "Partner": "model",
    "PartnerRole": "model",
    "PlannedInstrument": "model",
    "Privacy": "model",
    "Respondent": "model",
    "Response": "model",
    "ResponseScale": "model",
    "ScaleLabel": "model",
    "ScoreMethod": "model",
    "SessionMode": "model",
    "SessionStatus": "model",
    "StageChange": "model",
    "Subscale": "model",
    "Text": "model",
    "Translations": "model",
    "Workspace": "model",
    "is_occasion": "model",
    "is_slug": "model",
    "occasion_module": "model",
    "occasion_order": "model",
    "text_in": "model",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:
    from .access import access_report, write_access_report
    from .audit import record_export
    from .erasure import ErasureReport, erase_participant
    from .evaluation import EvaluationResult, EvaluationView, build_view, evaluate
    from .export import prepare_source, run_export
    from .importing import (
        ImportConflict,
        ImportConflictError,
        ImportReport,
        import_mapped,
        import_responses,
    )
    from .io import (
        DEFAULT_LIMITS,
        Limits,
        LoadResult,
        dump_yaml,
        from_json,
        load_workspace,
        read_workspace,
        save_workspace,
        to_json,
    )
    from .model import (
        SCHEMA_VERSION,
        Coach,
        CoachingDesign,
        CoachingEngagement,
        CoachingGoal,
        CoachingSession,
        Cohort,
        Concept,
        EvaluationLevel,
        EvaluationPlan,
        Facilitator,
        Funding,
        Goal,
        GoalKind,
        InnovationProject,
        Instrument,
        Item,
        LegalBasis,
        Location,
        ManagerLevel,
        Manifest,
        Material,
        Module,
        ModuleSession,
        OpsiFacet,
        Organisation,
        OrganisationKind,
        Origin,
        Outcome,
        OutcomeLevel,
        Participant,
        Partner,
        PartnerRole,
        PlannedInstrument,
        Privacy,
        Respondent,
        Response,
        ResponseScale,
        ScaleLabel,
        ScoreMethod,
        SessionMode,
        SessionStatus,
        StageChange,
        Subscale,
        Text,
        Translations,
        Workspace,
        is_occasion,
        is_slug,
        occasion_module,
        occasion_order,
        text_in,
    )
    from .plugins import (
        DEFAULT_PLUGINS,
        Exporter,
        ExportSource,
        ImportedTable,
        Importer,
        Lifecycle,
        PluginError,
        PluginFailure,
        PluginInfo,
        Registry,
        Rule,
        Stage,
        UnknownName,
        hookimpl,
        load_registry,
    )
    from .problems import (
        ConcurrentEditError,
        MioError,
        Problem,
        Severity,
        WorkspaceError,
        WorkspaceLockedError,
    )
    from .schedule import PlannedSession, upcoming_sessions
    from .synthetic import generate_workspace, write_synthetic_workspace
    from .validate import (
        RuleContext,
        check_workspace,
        validate_workspace,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
