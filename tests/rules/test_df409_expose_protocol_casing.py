"""DF409: expose protocol casing (rules/df409_expose_protocol_casing.py)."""

from support import findings, raw_findings


def test_df409_df410_df411_expose():
    src = "FROM alpine\nARG P=9000\nEXPOSE 70000 8080:80 80/TcP 8000-7000 80/http $P abc:80 $UNSET\n"
    assert findings("DF409", src) == [
        ("DF409", 3, 22, "defined protocol '80/TcP' in EXPOSE instruction should be lowercase")]
    assert findings("DF410", src) == [
        ("DF410", 3, 14, "EXPOSE instruction should not define an IP address or host-port mapping, found '8080:80'")]
    assert findings("DF411", src) == [
        ("DF411", 3, 8, "EXPOSE 70000: invalid containerPort: 70000: the build fails"),
        ("DF411", 3, 29, "EXPOSE 8000-7000: invalid containerPort: 8000-7000: the build fails"),
        ("DF411", 3, 39, "EXPOSE 80/http: invalid proto: http: the build fails"),
        ("DF411", 3, 50, "EXPOSE abc:80: invalid hostPort: abc: the build fails")]
    [fix] = [f.fix for f in raw_findings("DF410", "FROM a\nEXPOSE 127.0.0.1:80:80/udp\n")]
    assert fix.edits[0].text == "80/udp"
    assert findings("DF409", "FROM a\nEXPOSE 80/tcp 53/udp 0 65535 1-2/sctp\n") == []
    assert findings("DF411", "FROM a\nEXPOSE 80/tcp 53/udp 0 65535 1-2/sctp\n") == []

