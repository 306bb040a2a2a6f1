"""Benchmarks of the Quartiere bot; each module says what it measures and how to run it."""
