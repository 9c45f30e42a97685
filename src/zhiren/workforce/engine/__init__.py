"""Pure-Python workforce engine: queueing/staffing, forecasting, rostering.

Nothing in this package imports Django; inputs and outputs are plain dataclasses
and NumPy arrays so it can be used, tested and benchmarked on its own.
"""
