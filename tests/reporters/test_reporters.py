"""The output formats' one registry and signature: `render(report) -> str`, from what the report carries.

Every format is rendered after the linted file is gone and with rule loading broken: a format that read the
file again or loaded the rules would differ or fail here."""

import json

import pytest

from dfcheck import engine
from dfcheck.config import Resolver
from dfcheck.reporters import FORMATS, Display, render, sarif

TEXT = "FROM alpine:3.20\nUSER nobody\nADD app.txt /srv/\n"


@pytest.fixture
def report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(TEXT)
    resolver = Resolver(engine.load_rules(), no_config=True)
    linted = engine.lint_paths(["Dockerfile"], resolver)
    (tmp_path / "Dockerfile").unlink()

    def no_rules(*args, **kwargs):
        raise AssertionError("a format loaded the rules")

    monkeypatch.setattr(engine, "load_rules", no_rules)
    return linted


def test_the_report_carries_the_rules_and_each_files_text(report):
    assert report.files[0].text == TEXT
    assert "DF401" in {r.code for r in report.rules}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_from_the_report_alone(report, fmt):
    out = render(report, fmt)
    assert "DF401" in out


def test_sarif_hashes_the_text_linted_and_describes_the_rules_the_report_carries(report):
    log = json.loads(render(report, "sarif"))
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DF401"]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == sarif.line_hashes(TEXT)[3]
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len([r for r in report.rules if r.origin == "dfcheck"])


def test_the_display_choices_travel_with_the_report(report):
    line = "Dockerfile:3:1: DF401 [*] [warning] ADD of local sources that are not tar archives does what COPY does; " \
           "use COPY\n"
    assert render(report, "concise") == line + "Found 1 finding (1 warning) in 1 of 1 file.\n" \
                                              "[*] 1 fixable with `--fix`.\n"
    report.display = Display(quiet=True)
    assert render(report, "concise") == line
    assert "Found" not in render(report, "text")


def test_an_unknown_format_is_refused(report):
    with pytest.raises(ValueError, match="unknown output format: yaml"):
        render(report, "yaml")
