"""Use cases: load, ask the domain, persist, commit, then notify."""
