#!/usr/bin/env python3
"""Checks what Xcode would only show at run time: the app's strings, plist keys and project.yml.

- Localizable.strings (zh-Hans, the default, and en) parse, hold the same keys with the same
  format specifiers, and hold every key the SwiftUI code uses. A key is a string literal of the
  form `area.name` (optionally followed by interpolations: `"home.pending \\(n)"` is the key
  `home.pending %lld`). An interpolation is a number (%lld) when its expression is `Int(...)`,
  ends in `.count`, or is one of INT_EXPRESSIONS; otherwise text (%@). Keys built at run time
  (`LocalizedStringKey("action.\\(name)")`) must match DYNAMIC_KEYS.
- InfoPlist.strings in both languages hold the usage descriptions project.yml declares.
- project.yml: every source path exists, the background task identifiers in Info.plist are the
  ones BackgroundSyncScheduler registers, and the permission texts are there.
Exit 0 when all is well, 1 otherwise.
"""
from __future__ import annotations

import pathlib
import re
import sys

import yaml

IOS = pathlib.Path(__file__).resolve().parents[1]
APP = IOS / "App"
LANGUAGES = ["zh-Hans", "en"]
INT_EXPRESSIONS = {"state.sync.pendingCount", "state.remainingToday", "index + 1", "count", "draft.ackWithinMinutes"}
# Keys the code builds at run time, with every value they take.
DYNAMIC_KEYS = {
    "action.": ["verify", "confirm", "dismiss", "merge", "fix_on_site", "assign", "start", "request_recheck",
                "recheck_pass", "recheck_fail", "refer", "close", "supervise", "escalate", "resolve_conflict",
                "reported"],
}
KEY = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")
# Literals after these are not localization keys (SF Symbols, file names).
NOT_KEYS = re.compile(r"(systemImage: |systemName: |appendingPathComponent\()$")
STRINGS_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;')
SPECIFIER = re.compile(r"%(?:\d+\$)?(lld|ld|d|@|u|llu|f)")  # the group: the type only


def swift_literals(src: str) -> list[tuple[str, list[str]]]:
    """Every one-line string literal not after NOT_KEYS: (its text, each interpolation as \\0;
    the interpolated expressions)."""
    out, i = [], 0
    while i < len(src):
        if src.startswith("//", i):
            i = src.find("\n", i) if "\n" in src[i:] else len(src)
        elif src.startswith('"""', i):
            end = src.find('"""', i + 3)
            i = len(src) if end < 0 else end + 3
        elif src[i] == '"':
            before = src[src.rfind("\n", 0, i) + 1:i]
            text, exprs, i = read_literal(src, i + 1)
            if not NOT_KEYS.search(before):
                out.append((text, exprs))
        else:
            i += 1
    return out


def read_literal(src: str, i: int) -> tuple[str, list[str], int]:
    text, exprs = [], []
    while i < len(src) and src[i] != '"':
        if src.startswith("\\(", i):
            depth, j = 1, i + 2
            while j < len(src) and depth:
                if src[j] == '"':
                    _, _, j = read_literal(src, j + 1)
                    continue
                depth += {"(": 1, ")": -1}.get(src[j], 0)
                j += 1
            exprs.append(src[i + 2:j - 1].strip())
            text.append("\0")
            i = j
        elif src[i] == "\\":
            text.append(src[i:i + 2])
            i += 2
        else:
            text.append(src[i])
            i += 1
    return "".join(text), exprs, i + 1


def used_keys() -> tuple[set[str], set[str]]:
    """(keys with their specifiers, dynamic prefixes) the app's Swift code uses."""
    keys, prefixes = set(), set()
    for path in sorted(APP.rglob("*.swift")):
        for text, exprs in swift_literals(path.read_text()):
            if text.endswith("\0") and text[:-1] in DYNAMIC_KEYS:
                prefixes.add(text[:-1])
                continue
            parts = text.split(" ")
            if not KEY.fullmatch(parts[0]) or any(p != "\0" for p in parts[1:]):
                continue
            specifiers = ["%lld" if is_int(e) else "%@" for e in exprs]
            keys.add(" ".join([parts[0], *specifiers]))
    return keys, prefixes


def is_int(expression: str) -> bool:
    return expression.startswith("Int(") or expression.endswith(".count") or expression in INT_EXPRESSIONS


def read_strings(path: pathlib.Path, problems: list[str]) -> dict[str, str]:
    src = path.read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    body = re.sub(r"(?m)^\s*//.*$", "", body)
    entries = dict(STRINGS_ENTRY.findall(body))
    leftover = STRINGS_ENTRY.sub("", body).strip()
    if leftover:
        problems.append(f"{path}: cannot parse near: {leftover[:60]!r}")
    return entries


def check_strings(problems: list[str]) -> int:
    tables = {lang: read_strings(APP / f"Resources/{lang}.lproj/Localizable.strings", problems) for lang in LANGUAGES}
    base = tables[LANGUAGES[0]]
    for lang, table in tables.items():
        for missing in sorted(set(base) ^ set(table)):
            problems.append(f"Localizable.strings: {missing!r} is in only one of {LANGUAGES}")
        for key, value in table.items():
            if sorted(SPECIFIER.findall(value)) != sorted(SPECIFIER.findall(key)):  # positions aside
                problems.append(f"{lang}.lproj/Localizable.strings: {key!r} has other format specifiers than its key")
    keys, prefixes = used_keys()
    for key in sorted(keys - set(base)):
        problems.append(f"Localizable.strings has no {key!r} (used by the app)")
    for prefix in sorted(prefixes):
        for value in DYNAMIC_KEYS[prefix]:
            if prefix + value not in base:
                problems.append(f"Localizable.strings has no {prefix + value!r} (built at run time)")
    for unused in sorted(set(base) - keys - {p + v for p in DYNAMIC_KEYS for v in DYNAMIC_KEYS[p]}):
        problems.append(f"Localizable.strings: {unused!r} is not used by the app")
    return len(base)


def check_project(problems: list[str]) -> None:
    spec = yaml.safe_load((IOS / "project.yml").read_text())
    target = spec["targets"]["GridPatrol"]
    for source in target["sources"]:
        path = source["path"] if isinstance(source, dict) else source
        if not (IOS / path).exists():
            problems.append(f"project.yml: source {path} does not exist")
    for package in spec.get("packages", {}).values():
        if "path" in package and not (IOS / package["path"] / "Package.swift").exists():
            problems.append(f"project.yml: package {package['path']} has no Package.swift")
    info = target["info"]["properties"]
    scheduler = (APP / "Background/BackgroundSyncScheduler.swift").read_text()
    registered = set(re.findall(r'static let \w+Task = "([^"]+)"', scheduler))
    if set(info.get("BGTaskSchedulerPermittedIdentifiers", [])) != registered or not registered:
        problems.append(f"project.yml: BGTaskSchedulerPermittedIdentifiers differ from {sorted(registered)}")
    usage = {key for key in info if key.startswith("NS") and key.endswith("UsageDescription")}
    if {"NSCameraUsageDescription", "NSLocationWhenInUseUsageDescription"} - usage:
        problems.append("project.yml: camera and location usage descriptions are required")
    for lang in LANGUAGES:
        table = read_strings(APP / f"Resources/{lang}.lproj/InfoPlist.strings", problems)
        for key in sorted(usage - set(table)):
            problems.append(f"{lang}.lproj/InfoPlist.strings has no {key}")


def main() -> int:
    problems: list[str] = []
    count = check_strings(problems)
    check_project(problems)
    for problem in problems:
        print(f"resources: {problem}")
    print(f"app resources: {count} strings in {len(LANGUAGES)} languages, project.yml; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
