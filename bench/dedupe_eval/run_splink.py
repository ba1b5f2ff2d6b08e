"""Splink on an evaluation CSV (run with the bench venv's Python, never the app's).

    bench/.venv-dedupe/bin/python bench/dedupe_eval/run_splink.py IN.csv OUT.csv

Writes id_a,id_b,weight,probability for every predicted pair with probability >= 0.001 (the bench
then chooses Splink's best match-weight threshold on the truth) and prints the seconds taken on stdout's last line.
Model: the usual Splink person-dedupe setup, trained without labels (u by random sampling, lambda
from a deterministic rule, m by EM on two blocking passes), on generically cleaned names.
"""

from __future__ import annotations

import logging
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = pd.read_csv(src, dtype=str, keep_default_na=False, usecols=["id", "nik", "kk", "name", "birth_date", "sex",
                                                                    "desa_code", "dusun", "rt", "rw"])
    df["name"] = df["name"].str.upper().str.replace(r"[^A-Z ]", " ", regex=True).str.split().str.join(" ")
    df["nik_a"] = df["nik"].str[:8]
    df["nik_b"] = df["nik"].str[8:]
    df["kec"] = df["desa_code"].str[:6]
    db = DuckDBAPI()
    table = db.register(df, dataset_display_name="persons")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.97, 0.92, 0.85]),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.DamerauLevenshteinAtThresholds("nik", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("kk"),
            cl.ExactMatch("desa_code"),
            cl.ExactMatch("kec"),
        ],
        blocking_rules_to_generate_predictions=[block_on("birth_date"), block_on("nik_a"), block_on("nik_b")],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik"), block_on("name", "birth_date", "sex")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik_b"))
    pred = linker.inference.predict(threshold_match_probability=0.001).as_pandas_dataframe()
    # match_weight ranks finer than the probability, which rounds to 1.0 for most strong pairs.
    pred[["id_l", "id_r", "match_weight", "match_probability"]].to_csv(
        out, index=False, header=["id_a", "id_b", "weight", "probability"])
    print(f"{time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
