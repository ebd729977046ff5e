"""The fast path of the lexical key reader (``lookup._fast_key``) answers only for blocks the
line-by-line reader answers the same way, and what it answers is what a YAML load reads."""

from __future__ import annotations

from gwshift import lookup, yamlio
from hypothesis import given, settings
from hypothesis import strategies as st

_SAFE = ["a", "web", "team-1", "-a", "a/b", "1.2", "v1.0.0-rc1", "x y"]
_RISKY = ["yes", "null", "on", "'q'", '"q"', "a: b", "a #c", "{}", "[x]", "&x", "", "a\tb",
          "1", "x:y", "!t"]
_MUTATIONS = ["", "blank", "comment", "col0-comment", "dup-name", "name-deep", "name-map",
              "tab", "crlf", "trailing", "deep-after-value", "indent-3", "risky-name",
              "risky-ns", "risky-label", "name-in-label"]


@st.composite
def _doc(draw: st.DrawFn) -> tuple[str, int]:
    """A usual metadata block (name, maybe namespace, labels/annotations in some order),
    then at most one change that a careful reader must notice."""
    pad = draw(st.sampled_from([0, 0, 2]))
    k, d = " " * (pad + 2), " " * (pad + 4)
    name = draw(st.sampled_from(["api-3", "web", "a.b"]))
    parts = [[f"{k}name: {name}"]]
    if draw(st.booleans()):
        parts.append([f"{k}namespace: {draw(st.sampled_from(['team-3', 'ns']))}"])
    for block in ("labels", "annotations"):
        n = draw(st.integers(0, 2))
        if n:
            parts.append([f"{k}{block}:"] + [f"{d}{draw(st.sampled_from(['app', 'x.io/name']))}"
                                              f"{i}: {draw(st.sampled_from(_SAFE))}"
                                              for i in range(n)])
    parts = draw(st.permutations(parts))
    lines = [line for part in parts for line in part]
    change = draw(st.sampled_from(_MUTATIONS))
    at = draw(st.integers(0, len(lines)))
    risky = draw(st.sampled_from(_RISKY))
    if change == "blank":
        lines.insert(at, "")
    elif change == "comment":
        lines.insert(at, k + "# c")
    elif change == "col0-comment":
        lines.insert(at, "# c")
    elif change == "dup-name":
        lines.insert(at, f"{k}name: other")
    elif change == "name-deep":
        lines.insert(lines.index(f"{k}name: {name}") + 1, f"{d}more")
    elif change == "name-map":
        lines.insert(at, f"{k}name:\n{d}x: y")
    elif change == "tab":
        lines.insert(at, f"{k}uid:\tz")
    elif change == "trailing":
        lines.insert(at, f"{k}uid: z ")
    elif change == "deep-after-value":
        lines.insert(at, f"{k}uid: z\n{d}w: v")
    elif change == "indent-3":
        lines.insert(at, f"{' ' * (pad + 3)}uid: z")
    elif change == "risky-name":
        lines[lines.index(f"{k}name: {name}")] = f"{k}name: {risky}"
    elif change == "risky-ns":
        lines.insert(at, f"{k}namespace: {risky}")
    elif change == "risky-label":
        lines.insert(at, f"{k}labels:\n{d}a: {risky}")
    elif change == "name-in-label":
        lines.insert(at, f"{k}labels:\n{d}name: {risky or 'z'}")
    first = "- " if pad else ""
    text = (f"{first}apiVersion: v1\n" + " " * pad + "kind: Service\n" + " " * pad
            + "metadata:\n" + "\n".join(lines) + "\n" + " " * pad + "spec: {}\n")
    if change == "crlf":
        text = text.replace("\n", "\r\n")
    return text, pad


@settings(max_examples=800, deadline=None)
@given(_doc())
def test_fast_path_agrees_with_the_full_reader_and_a_load(doc: tuple[str, int]) -> None:
    text, pad = doc
    lookup._compile()
    try:
        after = lookup._metadata_at(text, 0, len(text), pad)
    except lookup._Irregular:
        return
    try:
        fast = lookup._fast_key(text, after, len(text), pad)
    except lookup._Irregular:
        fast = "irregular"
    if fast is None:
        return  # not the fast shape: the full reader decides, as before
    try:
        walked: object = lookup._walk_key(text, after, len(text), pad)
    except lookup._Irregular:
        walked = "irregular"
    assert fast == walked
    if fast != "irregular":
        try:
            obj = yamlio.load(text)
        except Exception:  # noqa: BLE001 - not loadable: skipped by both indexes alike
            return
        item = obj[0] if pad else obj
        meta = item["metadata"]
        assert (meta["name"], meta.get("namespace")) == fast


def test_fast_path_takes_the_usual_block() -> None:
    lookup._compile()
    text = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: api-3\n  namespace: team-3\n"
            "  labels:\n    app.kubernetes.io/name: api-3\n    helm.sh/chart: app-1.2.3\n"
            "spec:\n  ports: []\n")
    after = lookup._metadata_at(text, 0, len(text), 0)
    assert lookup._fast_key(text, after, len(text), 0) == ("api-3", "team-3")
