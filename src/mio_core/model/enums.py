"""The closed vocabularies of the model; each value is what the YAML files say."""

from __future__ import annotations

from enum import StrEnum


class GoalKind(StrEnum):
    """A concept's goal is a result goal (what it delivers) or an effect goal (what follows)."""

    RESULT = "result"
    EFFECT = "effect"


class PartnerRole(StrEnum):
    """The part an organisation plays in making and carrying a concept."""

    INTERMEDIARY = "intermediary"
    RESEARCHER = "researcher"
    MUNICIPALITY = "municipality"
    FUNDER = "funder"
    OTHER = "other"


class OrganisationKind(StrEnum):
    """What kind of organisation it is; a municipality carries an SCB code."""

    MUNICIPALITY = "municipality"
    REGION = "region"
    UNIVERSITY = "university"
    INTERMEDIARY = "intermediary"
    GOVERNMENT_AGENCY = "government-agency"
    COMPANY = "company"
    OTHER = "other"


class ManagerLevel(StrEnum):
    """A manager's level: enhetschef (first-line), middle, förvaltningschef and above (senior)."""

    FIRST_LINE = "first-line"
    MIDDLE = "middle"
    SENIOR = "senior"


class SessionMode(StrEnum):
    """How a coaching session was held."""

    ON_SITE = "on-site"
    VIDEO = "video"
    PHONE = "phone"


class OpsiFacet(StrEnum):
    """OECD-OPSI's four facets of public-sector innovation."""

    ENHANCEMENT = "enhancement"
    MISSION = "mission"
    ADAPTIVE = "adaptive"
    ANTICIPATORY = "anticipatory"


class OutcomeLevel(StrEnum):
    """How far an innovation project's outcome reaches."""

    INDIVIDUAL = "individual"
    UNIT = "unit"
    ORGANISATION = "organisation"
    CITIZENS = "citizens"


class EvaluationLevel(StrEnum):
    """The generic evaluation levels L0-L5."""

    INPUTS = "inputs"
    REACTION = "reaction"
    LEARNING = "learning"
    APPLICATION = "application"
    IMPACT = "impact"
    RETURN = "return"

    @property
    def code(self) -> str:
        """Return the short code, ``L0`` ... ``L5``."""
        return f"L{list(EvaluationLevel).index(self)}"


class Respondent(StrEnum):
    """Who answers an instrument."""

    PARTICIPANT = "participant"
    COACH = "coach"
    FACILITATOR = "facilitator"
    ORGANISATION = "organisation"


class ScoreMethod(StrEnum):
    """How a subscale combines its items."""

    MEAN = "mean"
    SUM = "sum"


class LegalBasis(StrEnum):
    """The lawful basis of processing the participants' data (GDPR Art. 6(1) (a)-(f))."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal-obligation"
    VITAL_INTERESTS = "vital-interests"
    PUBLIC_INTEREST = "public-interest"
    LEGITIMATE_INTERESTS = "legitimate-interests"

    @property
    def article(self) -> str:
        """Return the article of the GDPR that names this basis, e.g. ``GDPR Art. 6(1)(e)``."""
        letter = "abcdef"[list(LegalBasis).index(self)]
        return f"GDPR Art. 6(1)({letter})"


class SessionStatus(StrEnum):
    """Where a module session stands: planned ahead, held (attendance taken) or cancelled."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"
