"""The tidy tables' codebook in Swedish: each table's and variable's description and each
value label, keyed by the English text :mod:`.tables` defines them with.

The tables are defined once, in English (they are what every format writes); an export in
Swedish (``--language sv``) reads its codebook, Data Package titles and workbook codebook
through :func:`in_language`. ``tests/export/test_codebook_language.py`` fails when a table
gains a text that has no Swedish one here.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..evaluation.words import WORDS
from .tables import Field, Table

PSEUDONYM = "en pseudonym om exporten inte är identifierad"
#: the OPSI facets and the outcome levels, whose Swedish the evaluation's words give
_FACETS_AND_LEVELS = (
    "enhancement",
    "mission",
    "adaptive",
    "anticipatory",
    "individual",
    "unit",
    "citizens",
)

SWEDISH: dict[str, str] = {
    # tables
    "Organisations": "Organisationer",
    "Participants (managers)": "Deltagare (chefer)",
    "Answers, one row per respondent, occasion and item": (
        "Svar, en rad per svarande, tillfälle och fråga"
    ),
    "Subscale scores per respondent and occasion": "Delskalepoäng per svarande och tillfälle",
    "Results per group (small groups suppressed)": "Resultat per grupp (små grupper dolda)",
    "How many chose each answer option, per item and group (shown groups only)": (
        "Hur många som valde varje svarsalternativ, per fråga och grupp (bara visade grupper)"
    ),
    "Cronbach's alpha per subscale and occasion": "Cronbachs alfa per delskala och tillfälle",
    "Corrected item-total correlations": "Korrigerade korrelationer mellan fråga och delskala",
    "Paired change between occasions": "Parvis förändring mellan tillfällen",
    "Who was expected to answer, and who did": "Vilka som förväntades svara, och vilka som svarade",
    "Attendance register: one row per held session and participant": (
        "Närvarolista: en rad per genomfört tillfälle och deltagare"
    ),
    "Participant-hours per organisation (co-financing figures): hours of held module sessions "
    "attended plus coaching hours; organisation 'all' is every organisation; a suppressed row "
    "has no figures": (
        "Deltagartimmar per organisation (underlag för medfinansiering): timmar på genomförda "
        "utbildningsdagar som deltagarna närvarat vid plus coachningstimmar; organisationen "
        "'all' är alla organisationer; en dold rad har inga värden"
    ),
    "Coaching sessions": "Coachningssamtal",
    "Goal Attainment Scaling T-scores per coaching engagement": (
        "T-värden enligt Goal Attainment Scaling per coachningsuppdrag"
    ),
    "The concept's goals that name an indicator: its value against the goal's target; a "
    "suppressed row has no value": (
        "Konceptets mål som har en indikator: indikatorns värde mot målets målvärde; en dold "
        "rad har inget värde"
    ),
    "Innovation projects": "Innovationsprojekt",
    "Outcomes of the innovation projects": "Innovationsprojektens utfall",
    "Every variable of every table, its type and meaning, and value labels": (
        "Varje variabel i varje tabell, dess typ och betydelse, och värdeetiketter"
    ),
    # variables
    "organisation id": "organisationens id",
    "name": "namn",
    "kind of organisation": "typ av organisation",
    "SCB municipality code": "kommunkod (SCB)",
    "SCB county code": "länskod (SCB)",
    "participant id (a pseudonym unless the export is identified)": (
        f"deltagarens id ({PSEUDONYM})"
    ),
    "SCB municipality code of the organisation": "organisationens kommunkod (SCB)",
    "manager level": "chefsnivå",
    "sector of operations": "verksamhetsområde",
    "the first cohort the participant belongs to": "den första omgång som deltagaren tillhör",
    "the day the participant joined that cohort, when after its start (empty: from the start)": (
        "dagen deltagaren kom in i den omgången, om efter dess start (tom: från start)"
    ),
    "the day the participant left that cohort, when before its end (empty: stayed to the end)": (
        "dagen deltagaren lämnade den omgången, om före dess slut (tom: stannade till slutet)"
    ),
    "who answered (a pseudonym unless the export is identified)": f"vem som svarade ({PSEUDONYM})",
    "instrument id": "instrumentets id",
    "pre, post, module:<id> or follow-up:<n>m": (
        "pre (före), post (efter), module:<id> (efter en utbildningsdag) eller follow-up:<n>m "
        "(uppföljning efter n månader)"
    ),
    "the module of a module:<id> occasion": "utbildningsdagen för ett tillfälle module:<id>",
    "date answered": "datum för svaret",
    "item id; see the codebook for its text and value labels": (
        "frågans id; se kodboken för frågetext och värdeetiketter"
    ),
    "the answer as given; empty when unanswered": "svaret som det gavs; tomt om obesvarad",
    "1 when the value is a 'don't know' / missing code": (
        "1 när värdet är en kod för 'vet ej' / bortfall"
    ),
    "the answer to a text item, or the option codes chosen in a choice or multi-choice item "
    "(separated by ';'); text answers only in identified exports or with --with-text": (
        "svaret på en fritextfråga, eller koderna för de valda alternativen i en flervalsfråga "
        "(åtskilda med ';'); fritextsvar bara i identifierade exporter eller med --with-text"
    ),
    "occasion": "tillfälle",
    "subscale id": "delskalans id",
    "mean of answered items (reverse-coded where stated); a prorated sum for sum subscales; "
    "empty below the minimum share answered": (
        "medelvärdet av besvarade frågor (omvänt kodade där det anges); en uppräknad summa för "
        "summerade delskalor; tomt när färre än minsta andelen frågor besvarats"
    ),
    "items answered": "besvarade frågor",
    "items in the subscale": "frågor i delskalan",
    "module of a module:<id> occasion": "utbildningsdagen för ett tillfälle module:<id>",
    "subscale or item id": "delskalans eller frågans id",
    "subscale or item": "delskala eller fråga",
    "all, cohort or organisation": "all (alla), cohort (omgång) eller organisation",
    "the group's id (all for everyone)": "gruppens id (all för alla)",
    "respondents with a value": "svarande med ett värde",
    "mean": "medelvärde",
    "standard deviation (n - 1)": "standardavvikelse (n - 1)",
    "median": "median",
    "smallest value": "minsta värde",
    "largest value": "största värde",
    "95 % confidence interval of the mean, lower (Student's t)": (
        "95 % konfidensintervall för medelvärdet, nedre gräns (Students t)"
    ),
    "95 % confidence interval of the mean, upper": (
        "95 % konfidensintervall för medelvärdet, övre gräns"
    ),
    "empty when shown; primary: fewer respondents than the minimum group size; secondary: "
    "hidden so that no small group can be worked out by subtraction": (
        "tomt när värdet visas; primary: färre svarande än minsta gruppstorlek; secondary: dold "
        "så att ingen liten grupp kan räknas fram genom subtraktion"
    ),
    "item id": "frågans id",
    "the group's id": "gruppens id",
    "answer option": "svarsalternativ",
    "the option's label": "svarsalternativets text",
    "respondents who chose it": "svarande som valde det",
    "respondents who answered every item": "svarande som besvarat alla frågor",
    "Cronbach's alpha": "Cronbachs alfa",
    "95 % CI of alpha, lower (Feldt 1965, F distribution)": (
        "95 % KI för alfa, nedre gräns (Feldt 1965, F-fördelning)"
    ),
    "95 % CI of alpha, upper (Feldt 1965, F distribution)": (
        "95 % KI för alfa, övre gräns (Feldt 1965, F-fördelning)"
    ),
    "correlation of the item with the sum of the other items": (
        "frågans korrelation med summan av de övriga frågorna"
    ),
    "alpha without this item": "alfa utan denna fråga",
    "earlier occasion": "tidigare tillfälle",
    "later occasion": "senare tillfälle",
    "respondents with both scores": "svarande med båda poängen",
    "mean score before": "medelpoäng före",
    "mean score after": "medelpoäng efter",
    "mean of after - before": "medelvärdet av efter - före",
    "sd of the differences": "standardavvikelse för skillnaderna",
    "95 % CI of the mean difference, lower": "95 % KI för medelskillnaden, nedre gräns",
    "95 % CI of the mean difference, upper": "95 % KI för medelskillnaden, övre gräns",
    "paired t statistic: mean difference / (sd / sqrt(n_pairs))": (
        "t-värde för parat t-test: medelskillnad / (sd / sqrt(n_pairs))"
    ),
    "degrees of freedom of t: n_pairs - 1": "frihetsgrader för t: n_pairs - 1",
    "two-sided p of the paired t test": "tvåsidigt p för det parade t-testet",
    "Cohen's d_z: mean difference / sd of differences": (
        "Cohens d_z: medelskillnad / standardavvikelse för skillnaderna"
    ),
    "approximate 95 % CI of d_z, lower: d_z - t(0.975, n - 1) * sqrt(1/n + d_z^2/(2n))": (
        "ungefärligt 95 % KI för d_z, nedre gräns: d_z - t(0.975, n - 1) * sqrt(1/n + d_z^2/(2n))"
    ),
    "approximate 95 % CI of d_z, upper": "ungefärligt 95 % KI för d_z, övre gräns",
    "Cohen's d_av (Lakens 2013): mean difference / mean of the sd before and the sd after": (
        "Cohens d_av (Lakens 2013): medelskillnad / medelvärdet av standardavvikelserna före "
        "och efter"
    ),
    "Wilcoxon signed-rank statistic W: the smaller rank sum": (
        "Wilcoxons teckenrangtest, W: den mindre rangsumman"
    ),
    "two-sided p of the Wilcoxon signed-rank test": "tvåsidigt p för Wilcoxons teckenrangtest",
    "how wilcoxon_p was found: exact, or normal (approximation with the tie correction, no "
    "continuity correction)": (
        "hur wilcoxon_p togs fram: exact (exakt) eller normal (normalapproximation med "
        "korrektion för lika värden, utan kontinuitetskorrektion)"
    ),
    "non-zero differences ranked by the Wilcoxon test": (
        "skillnader skilda från noll som rangordnas i Wilcoxons test"
    ),
    "cohort id": "omgångens id",
    "expected respondents": "förväntade svarande",
    "expected respondents who answered": "förväntade svarande som svarade",
    "answers from cohort members not expected": (
        "svar från medlemmar i omgången som inte förväntades svara"
    ),
    "answered / expected": "svarade / förväntade",
    "module id": "utbildningsdagens id",
    "date of the session": "datum för tillfället",
    "participant (a pseudonym unless the export is identified)": f"deltagare ({PSEUDONYM})",
    "1 present, 0 absent": "1 närvarande, 0 frånvarande",
    "organisation id, or 'all' for every organisation": (
        "organisationens id, eller 'all' för alla organisationer"
    ),
    "the organisation's participants in any cohort": ("organisationens deltagare i någon omgång"),
    "sum over held module sessions of the module's hours per participant of the organisation "
    "who attended": (
        "summan över genomförda utbildningsdagar av dagens timmar per deltagare från "
        "organisationen som närvarade"
    ),
    "sum of the participants' coaching session minutes / 60": (
        "summan av deltagarnas minuter i coachningssamtal / 60"
    ),
    "module_hours + coaching_hours": "module_hours + coaching_hours",
    "why the row has no figures: primary (fewer than the minimum group size) or secondary (a "
    "difference would reveal a small group)": (
        "varför raden saknar värden: primary (färre än minsta gruppstorlek) eller secondary "
        "(en skillnad skulle avslöja en liten grupp)"
    ),
    "coaching engagement id": "coachningsuppdragets id",
    "coach (a pseudonym unless the export is identified)": f"coach ({PSEUDONYM})",
    "length in minutes": "längd i minuter",
    "on-site, video or phone": "on-site (på plats), video eller phone (telefon)",
    "goals in the engagement": "mål i uppdraget",
    "GAS T-score of the baseline levels": "GAS T-värde för nivåerna vid start",
    "GAS T-score of the attained levels (50 = as expected)": (
        "GAS T-värde för uppnådda nivåer (50 = som förväntat)"
    ),
    "goal id (concept.yaml)": "målets id (concept.yaml)",
    "result goal or effect goal": "result (resultatmål) eller effect (effektmål)",
    "indicator name": "indikatorns namn",
    "the value's unit: share (0-1), number or count": (
        "värdets enhet: share (andel 0-1), number (mått) eller count (antal)"
    ),
    "the goal's target": "målets målvärde",
    "the indicator's value": "indikatorns värde",
    "people the value rests on": "antal personer som värdet bygger på",
    "1 the value reaches the target, 0 not; empty without both": (
        "1 om värdet når målvärdet, 0 om inte; tomt om något av dem saknas"
    ),
    "why there is no value: primary or secondary suppression": (
        "varför värdet saknas: primary eller secondary (dolt för att skydda en liten grupp)"
    ),
    "project id": "projektets id",
    "the participant who owns it (a pseudonym unless the export is identified)": (
        f"deltagaren som äger projektet ({PSEUDONYM})"
    ),
    "OECD-OPSI facet": "typ av innovation (OECD-OPSI)",
    "current lifecycle stage": "nuvarande fas i livscykeln",
    "date the current stage began": "datum då nuvarande fas började",
    "people in the project team": "personer i projektgruppen",
    "outcomes recorded": "registrerade utfall",
    "number of the outcome within the project": "utfallets nummer inom projektet",
    "how far it reaches": "hur långt utfallet når",
    "date": "datum",
    "the plugins' extensions: fields, as JSON text (empty if none)": (
        "insticksmodulernas extensions:-fält, som JSON-text (tomt om inga)"
    ),
    "name (identified export only)": "namn (bara i identifierad export)",
    "email (identified export only)": "e-post (bara i identifierad export)",
    "the participant's unit": "deltagarens enhet",
    "the project's title": "projektets titel",
    # the codebook's own columns
    "the table (file) the variable is in": "tabellen (filen) som variabeln finns i",
    "column; instrument/item for answers, instrument/subscale for scores": (
        "kolumn; instrument/fråga för svar, instrument/delskala för poäng"
    ),
    "string, integer, number or date": (
        "string (text), integer (heltal), number (tal) eller date (datum)"
    ),
    "what it means": "vad den betyder",
    "a value with a label (empty on the variable's own row)": (
        "ett värde med en etikett (tomt på variabelns egen rad)"
    ),
    "the value's label": "värdets etikett",
    # value labels
    "municipality": "kommun",
    "region": "region",
    "university": "universitet",
    "intermediary": "intermediär",
    "government agency": "statlig myndighet",
    "company": "företag",
    "other": "annan",
    "first-line manager": "enhetschef (första linjen)",
    "middle manager": "mellanchef",
    "senior manager": "förvaltningschef eller högre",
    "an answer on the scale or empty": "ett svar på skalan eller tomt",
    "a missing code": "en bortfallskod",
    "subscale": "delskala",
    "item": "fråga",
    "all": "alla",
    "cohort": "omgång",
    "organisation": "organisation",
    "fewer than the minimum group size": "färre än minsta gruppstorlek",
    "hidden to protect another group": "dold för att skydda en annan grupp",
    "absent": "frånvarande",
    "present": "närvarande",
    "primary": "färre än minsta gruppstorlek",
    "secondary": "dold för att skydda en annan grupp",
    "on-site": "på plats",
    "video": "video",
    "phone": "telefon",
    "result": "resultatmål",
    "effect": "effektmål",
    "share": "andel",
    "number": "mått",
    "count": "antal",
    "not met": "ej nått",
    "met": "nått",
    # the OPSI facets and the outcome levels: as the evaluation's words name them
    **{term: WORDS["sv"][term] for term in _FACETS_AND_LEVELS},
}


def _text(text: str, language: str) -> str:
    return SWEDISH.get(text, text) if language == "sv" else text


def field_in(field: Field, language: str) -> Field:
    """Return ``field`` with its description and value labels in ``language`` (Swedish
    where this module has them; any other language as defined)."""
    if language != "sv":
        return field
    return attrs.evolve(
        field,
        description=_text(field.description, language),
        categories=tuple((value, _text(label, language)) for value, label in field.categories),
    )


def in_language(described: Iterable[Table], language: str) -> tuple[Table, ...]:
    """Return the tables with their descriptions and value labels in ``language``."""
    if language != "sv":
        return tuple(described)
    return tuple(
        attrs.evolve(
            table,
            description=_text(table.description, language),
            fields=tuple(field_in(f, language) for f in table.fields),
        )
        for table in described
    )
