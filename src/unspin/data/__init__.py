"""Readers for the training corpora in ../shared/data (used by train/ and evaluate/, never at run time)."""
