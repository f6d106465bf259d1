#!/usr/bin/env python3
"""Fails when modules depend on each other in a circle.

Rust, per crate (src-tauri and crates/*/src, each lib.rs/main.rs root): the module tree comes from
the `mod` declarations, the edges from `use crate::/super::/self::` trees and inline
`crate::a::b` / `super::x` paths. A reference from module a::x to module b::y is an edge between
the siblings `a` and `b` under their common parent; a child using its parent (`use super::*`) or a
parent using its child is not an edge. A cycle among the siblings of any parent fails.

TypeScript (ui/src): each file is a module, each relative import/export (type-only included) an
edge. The generated ts-rs bindings (ui/src/bindings) mirror Rust types, recursive ones included,
and are left out.

Usage: scripts/module-cycles.py [--self-test] [ROOT]   (exit 0: no cycle, 1: cycles, 2: error)
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------- Rust

TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<line_comment>//[^\n]*)
    | (?P<raw_string>b?r(?P<hashes>\#*)"(?:.|\n)*?"(?P=hashes))
    | (?P<string>b?"(?:\\.|[^"\\])*")
    | (?P<char>b?'(?:\\[^']{1,10}|[^\\'])')
    | (?P<ident>\$?[A-Za-z_][A-Za-z0-9_]*)
    | (?P<path_sep>::)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def strip_block_comments(text: str) -> str:
    """Blanks out (nested) block comments, keeping newlines so line numbers stay right."""
    out, i, depth, n = [], 0, 0, len(text)
    while i < n:
        two = text[i : i + 2]
        if two == "/*":
            depth += 1
            i += 2
            continue
        if depth and two == "*/":
            depth -= 1
            i += 2
            continue
        if depth:
            out.append("\n" if text[i] == "\n" else " ")
        elif text[i] in "\"'" or text.startswith('r"', i) or text.startswith('r#', i):
            # A string or char may hold "/*" or a quote: copy it whole.
            match = TOKEN.match(text, i)
            chunk = match.group(0) if match else text[i]
            out.append(chunk)
            i += len(chunk)
            continue
        elif two == "//":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end])
            i = end
            continue
        else:
            out.append(text[i])
        i += 1
    return "".join(out)


@dataclass
class Token:
    kind: str
    text: str
    line: int


def tokens(text: str) -> list[Token]:
    text = strip_block_comments(text)
    out, line, pos = [], 1, 0
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the last alternative matches any character
            break
        kind = match.lastgroup or "punct"
        if kind == "hashes":
            kind = "raw_string"
        value = match.group(0)
        if kind not in ("ws", "line_comment", "raw_string", "string", "char"):
            out.append(Token(kind, value, line))
        line += value.count("\n")
        pos = match.end()
    return out


@dataclass
class RustFile:
    path: Path
    module: tuple[str, ...]
    # (module the reference is made in, absolute path referenced, line)
    references: list[tuple[tuple[str, ...], tuple[str, ...], int]] = field(default_factory=list)


def parse_use_tree(toks: list[Token], i: int, prefix: list[str]) -> tuple[list[list[str]], int]:
    """Parses a `use` tree from toks[i]; returns the full paths and the index after the tree."""
    paths: list[list[str]] = []
    segments = list(prefix)
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "ident" and tok.text != "as":
            segments.append(tok.text.lstrip("$"))
            i += 1
        elif tok.kind == "path_sep":
            i += 1
        elif tok.text == "{":
            i += 1
            while i < len(toks) and toks[i].text != "}":
                inner, i = parse_use_tree(toks, i, segments)
                paths.extend(inner)
                if i < len(toks) and toks[i].text == ",":
                    i += 1
            return paths, i + 1
        elif tok.text == "*":
            i += 1
        elif tok.text == "as":
            i += 2
        else:
            break
        if i < len(toks) and toks[i].text == "as":
            i += 2
    if segments != prefix:
        paths.append(segments)
    return paths, i


def resolve(path: list[str], module: tuple[str, ...]) -> tuple[str, ...] | None:
    """`crate::a::b`, `super::a`, `self::a` as a path from the crate root; None for others."""
    if not path:
        return None
    head, rest = path[0], path[1:]
    if head == "crate":
        return tuple(rest)
    if head not in ("super", "self"):
        return None
    current = list(module)
    while path and path[0] in ("super", "self"):
        if path[0] == "super":
            if not current:
                return None
            current.pop()
        path = path[1:]
    return tuple(current + path)


def scan_rust(file: Path, module: tuple[str, ...]) -> tuple[RustFile, list[tuple[tuple[str, ...], str, int]]]:
    """References of one file, and the `mod name;` it declares (in which module, at which line)."""
    toks = tokens(file.read_text(encoding="utf-8"))
    result = RustFile(file, module)
    declared: list[tuple[tuple[str, ...], str, int]] = []
    # Inline modules: (module path, brace depth its body closes at)
    stack: list[tuple[tuple[str, ...], int]] = [(module, -1)]
    depth, i = 0, 0
    while i < len(toks):
        tok = toks[i]
        current = stack[-1][0]
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
            if len(stack) > 1 and stack[-1][1] == depth:
                stack.pop()
        elif tok.kind == "ident" and tok.text == "mod" and i + 2 < len(toks) and toks[i + 1].kind == "ident":
            name, after = toks[i + 1].text, toks[i + 2].text
            if after == ";":
                declared.append((current, name, tok.line))
            elif after == "{":
                stack.append((current + (name,), depth))
                depth += 1
                i += 3
                continue
        elif tok.kind == "ident" and tok.text == "use" and (i == 0 or toks[i - 1].text != "."):
            paths, end = parse_use_tree(toks, i + 1, [])
            for path in paths:
                target = resolve(path, current)
                if target is not None:
                    result.references.append((current, target, tok.line))
            i = end
            continue
        elif tok.kind == "ident" and tok.text.lstrip("$") in ("crate", "super", "self"):
            if i + 1 < len(toks) and toks[i + 1].kind == "path_sep":
                path, j = [], i
                while j < len(toks) and toks[j].kind == "ident":
                    path.append(toks[j].text.lstrip("$"))
                    if j + 1 < len(toks) and toks[j + 1].kind == "path_sep":
                        j += 2
                    else:
                        j += 1
                        break
                target = resolve(path, current)
                if target is not None:
                    result.references.append((current, target, tok.line))
                i = j
                continue
        i += 1
    return result, declared


@dataclass
class Crate:
    name: str
    root: Path
    modules: set[tuple[str, ...]] = field(default_factory=set)
    files: list[RustFile] = field(default_factory=list)


def load_crate(name: str, root_file: Path) -> Crate:
    crate = Crate(name, root_file)
    crate.modules.add(())
    todo = [(root_file, (), root_file.parent)]
    while todo:
        file, module, child_dir = todo.pop()
        scanned, declared = scan_rust(file, module)
        crate.files.append(scanned)
        # Inline modules are modules too.
        for ref_module, _, _ in scanned.references:
            for k in range(len(module), len(ref_module) + 1):
                crate.modules.add(ref_module[:k])
        for parent, child, line in declared:
            inline = parent[len(module) :]
            directory = child_dir.joinpath(*inline)
            candidates = [directory / f"{child}.rs", directory / child / "mod.rs"]
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise SystemExit(f"module-cycles: {file}:{line}: no file for `mod {child};`")
            full = parent + (child,)
            crate.modules.add(full)
            grand_dir = found.parent if found.name == "mod.rs" else found.parent / child
            todo.append((found, full, grand_dir))
    return crate


def owning_module(crate: Crate, path: tuple[str, ...]) -> tuple[str, ...]:
    """The longest prefix of `path` that is a module (the rest names an item in it)."""
    for k in range(len(path), -1, -1):
        if path[:k] in crate.modules:
            return path[:k]
    return ()


@dataclass
class Edge:
    parent: str
    source: str
    target: str
    where: str


def rust_edges(crate: Crate, repo: Path) -> list[Edge]:
    edges = []
    for file in crate.files:
        for module, path, line in file.references:
            target = owning_module(crate, path)
            k = 0
            while k < min(len(module), len(target)) and module[k] == target[k]:
                k += 1
            if k == len(module) or k == len(target):
                continue  # a module and its ancestor or descendant
            parent = "::".join(("crate",) + module[:k])
            where = f"{file.path.relative_to(repo)}:{line} uses {'::'.join(('crate',) + path)}"
            edges.append(Edge(parent, module[k], target[k], where))
    return edges


def rust_crates(repo: Path) -> list[tuple[str, Path]]:
    roots = []
    for source in [repo / "src-tauri", *sorted((repo / "crates").glob("*/src"))]:
        for root in ("lib.rs", "main.rs"):
            if (source / root).is_file():
                label = f"{source.relative_to(repo)}/{root}"
                roots.append((label, source / root))
    return roots


# ---------------------------------------------------------------------------------- TypeScript

TS_IMPORT = re.compile(
    r"""(?:\bimport\b[^'"`;]*?\bfrom\s*|\bexport\b[^'"`;]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}/[^'"]+)\1"""
)
TS_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs")


def ts_edges(ui_src: Path, repo: Path) -> list[Edge]:
    edges = []
    files = [
        f
        for f in sorted(ui_src.rglob("*"))
        if f.suffix in (".ts", ".tsx")
        and "node_modules" not in f.parts
        and (ui_src / "bindings") not in f.parents
    ]
    for file in files:
        try:
            text = strip_block_comments(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue  # deleted while the tree was being read
        text = re.sub(r"//[^\n]*", "", text)
        for match in TS_IMPORT.finditer(text):
            spec = match.group(2)
            target = resolve_ts(file.parent, spec)
            if target is None or (ui_src / "bindings") in target.parents:
                continue
            line = text.count("\n", 0, match.start()) + 1
            edges.append(
                Edge(
                    str(ui_src.relative_to(repo)),
                    str(file.relative_to(ui_src)),
                    str(target.relative_to(ui_src)),
                    f"{file.relative_to(repo)}:{line} imports {spec}",
                )
            )
    return edges


def resolve_ts(directory: Path, spec: str) -> Path | None:
    base = (directory / spec).resolve()
    stem = base.with_suffix("") if base.suffix in (".js", ".jsx", ".mjs") else base
    for candidate in [base, *(Path(f"{stem}{ext}") for ext in TS_EXTENSIONS)]:
        if candidate.is_file() and candidate.suffix in (".ts", ".tsx"):
            return candidate
    for index in ("index.ts", "index.tsx"):
        if (base / index).is_file():
            return base / index
    return None


# -------------------------------------------------------------------------------------- cycles


def cycles(edges: list[Edge]) -> list[tuple[str, list[str], list[Edge]]]:
    """Strongly connected groups of more than one module, per parent, with their edges."""
    by_parent: dict[str, dict[str, dict[str, Edge]]] = defaultdict(lambda: defaultdict(dict))
    for edge in edges:
        if edge.source != edge.target:
            by_parent[edge.parent][edge.source].setdefault(edge.target, edge)
    found = []
    for parent in sorted(by_parent):
        graph = by_parent[parent]
        for group in strongly_connected(graph):
            if len(group) > 1:
                members = set(group)
                inside = [
                    graph[a][b] for a in sorted(members) for b in sorted(graph.get(a, {})) if b in members
                ]
                found.append((parent, sorted(group), inside))
    return found


def strongly_connected(graph: dict[str, dict[str, Edge]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; nodes in sorted order for a stable report."""
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def check(repo: Path) -> int:
    reports = []
    for label, root in rust_crates(repo):
        crate = load_crate(label, root)
        for parent, group, inside in cycles(rust_edges(crate, repo)):
            reports.append((f"{label} ({parent})", group, inside))
    ui_src = repo / "ui" / "src"
    if ui_src.is_dir():
        for parent, group, inside in cycles(ts_edges(ui_src, repo)):
            reports.append((parent, group, inside))
    if not reports:
        print("module-cycles: no module cycles (Rust crates and ui/src)")
        return 0
    for where, group, inside in reports:
        print(f"module cycle in {where}: {' <-> '.join(group)}")
        for edge in inside:
            print(f"    {edge.source} -> {edge.target}: {edge.where}")
    print(f"module-cycles: {len(reports)} cycle(s); move what both sides share into a module of its own")
    return 1


# ---------------------------------------------------------------------------------- self-test


def self_test() -> int:
    """The checker finds the cycles it must and nothing else, on small fixture trees."""
    failures = []

    def expect(name: str, files: dict[str, str], expected: list[list[str]]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            for rel, text in files.items():
                path = repo / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            groups = []
            for label, root in rust_crates(repo):
                groups += [g for _, g, _ in cycles(rust_edges(load_crate(label, root), repo))]
            if (repo / "ui" / "src").is_dir():
                groups += [g for _, g, _ in cycles(ts_edges(repo / "ui" / "src", repo))]
            if sorted(groups) != sorted(expected):
                failures.append(f"{name}: found {groups}, expected {expected}")

    expect(
        "a use cycle across three modules",
        {
            "crates/x/src/lib.rs": "mod a; mod b;\npub mod c;\n",
            "crates/x/src/a.rs": "use crate::b::B;\n",
            "crates/x/src/b.rs": "use crate::{c::{self, C}};\n",
            "crates/x/src/c.rs": "pub fn f() -> crate::a::A { todo!() }\n",
        },
        [["a", "b", "c"]],
    )
    expect(
        "parents and children, comments, strings and tests are no cycle",
        {
            "src-tauri/lib.rs": "mod world;\nmod session;\nuse world::World;\n",
            "src-tauri/session.rs": "use crate::world::World; // crate::session\n",
            "src-tauri/world/mod.rs": 'mod orders;\nuse orders::x;\n/* crate::session::Hub */\nconst S: &str = "crate::session::Hub";\n'
            "#[cfg(test)]\nmod tests { use super::*; }\n",
            "src-tauri/world/orders.rs": "use super::World;\nuse super::super::world::x;\n",
        },
        [],
    )
    expect(
        "super:: paths between siblings of a nested module",
        {
            "crates/y/src/main.rs": "mod world;\n",
            "crates/y/src/world/mod.rs": "mod orders;\nmod listings;\n",
            "crates/y/src/world/orders.rs": "pub fn f() { super::listings::g() }\n",
            "crates/y/src/world/listings.rs": "use super::orders::f;\n",
        },
        [["listings", "orders"]],
    )
    expect(
        "inline test modules count where they are",
        {
            "crates/z/src/lib.rs": "mod a;\nmod b;\n",
            "crates/z/src/a.rs": "use crate::b::B;\n",
            "crates/z/src/b.rs": "pub struct B;\n#[cfg(test)]\nmod tests {\n    use super::super::a::f;\n}\n",
        },
        [["a", "b"]],
    )
    expect(
        "TypeScript imports, type-only included",
        {
            "ui/src/views/message.ts": 'import { a } from "./attachments";\nimport type { X } from "../bindings/X";\n',
            "ui/src/views/attachments.ts": 'import type { M } from "./message.js";\n',
            "ui/src/main.ts": 'import "./views/message";\nimport { f } from "../../outside";\n',
            "ui/src/bindings/X.ts": 'import type { Y } from "./Y";\n',
            "ui/src/bindings/Y.ts": 'import type { X } from "./X";\n',
        },
        [["views/attachments.ts", "views/message.ts"]],
    )
    for failure in failures:
        print(f"module-cycles self-test: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--self-test"]
    if len(args) != len(argv):
        if self_test():
            return 2
    repo = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    return check(repo.resolve())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
