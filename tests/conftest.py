"""Shared by every test folder. Its being here is what lets a test in any folder under tests/ import the
helpers of tests/support.py (`from support import findings`): pytest puts the directory of a conftest.py
that is not in a package on sys.path before it collects the tests below it."""
