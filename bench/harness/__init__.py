"""The benchmark harness behind bench/run.py (issue 8).

catalog  -- the servers, the workloads, paths and thresholds
procfs   -- /proc sampling: process CPU and RSS, cores' busy time, kernel threads
runner   -- building, starting and killing processes, one run, the pass matrix
report   -- aggregation (medians, spreads, ratios) and the markdown report
growth   -- bench/growth.py's curves: medians per size, flatness, tables, plot
"""
