"""Route-planning benchmarks: instance parsers, competitor runners and the comparison harness."""
