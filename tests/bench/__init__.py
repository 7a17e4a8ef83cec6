"""`make bench` (issue 16): figures against a baseline measured in the same run; run `python -m tests.bench`."""
