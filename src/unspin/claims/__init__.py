"""Known claims (fact-checked, debunked): their records and import (``records``, ``importers``, ``bundle``),
their search (``search`` BM25, ``vectors`` dense, ``ann`` at scale), matching an article's claims
(``matcher``, ``known``), and the ``unspin claims`` command (``cli``). Built on ``unspin.store``'s
database; nothing in ``unspin.store`` imports this package."""
