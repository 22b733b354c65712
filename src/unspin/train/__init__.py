"""Training code (needs the ``[train]`` extra: torch, transformers). Never imported on the analyze path."""
