"""Held-out evaluation: metrics and threshold tuning. Imports the runtime, never the other way round."""
