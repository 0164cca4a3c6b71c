"""Downloads and their checks in the catalog: what a curl or wget command saves, and which commands check a
file against a checksum or signature (DF610 judges a download unpacked, installed or run without one)."""

from __future__ import annotations

from ..paths import url_basename
from .base import options
from .files import CURL_VALUES, WGET_VALUES

# Programs that check a file against a checksum or signature they are given: checksum tools (when they check,
# see `verifies`), and signature verifiers with the word that makes them verify (none: any use verifies).
CHECKSUM_TOOLS = frozenset({"sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "md5sum", "b2sum",
                            "shasum", "rhash", "sha3sum"})
OPENSSL_DIGESTS = ("dgst", "sha1", "sha224", "sha256", "sha384", "sha512", "md5", "sha3-256", "sha3-512")
SIGNATURE_TOOLS = {"gpg": ("--verify",), "gpg2": ("--verify",), "gpgv": (), "gpgv2": (), "minisign": ("-V",),
                   "signify": ("-V", "-C"), "signify-openbsd": ("-V", "-C"),
                   "cosign": ("verify", "verify-blob", "verify-attestation", "verify-blob-attestation"),
                   "slsa-verifier": ("verify-artifact", "verify-image"), "sigstore": ("verify",),
                   "openssl": ("-verify",), "rpm": ("-K", "--checksig"), "rpmkeys": ("-K", "--checksig"),
                   "dpkg-sig": ("--verify",), "pgpverify": (), "sq": ("verify",), "sqv": ()}


def saved_names(command) -> list[str] | None:
    """The files a curl or wget command (wrappers stripped) saves its downloads to, as written (`$FILE`,
    `/tmp/node.tar.xz`, the URL's last component for `curl -O` and wget's default); [] when it writes to
    standard output; None for any other command."""
    name = command.basename
    if name == "curl":
        takes = CURL_VALUES
        urls = [w for w in command.operands(takes_value=takes) if "://" in (w.value or w.text)]
        found = []
        remote = 0
        for option, word in options(command, takes):
            if option in ("-o", "--output") and word is not None:
                text = word.value if word.value is not None else word.text.strip("'\"")
                if text not in ("-", "/dev/stdout"):
                    found.append(text)
            elif option in ("-O", "--remote-name"):
                remote += 1
            elif option == "--remote-name-all":
                remote = len(urls)
        for word in urls[:remote]:
            base = url_basename(word.value or word.text.strip("'\""))
            if base:
                found.append(base)
        return found
    if name == "wget":
        takes = WGET_VALUES
        document = command.option_word("-O", "--output-document", takes_value=takes)
        if document is not None:
            text = document.value if document.value is not None else document.text.strip("'\"")
            return [] if text in ("-", "/dev/stdout") else [text]
        if command.has_option("--spider", takes_value=takes):
            return []
        found = []
        for word in command.operands(takes_value=takes):
            base = url_basename(word.value or word.text.strip("'\""))
            if base:
                found.append(base)
        return found
    return None


def verifies(command) -> bool:
    """Whether a command (wrappers stripped, pipeline and substitution kept) checks a file against a checksum or
    signature: `sha256sum -c`, a checksum whose output goes on to be compared (in a pipeline or a command
    substitution: `[ "$(sha256sum f | cut -d' ' -f1)" = "$SHA" ]`), `gpg --verify`, `gpgv`, `cosign verify-blob`,
    `minisign -V`, `openssl dgst -verify`."""
    name = command.basename
    if name == "openssl" and command.args and command.args[0].value in OPENSSL_DIGESTS:
        # `openssl sha512 -r file`, `openssl dgst -sha256 file`: a checksum, compared when its output is used
        if command.has_option("-verify", "-prverify", takes_value=("-verify", "-prverify", "-signature")):
            return True
        return command.in_substitution or command.pipeline is not None
    if name in CHECKSUM_TOOLS:
        words = [w.value or "" for w in command.args]
        if any(w in ("-c", "--check") or w.startswith("--check=") or (w[:1] == "-" and w[1:2] != "-" and "c" in w)
               for w in words):
            return True
        return command.in_substitution or command.pipeline is not None
    if name in SIGNATURE_TOOLS:
        words = {w.value for w in command.args}
        needed = SIGNATURE_TOOLS[name]
        return not needed or bool(words & set(needed))
    return False
