"""The evaluation view's own words (headings, column labels, categories) in English and
Swedish. Another language gets the English words; the workspace's texts (titles,
descriptions) come in the requested language through :func:`~mio_core.model.text_in`,
which falls back to English and then to the text's first language."""

from __future__ import annotations

from ..model import Workspace
from ..model.common import Translations
from ..problems import InvocationError

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "evaluation": "evaluation",
        "suppressed": "suppressed",
        "figure": "Figure",
        "value": "Value",
        "plugin_left_out": "Plugin {plugin} left out: {reason}",
        "suppression_note": "Groups with fewer than {n} respondents are suppressed "
        "(shown as 'suppressed'); a group is also suppressed where a total minus the "
        "visible groups would reveal a small one.",
        "participation": "Participation",
        "cohorts": "Cohorts",
        "cohort": "Cohort",
        "delivered_by": "Delivered by",
        "start": "Start",
        "end": "End",
        "participants": "Participants",
        "attendance": "Attendance per module",
        "module": "Module",
        "attended": "Attended",
        "expected": "Expected",
        "rate": "Rate",
        "all": "all",
        "occasion": "Occasion",
        "subscale": "Subscale",
        "group": "Group",
        "n": "n",
        "mean": "Mean",
        "sd": "SD",
        "ci": "95% CI",
        "results": "Results",
        "relevance": "Answers per module",
        "change": "Change (paired)",
        "change_note": "t: paired t test; d_z = mean difference / SD of the differences "
        "(approximate CI); d_av = mean difference / mean of the two SDs; Wilcoxon "
        "signed-rank test, p exact or by the normal approximation.",
        "from": "From",
        "to": "To",
        "pairs": "Pairs",
        "before": "Before",
        "after": "After",
        "difference": "Difference",
        "t": "t",
        "p_t": "p (t)",
        "d_z": "d_z",
        "d_z_ci": "d_z 95% CI",
        "d_av": "d_av",
        "wilcoxon_w": "Wilcoxon W",
        "wilcoxon_p": "Wilcoxon p",
        "method": "p method",
        "coaching": "Coaching",
        "coaching_dose": "Coaching dose",
        "coached": "Participants",
        "sessions_mean": "Sessions (mean)",
        "hours_mean": "Hours (mean)",
        "hours_median": "Hours (median)",
        "without_coaching": "Without coaching",
        "gas": "Goal Attainment Scaling",
        "gas_note": "Mean T-scores; 50 = the expected outcome.",
        "engagements": "Engagements",
        "baseline": "T at baseline",
        "attained": "T attained",
        "reliability": "Reliability (Cronbach's alpha)",
        "instrument": "Instrument",
        "items": "Items",
        "alpha": "Cronbach's alpha",
        "alpha_ci": "95% CI (Feldt)",
        "response_rates": "Response rates",
        "choices": "Choice questions",
        "choice_item": "Question",
        "option": "Option",
        "chosen": "Chose it",
        "chosen_share": "Share",
        "choices_note": "How many of those who answered chose each option; in a question "
        "that allows several answers the shares may add up to more than 100%. Options are "
        "counted only for groups of at least {n} respondents.",
        "answered": "Answered",
        "projects": "Innovation projects",
        "stage": "Stage",
        "facet": "OPSI facet",
        "outcome_level": "Outcome level",
        "count": "Projects",
        "outcomes": "Outcomes",
        "by_stage": "Projects per stage",
        "by_facet": "Projects per kind of innovation (OPSI)",
        "by_outcome": "Outcomes per level",
        "pre": "before",
        "post": "after",
        "follow-up": "follow-up {months} months",
        "enhancement": "enhancement",
        "mission": "mission",
        "adaptive": "adaptive",
        "anticipatory": "anticipatory",
        "individual": "individual",
        "unit": "unit",
        "organisation": "organisation",
        "citizens": "citizens",
        "headline": "At a glance",
        "took_part": "{participants} managers from {municipalities} municipalities took part in "
        "{cohorts} cohorts, {start} to {end}.",
        "took_part_one": "{participants} managers from {municipalities} municipalities took part "
        "in one cohort, {start} to {end}.",
        "took_part_organisations": "{participants} managers from {municipalities} organisations "
        "took part in {cohorts} cohorts, {start} to {end}.",
        "took_part_organisations_one": "{participants} managers from {municipalities} "
        "organisations took part in one cohort, {start} to {end}.",
        "headline_relevance": "Perceived relevance per module",
        "headline_change": "Change in capability, before to after",
        "headline_utilisation": "Utilisation at follow-up",
        "sentence_relevance": "{share} of the answers on relevance were above the middle of "
        "the scale; lowest for {low} ({low_share}).",
        "headline_answers_of": "{subscale} per module",
        "sentence_answers_of": "{share} of the answers on {subscale} were above the middle of "
        "the scale; lowest for {low} ({low_share}).",
        "sentence_change": "The largest change was in {subscale}: {difference} points "
        "(effect size d_z {d_z}, {pairs} pairs).",
        "sentence_change_hidden": "The change is not shown: fewer than {n} people answered "
        "both before and after, or a difference would reveal a small group.",
        "sentence_utilisation": "At {occasion}, use was highest for {high} (mean "
        "{high_mean}) and lowest for {low} ({low_mean}).",
        "sentence_projects": "{total} innovation projects; most are at the stage {stage} ({n}).",
        "sentence_projects_tied": "{total} innovation projects; most are at the stages "
        "{stage} ({n} each).",
        "sentence_change_tied": "The largest changes, {difference} points, were in {parts}.",
        "change_part": "{subscale} (effect size d_z {d_z}, {pairs} pairs)",
        "sentence_utilisation_even": "At {occasion}, use was the same for {all} (mean {mean}).",
        "and": "and",
        "sentence_hidden": "Not shown: the groups are too small.",
        "nothing_yet": "nothing recorded yet",
        "reader_note": "This report is for {reader}: its own groups beside the whole programme.",
        "goals": "Goals and indicators",
        "goals_share": "Goals followed up with a share",
        "goals_number": "Goals followed up with a figure",
        "goals_count": "Goals followed up with a count",
        "goal": "Goal",
        "goal_kind": "Kind",
        "result_goal": "result goal",
        "effect_goal": "effect goal",
        "indicator": "Indicator",
        "target": "Target",
        "met": "Target met",
        "yes": "yes",
        "no": "no",
        "goals_note": "Each value rests on the n people shown and is suppressed like "
        "any other figure.",
        "participant_hours": "Participant-hours per organisation",
        "participant_hours_note": "Hours of held module sessions attended plus coaching "
        "hours, for co-financing figures.",
        "participant_hours_note_training": "Hours of held module sessions attended, for "
        "co-financing figures.",
        "module_hours": "Module hours",
        "coaching_hours": "Coaching hours",
        "total_hours": "Total hours",
        "organisation_col": "Organisation",
        "L0": "L0 inputs",
        "L1": "L1 reaction",
        "L2": "L2 learning",
        "L3": "L3 application",
        "L4": "L4 impact",
        "L5": "L5 return",
    },
    "sv": {
        "evaluation": "utvärdering",
        "suppressed": "dold",
        "figure": "Mått",
        "value": "Värde",
        "plugin_left_out": "Insticksmodulen {plugin} utelämnad: {reason}",
        "suppression_note": "Grupper med färre än {n} svarande redovisas inte (visas som "
        "'dold'); en grupp döljs också där en total minus de synliga grupperna skulle "
        "avslöja en liten grupp.",
        "participation": "Deltagande",
        "cohorts": "Omgångar",
        "cohort": "Omgång",
        "delivered_by": "Genomförs av",
        "start": "Start",
        "end": "Slut",
        "participants": "Deltagare",
        "attendance": "Närvaro per utbildningsdag",
        "module": "Utbildningsdag",
        "attended": "Närvarande",
        "expected": "Förväntade",
        "rate": "Andel",
        "all": "alla",
        "occasion": "Tillfälle",
        "subscale": "Delskala",
        "group": "Grupp",
        "n": "n",
        "mean": "Medel",
        "sd": "SD",
        "ci": "95 % KI",
        "results": "Resultat",
        "relevance": "Svar per utbildningsdag",
        "change": "Förändring (parvis)",
        "change_note": "t: parat t-test; d_z = medelskillnad / SD för skillnaderna "
        "(ungefärligt KI); d_av = medelskillnad / medel av de två SD; Wilcoxons "
        "teckenrangtest, p exakt eller med normalapproximation.",
        "from": "Från",
        "to": "Till",
        "pairs": "Par",
        "before": "Före",
        "after": "Efter",
        "difference": "Skillnad",
        "t": "t",
        "p_t": "p (t)",
        "d_z": "d_z",
        "d_z_ci": "d_z 95 % KI",
        "d_av": "d_av",
        "wilcoxon_w": "Wilcoxon W",
        "wilcoxon_p": "Wilcoxon p",
        "method": "p-metod",
        "coaching": "Coachning",
        "coaching_dose": "Coachningens omfattning",
        "coached": "Deltagare",
        "sessions_mean": "Samtal (medel)",
        "hours_mean": "Timmar (medel)",
        "hours_median": "Timmar (median)",
        "without_coaching": "Utan coachning",
        "gas": "Goal Attainment Scaling",
        "gas_note": "Genomsnittliga T-värden; 50 = förväntat utfall.",
        "engagements": "Uppdrag",
        "baseline": "T vid start",
        "attained": "T uppnått",
        "reliability": "Reliabilitet (Cronbachs alfa)",
        "instrument": "Instrument",
        "items": "Frågor",
        "alpha": "Cronbachs alfa",
        "alpha_ci": "95 % KI (Feldt)",
        "response_rates": "Svarsfrekvens",
        "choices": "Flervalsfrågor",
        "choice_item": "Fråga",
        "option": "Svarsalternativ",
        "chosen": "Valde det",
        "chosen_share": "Andel",
        "choices_note": "Hur många av dem som svarade som valde varje alternativ; i en fråga "
        "där flera svar är tillåtna kan andelarna bli mer än 100 %. Alternativen räknas bara "
        "för grupper med minst {n} svarande.",
        "answered": "Svarade",
        "projects": "Innovationsprojekt",
        "stage": "Fas",
        "facet": "Typ av innovation (OPSI)",
        "outcome_level": "Utfallsnivå",
        "count": "Projekt",
        "outcomes": "Utfall",
        "by_stage": "Projekt per fas",
        "by_facet": "Projekt per typ av innovation (OPSI)",
        "by_outcome": "Utfall per nivå",
        "pre": "före",
        "post": "efter",
        "follow-up": "uppföljning {months} månader",
        "enhancement": "förbättring",
        "mission": "uppdragsdriven",
        "adaptive": "anpassande",
        "anticipatory": "förutseende",
        "individual": "individ",
        "unit": "enhet",
        "organisation": "organisation",
        "citizens": "medborgare",
        "headline": "I korthet",
        "took_part": "{participants} chefer från {municipalities} kommuner deltog i "
        "{cohorts} omgångar, {start} till {end}.",
        "took_part_one": "{participants} chefer från {municipalities} kommuner deltog i "
        "en omgång, {start} till {end}.",
        "took_part_organisations": "{participants} chefer från {municipalities} organisationer "
        "deltog i {cohorts} omgångar, {start} till {end}.",
        "took_part_organisations_one": "{participants} chefer från {municipalities} "
        "organisationer deltog i en omgång, {start} till {end}.",
        "headline_relevance": "Upplevd relevans per utbildningsdag",
        "headline_change": "Förändrad förmåga, före till efter",
        "headline_utilisation": "Nyttiggörande vid uppföljning",
        "sentence_relevance": "{share} av svaren om relevans låg över skalans mitt; lägst "
        "för {low} ({low_share}).",
        "headline_answers_of": "{subscale} per utbildningsdag",
        "sentence_answers_of": "{share} av svaren om {subscale} låg över skalans mitt; lägst "
        "för {low} ({low_share}).",
        "sentence_change": "Störst förändring i {subscale}: {difference} poäng "
        "(effektstorlek d_z {d_z}, {pairs} par).",
        "sentence_change_hidden": "Förändringen redovisas inte: färre än {n} svarade både före "
        "och efter, eller en skillnad skulle avslöja en liten grupp.",
        "sentence_utilisation": "Vid {occasion} användes mest {high} (medel {high_mean}) och "
        "minst {low} ({low_mean}).",
        "sentence_projects": "{total} innovationsprojekt; flest är i fasen {stage} ({n}).",
        "sentence_projects_tied": "{total} innovationsprojekt; flest är i faserna {stage} "
        "({n} vardera).",
        "sentence_change_tied": "Störst förändring, {difference} poäng, i {parts}.",
        "change_part": "{subscale} (effektstorlek d_z {d_z}, {pairs} par)",
        "sentence_utilisation_even": "Vid {occasion} användes {all} lika mycket (medel {mean}).",
        "and": "och",
        "sentence_hidden": "Redovisas inte: grupperna är för små.",
        "nothing_yet": "inget registrerat ännu",
        "reader_note": "Rapporten är för {reader}: dess egna grupper bredvid hela programmet.",
        "goals": "Mål och indikatorer",
        "goals_share": "Mål som följs upp med en andel",
        "goals_number": "Mål som följs upp med ett mått",
        "goals_count": "Mål som följs upp med ett antal",
        "goal": "Mål",
        "goal_kind": "Typ",
        "result_goal": "resultatmål",
        "effect_goal": "effektmål",
        "indicator": "Indikator",
        "target": "Målvärde",
        "met": "Målet nått",
        "yes": "ja",
        "no": "nej",
        "goals_note": "Varje värde bygger på de n personer som visas och döljs som alla "
        "andra mått.",
        "participant_hours": "Deltagartimmar per organisation",
        "participant_hours_note": "Timmar på genomförda utbildningsdagar som deltagarna "
        "närvarat vid plus coachningstimmar, för medfinansieringsuppgifter.",
        "participant_hours_note_training": "Timmar på genomförda utbildningsdagar som "
        "deltagarna närvarat vid, för medfinansieringsuppgifter.",
        "module_hours": "Utbildningstimmar",
        "coaching_hours": "Coachningstimmar",
        "total_hours": "Timmar totalt",
        "organisation_col": "Organisation",
        "L0": "L0 resurser",
        "L1": "L1 reaktion",
        "L2": "L2 lärande",
        "L3": "L3 tillämpning",
        "L4": "L4 effekter",
        "L5": "L5 avkastning",
    },
}


def words_for(language: str) -> dict[str, str]:
    """Return the view's words in ``language``, English for a language without its own."""
    return WORDS.get(language, WORDS["en"])


def languages(workspace: Workspace) -> tuple[str, ...]:
    """Return the languages ``workspace`` can be shown in, sorted: those of the view's own
    words, the manifest's ``language`` and ``languages``, and those its concept's title is
    given in."""
    found = {*WORDS, workspace.manifest.language, *workspace.manifest.languages}
    if isinstance(workspace.concept.title, Translations):
        found.update(workspace.concept.title)
    return tuple(sorted(found))


def require_language(workspace: Workspace, language: str) -> None:
    """Raise :class:`~mio_core.MioError` (an ``InvocationError``: the ``mio`` command exits
    2) when nothing of ``workspace`` would be shown in ``language`` (see :func:`languages`):
    neither the view's words nor the workspace's texts are in it, and everything would
    silently come in another language. An empty ``language`` means the workspace's own."""
    known = languages(workspace)
    if language and language not in known:
        raise InvocationError(
            f"nothing is written in the language {language!r}: the workspace and mio's "
            f"words are in {', '.join(known)}; give one of those (or add {language!r} to "
            f"mio.yaml's languages and write the texts in it)"
        )
