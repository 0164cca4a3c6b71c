"""The output formats, one module each."""


def shown_message(finding) -> str:
    """A finding's message as the formats without a field of their own for it show it: followed by the builds it
    belongs to when the file is built several ways and not all of them have it (`... [service api]`)."""
    if not finding.builds:
        return finding.message
    return f"{finding.message} [{', '.join(finding.builds)}]"
