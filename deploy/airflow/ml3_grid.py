"""Expands an ml3 sweep grid file into runs (no Airflow here; ml3_sweep_dag.py uses it).

A grid file is HOCON with one object `grid` whose leaves are lists:

    grid {
      seed = [0, 1, 2, 3, 4]
      "meta-train.iterations" = [500]
    }

Each run is one point of the cartesian product of the lists (first key varying slowest),
passed to `ml3 train` as `--set PATH=VALUE` options. pyhocon reads the file when installed;
otherwise a reader for this subset of HOCON does (objects, lists, quoted or bare keys and
values, `#` and `//` comments, `=` or `:`, commas or newlines between entries).

    python3 ml3_grid.py GRID_FILE    # prints one line of --set options per run
"""
import itertools
import json
import re
import sys

_SIMPLE = re.compile(r"^[A-Za-z0-9_.+-]+$")
_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]=:,\n])|((?:[^\s{}\[\]=:,"#/]|/(?!/))+))')


def load_grid(path):
    """The grid of the file: an ordered list of (config path, list of values)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        from pyhocon import ConfigFactory, ConfigTree  # noqa: F401
        root = ConfigFactory.parse_string(text)
    except ImportError:
        root = _Reader(text).document()
    if "grid" not in root:
        raise ValueError(f"{path}: no 'grid' object (expected grid {{ PATH = [VALUES], ... }})")
    leaves = []
    _flatten(root["grid"], "", leaves, path)
    if not leaves:
        raise ValueError(f"{path}: 'grid' is empty")
    return leaves


def _flatten(node, prefix, out, path):
    for key, value in node.items():
        full = prefix + key.strip('"')
        if isinstance(value, dict):
            _flatten(value, full + ".", out, path)
        elif isinstance(value, list) and value:
            out.append((full, list(value)))
        else:
            raise ValueError(f"{path}: grid.{full} must be a non-empty list of values, got {value!r}")


def expand(grid):
    """The runs: one dict {path: value} per point of the cartesian product."""
    paths = [p for p, _ in grid]
    return [dict(zip(paths, values)) for values in itertools.product(*(v for _, v in grid))]


def render(value):
    """A value in HOCON syntax for --set."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if _SIMPLE.match(value) else json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


def set_options(run):
    """`--set PATH=VALUE` options of one run, in grid order."""
    options = []
    for path, value in run.items():
        options += ["--set", f"{path}={render(value)}"]
    return options


def run_name(run):
    """A file-system-safe name of one run, e.g. seed0_meta-train.iterations500."""
    return "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", f"{p}{render(v)}").strip("-") for p, v in run.items())


class _Reader:
    """Reads the HOCON subset described in the module doc into dicts and lists."""

    def __init__(self, text):
        text = re.sub(r'("(?:[^"\\]|\\.)*")|(#|//)[^\n]*', lambda m: m.group(1) or "", text)
        self.tokens = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise ValueError(f"grid file: cannot read {text[pos:pos + 20]!r}")
            token = m.group(1) or m.group(2) or m.group(3)
            if token != "\n":  # newlines separate entries as commas do; both are optional here
                self.tokens.append(token)
            pos = m.end()
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if expected is not None and token != expected:
            raise ValueError(f"grid file: expected {expected!r}, got {token!r}")
        self.i += 1
        return token

    def document(self):
        if self.peek() == "{":
            self.take()
            return self.fields("}")
        return self.fields(None)

    def fields(self, closing):
        obj = {}
        while self.peek() not in (closing, None):
            key = self.take()
            if self.peek() in ("=", ":"):
                self.take()
            value = self.value()
            target = obj
            parts = [key.strip('"')] if key.startswith('"') else key.split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
            if self.peek() == ",":
                self.take()
        if closing:
            self.take(closing)
        return obj

    def value(self):
        token = self.take()
        if token == "{":
            return self.fields("}")
        if token == "[":
            items = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() == ",":
                    self.take()
            self.take("]")
            return items
        if token.startswith('"'):
            return json.loads(token)
        if token in ("true", "false"):
            return token == "true"
        for number in (int, float):
            try:
                return number(token)
            except ValueError:
                pass
        return token


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 ml3_grid.py GRID_FILE")
    try:
        runs = expand(load_grid(sys.argv[1]))
    except (OSError, ValueError) as e:
        sys.exit(f"error: {e}")
    for r in runs:
        print(run_name(r), " ".join(set_options(r)))
