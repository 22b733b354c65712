"""The heads: small models that read the one encoder pass (``encoder.encoded.Encoded``) and write the fields
of the analysis. ``base`` is the protocol and the saved format, ``registry`` the list; one module per head."""
