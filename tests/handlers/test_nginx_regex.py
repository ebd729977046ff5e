"""nginx ``location ~* "^<path>"`` (search) == full match of ``to_re2(path)``."""

from __future__ import annotations

import re

from gwshift.handlers.nginx.rewrite import to_re2
from hypothesis import assume, given
from hypothesis import strategies as st

PATHS = st.text(alphabet="/aB.|$*", min_size=0, max_size=8).map(lambda s: "/" + s)
URIS = st.text(alphabet="/abAB.|$x", min_size=0, max_size=10)


@given(PATHS, URIS)
def test_full_match_equals_nginx_search(path: str, uri: str) -> None:
    try:
        re.compile(path)
    except re.error:
        assume(False)  # nginx rejects it too
    nginx = re.search("^" + path, uri, re.IGNORECASE) is not None
    assert (re.fullmatch(to_re2(path), uri) is not None) == nginx


def test_examples() -> None:
    assert to_re2("/foo") == "(?i)^/foo.*"
    assert to_re2("/foo/.*") == "(?i)^/foo/.*"
    assert to_re2("/a|/b") == "(?i).*(?:^/a|/b).*"
    assert to_re2("/a(x|y)") == "(?i)^/a(x|y).*"
