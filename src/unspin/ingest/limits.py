"""Size limits shared by the readers (a module of its own so that importing them costs nothing)."""

URL_MAX_BYTES = 5_000_000  # default cap on a downloaded body and on raw HTML
