"""Attrition risk you can defend: plain Python and NumPy, no Django (docs/engagement.md).

- ``history``: the input, dated events of *identified operational signals* per person
  (``SIGNALS``; anonymous survey answers are not among them and are refused);
- ``features``: the signals at a date as one row per (person, date), vectorised;
- ``model``: an L2-regularised logistic regression fitted by Newton's method, with each
  person's reasons as the features' contributions to the log-odds;
- ``metrics``: AUC, precision, recall, Brier score and calibration;
- ``evaluation``: snapshots, the 90-day label and the temporal hold-out;
- ``synthetic``: a generated history with planted causes (the generator's assumptions).
"""
