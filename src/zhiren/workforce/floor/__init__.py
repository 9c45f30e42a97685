"""The floor in real time: agent states against the published schedule, and adherence."""
