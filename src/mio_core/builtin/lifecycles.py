"""Built-in plugin: lifecycle models for innovation projects (OPSI, Nesta, Double Diamond)."""

from __future__ import annotations

from ..model import Translations
from ..model.lifecycle import Lifecycle, Stage
from ..plugins.manager import hookimpl

OPSI = Lifecycle(
    name="opsi",
    title=Translations({"en": "OPSI innovation lifecycle", "sv": "OPSI:s innovationslivscykel"}),
    source="OECD Observatory of Public Sector Innovation (OPSI)",
    implementation_stage="implement",
    stages=(
        Stage(
            id="identify",
            title=Translations({"en": "Identifying problems", "sv": "Identifiera problem"}),
        ),
        Stage(
            id="generate", title=Translations({"en": "Generating ideas", "sv": "Generera idéer"})
        ),
        Stage(
            id="develop",
            title=Translations({"en": "Developing proposals", "sv": "Utveckla förslag"}),
        ),
        Stage(id="implement", title=Translations({"en": "Implementing", "sv": "Genomföra"})),
        Stage(id="evaluate", title=Translations({"en": "Evaluating", "sv": "Utvärdera"})),
        Stage(
            id="diffuse", title=Translations({"en": "Diffusing lessons", "sv": "Sprida lärdomar"})
        ),
    ),
)

NESTA = Lifecycle(
    name="nesta",
    title=Translations({"en": "Nesta innovation spiral", "sv": "Nestas innovationsspiral"}),
    source="Nesta, The innovation spiral",
    implementation_stage="delivering",
    stages=(
        Stage(
            id="opportunities",
            title=Translations(
                {"en": "Opportunities and challenges", "sv": "Möjligheter och utmaningar"}
            ),
        ),
        Stage(id="ideas", title=Translations({"en": "Generating ideas", "sv": "Generera idéer"})),
        Stage(
            id="testing",
            title=Translations({"en": "Developing and testing", "sv": "Utveckla och testa"}),
        ),
        Stage(
            id="case", title=Translations({"en": "Making the case", "sv": "Motivera satsningen"})
        ),
        Stage(
            id="delivering",
            title=Translations(
                {"en": "Delivering and implementing", "sv": "Leverera och genomföra"}
            ),
        ),
        Stage(
            id="scaling",
            title=Translations({"en": "Growing and scaling", "sv": "Växa och skala upp"}),
        ),
        Stage(
            id="systems", title=Translations({"en": "Changing systems", "sv": "Förändra system"})
        ),
    ),
)

DOUBLE_DIAMOND = Lifecycle(
    name="double-diamond",
    title=Translations({"en": "Double Diamond", "sv": "Dubbla diamanten"}),
    source="Design Council, Double Diamond (CC BY 4.0)",
    implementation_stage="deliver",
    stages=(
        Stage(id="discover", title=Translations({"en": "Discover", "sv": "Upptäcka"})),
        Stage(id="define", title=Translations({"en": "Define", "sv": "Definiera"})),
        Stage(id="develop", title=Translations({"en": "Develop", "sv": "Utveckla"})),
        Stage(id="deliver", title=Translations({"en": "Deliver", "sv": "Leverera"})),
    ),
)


@hookimpl
def mio_register_lifecycles() -> list[Lifecycle]:
    """OPSI's lifecycle (the default), Nesta's spiral and the Double Diamond."""
    return [OPSI, NESTA, DOUBLE_DIAMOND]
