"""Known claims: readers for fact-check exports (``importers``), the bundled EUvsDisinfo cases
(``bundle``) and the ``unspin claims`` command (``cli``). Storage and search live in ``unspin.store``."""
