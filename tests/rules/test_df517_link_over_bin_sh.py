"""DF517: link over bin sh (rules/df517_link_over_bin_sh.py)."""

from support import findings

from hadolint_rules_support import lint


def test_df517_link_over_bin_sh():
    src = ("FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh\nRUN ln -sf /bin/true /sbin/initctl\n"
           "RUN ln -s foo bar && unrelated && something_with /bin/sh\nRUN cd /bin && ln -sf bash sh\n"
           "RUN rm /bin/sh && ln -s /bin/bash /usr/bin/sh\n")
    message = ("this makes {} a link to another shell, the system shell of every program in the image; use SHELL to "
               "run the Dockerfile's RUN instructions with that shell instead")
    assert findings("DF517", src) == [
        ("DF517", 2, 5, message.format("/bin/sh")), ("DF517", 5, 16, message.format("/bin/sh")),
        ("DF517", 6, 19, message.format("/usr/bin/sh"))]
    assert lint("FROM debian:12\n# hadolint ignore=DL4005\nRUN ln -sf /bin/bash /bin/sh\nUSER nobody\n") == []

