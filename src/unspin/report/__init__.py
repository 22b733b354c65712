"""Corpus reports (``unspin report OUTDIR``): outlets compared side by side and over time, from a batch run."""
