"""The person matcher: is this the same person as that one? (design.md §3, rule 3).

- `record`: a person record as every place that looks for duplicates holds it, and its features;
- `stats`: how common a name and a birth date are in the collection searched (a frequency table
  built from the store or file itself);
- `scorer`: the Fellegi-Sunter style comparison of two records -> Decision, score, reasons;
- `blocking`: candidate pairs in memory (files), on birth dates typed and encoded in the NIK and on
  NIKs one digit or one swap apart.
"""

from domain.matching.record import PersonRecord, Prepared, nik_variants, prepare
from domain.matching.scorer import Decision, Match, compare
from domain.matching.stats import CounterStats, NameStats, ProbeStats

__all__ = ["CounterStats", "Decision", "Match", "NameStats", "PersonRecord", "Prepared", "ProbeStats", "compare",
           "nik_variants", "prepare"]
