"""``unspin serve``: the web app and REST API over the analyzer and the SQLite store.

This package's ``__init__`` imports nothing heavy: ``unspin.cli`` registers the ``serve`` and ``feedback``
verbs through ``unspin.serve.cli`` without loading FastAPI, uvicorn or the model.
"""
