"""JUnit XML, for test report views (GitLab `artifacts: reports: junit:`, Jenkins, Azure Pipelines).

    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="dfcheck" tests="2" failures="1" errors="0">
      <testsuite name="Dockerfile" tests="1" failures="1" errors="0">
        <testcase classname="Dockerfile" name="DF401 add-instead-of-copy at 3:1"><failure type="DF401" message="..."
        >Dockerfile:3:1: DF401 [warning] ...</failure></testcase>
      </testsuite>
      <testsuite name="api.Dockerfile" tests="1" failures="0" errors="0">
        <testcase classname="api.Dockerfile" name="dfcheck"/>
      </testsuite>
    </testsuites>

One test suite per linted file; one failed test case per finding; a clean file is one passing test case
named `dfcheck`; a file that could not be linted (or a rule that crashed on it) is a test case with an
`<error>`. Paths are relative to the current directory.
"""

from __future__ import annotations

from . import shown_message
from .paths import ci_root, relative_path
from .xmltext import DECLARATION, element, text


def render(report) -> str:
    root = ci_root()
    suites: dict[str, list[tuple[str, str]]] = {}  # path -> [(kind, testcase xml)]
    for result in report.files:
        cases = suites.setdefault(result.path, [])
        name = relative_path(result.path, root)
        for f in result.findings:
            if f.suppressed is not None:
                continue
            span = f.span
            message = shown_message(f)
            detail = f"{name}:{span.line}:{span.column}: {f.code} [{f.severity}] {message}"
            failure = element("failure", [("type", f.code), ("message", message)], text(detail))
            cases.append(("failure", element("testcase", [
                ("classname", name), ("name", f"{f.code} {f.name} at {span.line}:{span.column}")], failure)))
    for error in report.all_errors:
        name = relative_path(error.path, root)
        problem = element("error", [("type", "dfcheck"), ("message", error.message)], text(error.message))
        suites.setdefault(error.path, []).append(
            ("error", element("testcase", [("classname", name), ("name", "dfcheck")], problem)))

    body = []
    totals = {"tests": 0, "failure": 0, "error": 0}
    for path, cases in suites.items():
        name = relative_path(path, root)
        if not cases:
            cases = [("pass", element("testcase", [("classname", name), ("name", "dfcheck")]))]
        failures = sum(kind == "failure" for kind, _ in cases)
        errors = sum(kind == "error" for kind, _ in cases)
        totals["tests"] += len(cases)
        totals["failure"] += failures
        totals["error"] += errors
        head = element("testsuite", [("name", name), ("tests", len(cases)), ("failures", failures),
                                     ("errors", errors)], "")[:-len("</testsuite>")]
        body.append(f"  {head}\n" + "".join(f"    {case}\n" for _, case in cases) + "  </testsuite>\n")
    top = element("testsuites", [("name", "dfcheck"), ("tests", totals["tests"]), ("failures", totals["failure"]),
                                 ("errors", totals["error"])], "")[:-len("</testsuites>")]
    return DECLARATION + top + "\n" + "".join(body) + "</testsuites>\n"
