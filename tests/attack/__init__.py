"""Attack campaigns run by hand against served systems (not collected by pytest: no `test_` modules)."""
