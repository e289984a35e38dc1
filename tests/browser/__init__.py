"""Browser tests: Chromium against a real server process."""
