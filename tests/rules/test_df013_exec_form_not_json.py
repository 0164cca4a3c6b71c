"""DF013: exec form not json (rules/df013_exec_form_not_json.py)."""

from support import findings


def test_df013_exec_form_that_is_not_json():
    src = 'FROM alpine\nCMD ["C:\\app.exe", "run"]\nHEALTHCHECK CMD [\'curl\', \'-f\']\nONBUILD RUN [\'x\']\n'
    assert [(c, line, col) for c, line, col, _ in findings("DF013", src)] == [
        ("DF013", 2, 5), ("DF013", 3, 17), ("DF013", 4, 13)]
    assert findings("DF013", "FROM alpine\nCMD ['nginx']\n") == [(
        "DF013", 2, 5, "CMD arguments start with `[` but are not a valid JSON array (JSON strings take double "
                       "quotes): BuildKit runs them as a shell command, `/bin/sh -c '['nginx']'`")]
    # the shell's test command is no exec form
    assert findings("DF013", 'FROM alpine\nRUN [ -f /x ] && y\nRUN [ "$A" = b ]\nCMD ["ok"]\n') == []

