"""A reviewer's decisions on an entry (sent in sync.review_protocol.DecisionRequest), defined once for
server, review client and UI, with the review state each leaves the entry in."""

from __future__ import annotations

from enum import StrEnum

from domain.states import ReviewState


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"  # return to the village for revision, with a note
    VOID = "void"  # remove on the server (e.g. a duplicate entered twice); the village is told


# The review state a decision leaves an entry in (VOID keeps the state and sets `voided`).
DECISION_STATES: dict[Decision, ReviewState] = {
    Decision.APPROVE: ReviewState.APPROVED, Decision.REJECT: ReviewState.REJECTED,
    Decision.RETURN: ReviewState.RETURNED,
}
# The decisions a reviewer makes from the entry table (VOID is the server's, when settling duplicates).
REVIEWER_DECISIONS = (Decision.APPROVE, Decision.REJECT, Decision.RETURN)
