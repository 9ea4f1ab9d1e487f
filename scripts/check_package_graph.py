#!/usr/bin/env python3
"""Checks that Package.swift's target dependencies match the imports (issue 19).

Usage: python3 scripts/check_package_graph.py [PACKAGE_DIR]

For every target and test target of Package.swift: each module a source file imports that is built here or
comes from a package product must be a declared dependency (SwiftPM links undeclared imports only by accident of
build order), and each declared dependency must be imported by at least one file of the target (an unused
dependency is dead weight). System modules (Foundation, XCTest, Glibc, …) are ignored. `@testable import`,
`@_exported import` and `import struct X.Y` count as imports of X. Exit 1 with one line per mismatch.
"""
import os
import re
import sys

SYSTEM = {"Foundation", "FoundationXML", "FoundationNetworking", "XCTest", "Testing", "Glibc", "Darwin",
          "Dispatch", "os", "Swift", "_Concurrency", "Synchronization"}


def targets(package_text):
    """(name, kind, path, [dependency module names]) for each target in Package.swift."""
    out = []
    for m in re.finditer(r'\.(target|testTarget|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"', package_text):
        kind, name = m.group(1), m.group(2)
        # The call's text: up to the matching closing parenthesis.
        depth, i = 0, m.start()
        while True:
            c = package_text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        call = package_text[m.start():i + 1]
        path = re.search(r'path:\s*"([^"]+)"', call)
        deps = []
        d = re.search(r'dependencies:\s*\[(.*?)\]\s*(,|\))', call, re.S)
        if d:
            body = d.group(1)
            for p in re.finditer(r'\.product\(\s*name:\s*"([^"]+)"', body):
                deps.append(p.group(1))
            body = re.sub(r'\.product\([^)]*\)', "", body)
            deps += re.findall(r'"([^"]+)"', body)
        default = ("Tests/" if kind == "testTarget" else "Sources/") + name
        out.append((name, kind, path.group(1) if path else default, deps))
    return out


def imports(directory):
    found = {}
    for root, _, files in os.walk(directory):
        for f in files:
            if not f.endswith(".swift"):
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    m = re.match(r'\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)', line)
                    if m:
                        found.setdefault(m.group(1), []).append(os.path.relpath(path, directory))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with open(os.path.join(root, "Package.swift"), encoding="utf-8") as f:
        text = f.read()
    ts = targets(text)
    local = {name for name, _, _, _ in ts}
    products = set(re.findall(r'\.product\(\s*name:\s*"([^"]+)"', text))
    known = local | products
    problems = []
    for name, kind, path, deps in ts:
        if kind == "systemLibrary":
            continue
        used = imports(os.path.join(root, path))
        for module, files in sorted(used.items()):
            if module in SYSTEM or module == name or module not in known:
                continue
            if module not in deps:
                problems.append(f"{name}: imports {module} ({files[0]}) without declaring it")
        for dep in deps:
            if dep not in used:
                problems.append(f"{name}: declares {dep} but no file imports it")
    for p in problems:
        print("package graph: " + p)
    if problems:
        return 1
    print(f"package graph: {len(ts)} targets, dependencies match the imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
