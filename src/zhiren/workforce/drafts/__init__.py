"""Roster drafts: generation by the engine in a task, hand edits, checks and publishing."""
