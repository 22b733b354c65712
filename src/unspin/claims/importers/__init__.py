"""Readers of fact-check exports (``csvfiles``: EUvsDisinfo and simple CSV; ``claimreview``: ClaimReview JSON)
and the import of a whole file (``files``)."""
