"""Predictions in the shared tasks' official formats: ``formats`` writes them, ``official`` computes them."""
