"""recordlinkage on an evaluation CSV (run with the bench venv's Python, never the app's).

    bench/.venv-dedupe/bin/python bench/dedupe_eval/run_recordlinkage.py IN.csv OUT.csv

The library's unsupervised path: blocking on birth date and on either half of the NIK, string and
exact comparisons, and the ECM classifier (no labels, no threshold to pick). Writes id_a,id_b of
the pairs it calls matches and prints the seconds taken on stdout's last line.
"""

from __future__ import annotations

import sys
import time

import pandas as pd
import recordlinkage as rl


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = pd.read_csv(src, dtype=str, keep_default_na=False, usecols=["id", "nik", "kk", "name", "birth_date", "sex",
                                                                    "desa_code"]).set_index("id")
    df["name"] = df["name"].str.upper().str.replace(r"[^A-Z ]", " ", regex=True).str.split().str.join(" ")
    df["nik_a"] = df["nik"].str[:8]
    df["nik_b"] = df["nik"].str[8:]
    idx = rl.Index()
    idx.block("birth_date")
    idx.block("nik_a")
    idx.block("nik_b")
    pairs = idx.index(df)
    c = rl.Compare()
    c.string("name", "name", method="jarowinkler", threshold=0.9, label="name")
    c.exact("birth_date", "birth_date", label="birth_date")
    c.string("nik", "nik", method="damerau_levenshtein", threshold=0.93, label="nik")
    c.exact("sex", "sex", label="sex")
    c.exact("kk", "kk", label="kk")
    c.exact("desa_code", "desa_code", label="desa")
    features = c.compute(pairs, df)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    pd.DataFrame(list(matches), columns=["id_a", "id_b"]).to_csv(out, index=False)
    print(f"{time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
