"""Innovation challenges (challenges/): problems municipalities co-fund, then procure and pilot together.

read.py checks the files, lifecycle.py holds the state machine and the pull-request rule
(`transition_problems`), model.py builds typed challenges, pages.py their page models.
"""
