"""The method itself, in plain Python: steps, roles, permissions, timer, checks.

Nothing in this package imports Flask or SQLAlchemy; a test proves it.
"""
