"""The peer: what an analyst would write instead of mio, with pandas and SciPy.

    python benchmarks/peer.py WORKSPACE OUT

Reads the workspace's YAML (PyYAML's C loader) and responses (pandas.read_csv), and does
the same work as ``mio evaluate`` plus ``mio export --format csv``: scores per respondent and
subscale (the mean of the answered items, "don't know" codes left out), group statistics
per instrument, occasion, subscale and municipality and level (n, mean, sd, median, min,
max, 95 % t interval), Cronbach's alpha per instrument, occasion and subscale, the paired
change from pre to post (paired t test and Wilcoxon signed-rank, SciPy), response rates
per cohort and occasion, and writes the tidy tables (answers, scores, group results,
reliability, changes, response rates, participants) as CSV. It is written the way an
analyst writes it — vectorised, no validation, no disclosure control, no pseudonyms — so it
is a floor for "the same statistics", not a program that replaces mio.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

INSTRUMENTS = Path(__file__).resolve().parent.parent / "src" / "mio_core" / "data" / "instruments"


def load_yaml(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def main(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    people = load_yaml(folder / "people.yaml")
    participants = pd.DataFrame(people["participants"])  # type: ignore[index]
    organisations = pd.DataFrame(load_yaml(folder / "organisations.yaml")["organisations"])  # type: ignore[index]
    cohorts = [load_yaml(path) for path in sorted((folder / "cohorts").glob("*.yaml"))]
    for path in sorted((folder / "coaching").glob("*.yaml")) + sorted(
        (folder / "projects").glob("*.yaml")
    ):
        load_yaml(path)  # read like mio does, though the statistics below do not need them
    membership = pd.DataFrame(
        [(c["id"], p) for c in cohorts for p in c.get("participants", [])],  # type: ignore[index,union-attr]
        columns=["cohort", "respondent"],
    )
    instruments = {}
    for path in sorted(INSTRUMENTS.glob("*.yaml")) + sorted((folder / "instruments").glob("*.yaml")):
        data = load_yaml(path)
        instruments[data["id"]] = data  # type: ignore[index]

    frames = []
    for path in sorted((folder / "responses").glob("*.csv")):
        instrument, occasion = path.name[: -len(".csv")].split(".", 1)
        occasion = occasion.replace(".", ":", 1)
        table = pd.read_csv(path, dtype={"respondent": str, "date": str})
        long = table.melt(id_vars=["respondent", "date"], var_name="item", value_name="value")
        long["instrument"] = instrument
        long["occasion"] = occasion
        frames.append(long)
    answers = pd.concat(frames, ignore_index=True)
    answers.to_csv(out / "answers.csv", index=False)

    # "Don't know" codes are not answers; items map to subscales.
    missing = {
        (i, code)
        for i, data in instruments.items()
        for scale in data.get("scales", [])
        for code in (scale.get("missing") or {})
    }
    codes = pd.Series([(i, v) in missing for i, v in zip(answers.instrument, answers.value)])
    valid = answers[~codes.to_numpy() & answers.value.notna().to_numpy()]
    subscale_of = pd.DataFrame(
        [
            (i, s["id"], item)
            for i, data in instruments.items()
            for s in data.get("subscales", []) or [{"id": "total", "items": [x["id"] for x in data["items"]]}]
            for item in s["items"]
        ],
        columns=["instrument", "subscale", "item"],
    )
    scored = valid.merge(subscale_of, on=["instrument", "item"])
    scores = (
        scored.groupby(["instrument", "occasion", "subscale", "respondent"], sort=True)["value"]
        .mean()
        .rename("score")
        .reset_index()
    )
    scores.to_csv(out / "scores.csv", index=False)

    people_frame = participants.merge(
        organisations[["id", "municipality_code"]].rename(columns={"id": "organisation"}),
        on="organisation",
        how="left",
    ).rename(columns={"id": "respondent"})
    grouped_rows = []
    with_groups = scores.merge(people_frame[["respondent", "municipality_code", "level"]], on="respondent")
    for group_by in ("municipality_code", "level"):
        keys = ["instrument", "occasion", "subscale", group_by]
        g = with_groups.groupby(keys)["score"]
        frame = g.agg(["count", "mean", "std", "median", "min", "max"]).reset_index()
        half = stats.t.ppf(0.975, frame["count"] - 1) * frame["std"] / np.sqrt(frame["count"])
        frame["ci_low"], frame["ci_high"] = frame["mean"] - half, frame["mean"] + half
        frame = frame.rename(columns={group_by: "group"})
        frame.insert(3, "grouping", group_by)
        grouped_rows.append(frame)
    pd.concat(grouped_rows, ignore_index=True).to_csv(out / "group_results.csv", index=False)

    reliability = []
    for (instrument, occasion, subscale), part in scored.groupby(["instrument", "occasion", "subscale"]):
        wide = part.pivot_table(index="respondent", columns="item", values="value").dropna()
        k = wide.shape[1]
        if k < 2 or len(wide) < 3:
            continue
        alpha = k / (k - 1) * (1 - wide.var(ddof=1).sum() / wide.sum(axis=1).var(ddof=1))
        reliability.append((instrument, occasion, subscale, len(wide), k, alpha))
    pd.DataFrame(
        reliability, columns=["instrument", "occasion", "subscale", "n", "items", "alpha"]
    ).to_csv(out / "reliability.csv", index=False)

    changes = []
    pre = scores[scores.occasion == "pre"]
    for later in ("post", "follow-up:6m"):
        after = scores[scores.occasion == later]
        paired = pre.merge(after, on=["instrument", "subscale", "respondent"], suffixes=("_pre", "_post"))
        for (instrument, subscale), part in paired.groupby(["instrument", "subscale"]):
            if len(part) < 2:
                continue
            difference = part.score_post - part.score_pre
            t = stats.ttest_rel(part.score_post, part.score_pre)
            w = stats.wilcoxon(part.score_post, part.score_pre) if (difference != 0).any() else None
            sd = difference.std(ddof=1)
            changes.append(
                (instrument, subscale, "pre", later, len(part), difference.mean(), sd,
                 difference.mean() / sd if sd else np.nan, t.pvalue,
                 w.pvalue if w is not None else np.nan)
            )
    pd.DataFrame(
        changes,
        columns=["instrument", "subscale", "from", "to", "n", "mean_change", "sd", "dz", "p_t", "p_wilcoxon"],
    ).to_csv(out / "changes.csv", index=False)

    responded = answers[["instrument", "occasion", "respondent"]].drop_duplicates()
    invited = membership.merge(
        responded[["instrument", "occasion"]].drop_duplicates(), how="cross"
    )
    answered = invited.merge(responded, on=["instrument", "occasion", "respondent"], how="left", indicator=True)
    answered["responded"] = answered["_merge"] == "both"
    rates = (
        answered.groupby(["cohort", "instrument", "occasion"])["responded"]
        .agg(invited="count", responded="sum")
        .reset_index()
    )
    rates["rate"] = rates.responded / rates.invited
    rates.to_csv(out / "response_rates.csv", index=False)
    people_frame.drop(columns=["name", "email"], errors="ignore").to_csv(
        out / "participants.csv", index=False
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
