"""The model layer: tokenizer windows, the encoder+heads runtime, and decoding of head outputs."""
