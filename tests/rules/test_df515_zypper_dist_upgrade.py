"""DF515: zypper dist upgrade (rules/df515_zypper_dist_upgrade.py)."""

from support import findings


def test_df515_zypper_dist_upgrade():
    got = findings("DF515", "FROM opensuse\nRUN zypper -n dup && zypper --root /x dist-upgrade\nRUN zypper in dup\n")
    assert got == [
        ("DF515", 2, 15, "zypper dup upgrades the whole distribution during the build: the image no longer matches "
                         "its base and differs from build to build"),
        ("DF515", 2, 39, "zypper dist-upgrade upgrades the whole distribution during the build: the image no longer "
                         "matches its base and differs from build to build")]
    assert findings("DF515", "FROM opensuse\nRUN zypper -n up && zypper -n in dup && echo zypper dup\n") == []

