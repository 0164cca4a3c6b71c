"""DF011: invalid default arg in from (rules/df011_invalid_default_arg_in_from.py)."""

from support import findings


def test_df011_default_arg_gives_an_invalid_image():
    assert findings("DF011", "ARG VERSION\nFROM busybox:$VERSION\n") == [
        ("DF011", 2, 6, 'default value for ARG busybox:$VERSION results in empty or invalid base image name '
                        '("busybox:" without --build-arg)')]
    assert findings("DF011", "ARG IMAGE\nFROM $IMAGE\n", build_args={"IMAGE": "busybox"}) == [
        ("DF011", 2, 6, "default value for ARG $IMAGE results in empty or invalid base image name "
                        "(an empty name without --build-arg)")]
    assert findings("DF011", 'ARG V=""\nFROM busybox:stable${V}\n') == []
    assert findings("DF011", "ARG V=1.36\nFROM busybox:$V\nFROM --platform=$BUILDPLATFORM golang:${V}\n") == []
    assert findings("DF011", "FROM golang:1.22-$TARGETARCH\n") == []

