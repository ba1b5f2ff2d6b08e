"""The review client (kecamatan reviewers and kab/kota supervisors), Qt-free.

service: login, reads, decisions, settlements, exports; views: the view records and the mapping
from the wire to them; flags: the flag catalogue keyed by domain.flags.FlagCode; history: an
entry's trail and its wording.
"""
