"""A faster first reading of catalog YAML, for the files where it gives exactly what load.py's exact path gives.

load.py composes every file with libyaml and builds the data from its node tree: the reference, which knows
where each value sits and refuses what a catalog never needs. At 10,000 services that is most of a
validation's time. yaml-rs (a Rust parser) reads the same files about ten times faster, but it reads YAML
1.2 where PyYAML reads 1.1, accepts aliases and tags, and says nothing of depth. So it is only asked when a
text holds nothing on which the two could differ or that the exact path must judge; every other text, and
every text it cannot read, goes the exact way. Tests hold the two paths to the same data on the repository's
content, a generated catalog and the publiccode.yml parser's cases.
"""

from __future__ import annotations

import re

try:
    import yaml_rs
except ImportError:  # pragma: no cover - a pinned dependency; without it every file goes the exact way
    yaml_rs = None

EXACT = object()  # "ask the exact path"

# What the exact path must judge, and numbers YAML 1.1 (PyYAML) and 1.2 (yaml-rs) read differently. A match
# only costs speed, so the screen errs towards matching (a time of day or a postcode in a text is enough).
# Every branch starts with one character and looks behind it, so the search skips ahead fast (0.2 s for
# 15 MB of catalog).
_NEEDS_EXACT = re.compile(r"""
    0(?<![\w.]0)(?<![\w.][-+]0)[0-9boxBOX_]    # leading zero, 0b 0o 0x: YAML 1.1 reads 017 as 15, 1.2 as 17
  | e(?<=[0-9]e)[-+]?[0-9]+(?![\w.])          # exponents: 1e3 is a number in YAML 1.2 only
  | E(?<=[0-9]E)[-+]?[0-9]+(?![\w.])
  | :(?<=[0-9]:)[0-9]                          # sexagesimal: 1:20 is 80 in YAML 1.1
  | _(?<=[0-9]_)[0-9]                          # digits with underscores
  | \.(?<![\w.]\.)[0-9iInN]                    # .5 .inf .nan
  | =(?<!\S=)(?!\S)                            # a lone '=' (YAML 1.1's value key)
  | !(?<!\S!)\S | &(?<!\S&)\S | \*(?<!\S\*)\S  # tags, anchors, aliases
  | <<                                         # merge keys
  | \t                                         # tabs (libyaml refuses them in indentation)
  | \n(?:%|---|\.\.\.|[ ]{48})                  # directives, document markers, deep indentation
  | -(?<=-[ ]-)\s | \?(?<!\S\?)\s              # nested compact sequences "- - x", explicit keys "? x"
""", re.X)
# Nesting is bounded before yaml-rs reads a text: with indentation under 48 columns, no compact "- - " and
# at most 64 brackets, no text nests deep enough to exhaust its stack (100,000 nested "- " crash it).
_MAX_FLOW_BRACKETS = 64


def fast_data(text: str, max_depth: int, max_nodes: int) -> object:
    """The data of a YAML text, or EXACT where the exact path must read it."""
    if (yaml_rs is None or text.startswith(("%", "---", "...")) or _NEEDS_EXACT.search(text)
            or text.count("[") + text.count("{") > _MAX_FLOW_BRACKETS):
        return EXACT
    try:
        data = yaml_rs.loads(text, parse_datetime=False)  # (duplicate keys are an error: the exact path names them)
    except Exception:  # noqa: BLE001 - any refusal: the exact path gives the located message
        return EXACT
    # (an empty document: the exact path says so)
    return data if data is not None and _plain(data, max_depth, [max_nodes]) else EXACT


def _plain(value: object, depth_left: int, budget: list[int]) -> bool:
    """Within the depth and size limits, with text keys only (the exact path names any other key)."""
    budget[0] -= 1
    if budget[0] < 0 or depth_left <= 0:
        return False
    if isinstance(value, dict):
        for key, item in value.items():
            if type(key) is not str:
                return False
            if type(item) is str and depth_left > 1:
                budget[0] -= 1  # text, the common case, without a call
            elif not _plain(item, depth_left - 1, budget):
                return False
        return budget[0] >= 0
    if isinstance(value, list):
        for item in value:
            if type(item) is str and depth_left > 1:
                budget[0] -= 1
            elif not _plain(item, depth_left - 1, budget):
                return False
        return budget[0] >= 0
    return value is None or type(value) in (str, int, float, bool)
