"""The encoder layer: the model folder's config, tokenizer windows, the OpenVINO graph, and the encoded
document every head reads (``encoded.Encoded``); plus the separate sentence-similarity encoder."""
