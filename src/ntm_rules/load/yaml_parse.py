"""The YAML parser behind :func:`ntm_rules.load.source.parse_yaml`: PyYAML's safe composer,
then a walk of the node tree that keeps each value's line and column, catches duplicate keys
and refuses tags, aliases and merge keys. Imported on first use."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Issue, Location
from .source import MAX_DEPTH, MAX_NODES, Document, PathKey

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# YAML 1.1 number forms other than plain decimals: octal 075, hex 0x50, binary, 4_4.8, 1:20
_YAML11_NUMBER = re.compile(
    r"^[-+]?(0[0-9_]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(_|:)[0-9_:.]*"
    r"|[0-9]*\.[0-9_]*_[0-9_]*)$"
)
_PLAIN_NUMBER = re.compile(
    r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$"
    r"|^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$|^[-+]?0[0-9]*\.[0-9]*$"
)

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _event_location(file: str, event: Any) -> Location:
    mark = event.start_mark
    return Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)


def _prescan(text: str, file: str) -> Issue | None:
    """Count nodes and nesting on the parser's event stream before composing.

    The event parser is a flat state machine; PyYAML's composer recurses, and very deep input
    (30,000 nested `[`) overflows the C stack. Huge node counts are refused here too, before a
    node tree is built.
    """
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                nodes += 1
                if depth > MAX_DEPTH + 1:
                    return Issue(
                        "too-deep",
                        f"the YAML is nested more than {MAX_DEPTH} levels",
                        _event_location(file, event),
                        f"at most {MAX_DEPTH} levels are read",
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                nodes += 1
            if nodes > MAX_NODES:
                return Issue(
                    "too-large",
                    f"more than {MAX_NODES:,} YAML nodes",
                    _event_location(file, event),
                    "split the data into several files",
                )
    except yaml.MarkedYAMLError as exc:
        # libyaml (PyYAML >= 6.0.2) stops very deep flow nesting itself, while scanning ahead
        # for a possible key, before our count reaches MAX_DEPTH: the same refusal, same code.
        if "nesting depth" in str(exc.problem or "") and exc.problem_mark is not None:
            mark = exc.problem_mark
            return Issue(
                "too-deep",
                f"the YAML is nested more than {MAX_DEPTH} levels",
                Location(file, mark.line + 1, mark.column + 1),
                f"at most {MAX_DEPTH} levels are read",
            )
        return None  # reported, with its location, by the composing pass
    except yaml.YAMLError:
        return None  # reported, with its location, by the composing pass
    return None


def parse_yaml(text: str, file: str, doc: Document | None = None) -> Document:
    doc = doc or Document(file)
    early = _prescan(text, file)
    if early is not None:
        doc.issues.append(early)
        doc.fatal = True
        return doc
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        doc.fatal = True
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if exc.context and "flow" in exc.context and exc.context_mark is not None:
            # an unclosed [ or {: point at where it was opened
            mark = exc.context_mark
            problem = f"{exc.context} opened here is not closed ({problem})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        hint = "check indentation and quoting"
        lines = text.splitlines()
        for number in (line, line - 1):
            if 1 <= number <= len(lines):
                body = lines[number - 1]
                indent = body[: len(body) - len(body.lstrip())]
                if "\t" in indent:
                    hint = "YAML does not allow tab characters for indentation; use spaces"
                    line, col = number, body.index("\t") + 1
                    break
        doc.issues.append(
            Issue("yaml-syntax", f"YAML syntax error: {problem}", Location(file, line, col), hint)
        )
        return doc
    except yaml.YAMLError as exc:
        doc.fatal = True
        doc.issues.append(Issue("yaml-syntax", f"YAML error: {exc}", Location(file, 1, 1)))
        return doc
    except RecursionError:
        doc.fatal = True
        doc.issues.append(
            Issue(
                "too-deep",
                "the YAML is nested too deeply",
                Location(file, 1, 1),
                f"at most {MAX_DEPTH} levels are read",
            )
        )
        return doc
    if node is None:
        doc.data = None
        return doc
    walker = _Walker(doc)
    doc.data = walker.walk(node, ())
    return doc


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.count = 0
        self.constructor = SafeConstructor()
        self.stopped = False

    def _stop(self, code: str, message: str, path: PathKey, hint: str = "") -> None:
        if not self.stopped:
            self.doc.issue(code, message, path, hint)
        self.stopped = True

    def walk(self, node: Node, path: PathKey) -> Any:
        if self.stopped:
            return None
        self.count += 1
        if self.count > MAX_NODES:
            self._stop("too-large", f"more than {MAX_NODES:,} YAML nodes", path)
            return None
        if len(path) > MAX_DEPTH:
            self._stop("too-deep", f"the YAML is nested more than {MAX_DEPTH} levels", path)
            return None
        self.doc.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if id(node) in self.seen:
            self.doc.issue(
                "yaml-alias",
                "YAML anchors and aliases (&, *) are not allowed",
                path,
                "write the value out in full",
            )
            if not isinstance(node, ScalarNode):
                self.stopped = True
            return None
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self.doc.issue(
                "yaml-tag",
                f"YAML tag {node.tag!r} is not allowed",
                path,
                "remove the '!' tag; only plain data is read",
            )
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text; each schema validates its own form
        return self._scalar(node, path)

    def _scalar(self, node: ScalarNode, path: PathKey) -> Any:
        """PyYAML's own scalar reading; text it cannot read (e.g. `!!int ""`) is an issue.

        YAML 1.1 also reads `075` as octal 61, `0x50` as 80, `4_4.8` as 44.8 and `1:20` as 80;
        numbers must be plain decimals here, so those are refused rather than misread."""
        if (
            node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
            and _YAML11_NUMBER.match(node.value)
            and not _PLAIN_NUMBER.match(node.value)
        ):
            self.doc.issue(
                "bad-number",
                f"{node.value!r} is not a plain decimal number",
                path,
                "write digits only, without leading zeros, '_', ':' or 0x "
                "(e.g. 75 or 44.8); quote it if it is text",
            )
            return None
        try:
            return self.constructor.construct_object(node)
        except (
            ConstructorError,
            ValueError,
            IndexError,
            KeyError,
            TypeError,
            OverflowError,
        ) as exc:
            self.doc.issue(
                "yaml-value", f"cannot read value {node.value!r}: {exc or type(exc).__name__}", path
            )
            return None

    def _key(self, key_node: Node, path: PathKey) -> str | None:
        """The text of a mapping key, or None (after reporting) when it cannot be one."""
        loc = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key_node.tag == "tag:yaml.org,2002:merge":
            self.doc.locations[(*path, "<<")] = loc
            self.doc.issue(
                "yaml-merge",
                "YAML merge keys (<<) are not allowed",
                (*path, "<<"),
                "write the keys out in full",
            )
            return None
        if not isinstance(key_node, ScalarNode):
            self.doc.locations.setdefault((*path, "?"), loc)
            self.doc.issue("bad-key", "a mapping key must be plain text", (*path, "?"))
            return None
        here = (*path, str(key_node.value))
        self.doc.locations.setdefault(here, loc)
        if key_node.tag not in _ALLOWED_TAGS:
            self.doc.issue(
                "yaml-tag", f"YAML tag {key_node.tag!r} is not allowed", here, "remove the '!' tag"
            )
            return None
        if key_node.tag == "tag:yaml.org,2002:timestamp":
            return str(key_node.value)
        value = self._scalar(key_node, here)
        if value is None and key_node.value not in ("", "~", "null", "Null", "NULL"):
            return None  # already reported
        if isinstance(value, bool) or value is None or isinstance(value, float):
            self.doc.issue(
                "bad-key",
                f"key {key_node.value!r} is read as {type(value).__name__}, not text",
                here,
                "quote the key",
            )
            return None
        return str(value)

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            loc = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in first_line:
                self.doc.locations[(*path, key, "#dup")] = loc
                self.doc.issue(
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined on line {first_line[key]})",
                    (*path, key, "#dup"),
                    "remove or rename one of them",
                )
                continue
            first_line[key] = loc[0]
            self.doc.locations[(*path, key)] = loc
            out[key] = self.walk(value_node, (*path, key))
        return out
