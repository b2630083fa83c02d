"""Bad files for the import tests (issue 11); see build.py."""
