"""unspin's SQLite database: the file and its connections (``db``), ordered migrations (``migrations``),
and the analyses the web server stores (``analyses``). Known claims keep their tables here too, but their
storage and search code lives with the rest of known claims in ``unspin.claims``."""
