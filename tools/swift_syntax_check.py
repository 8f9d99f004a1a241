#!/usr/bin/env python3
"""Syntax check for Swift files, which cannot be compiled here (no Swift compiler for Debian 12
in any reachable registry). Parses each file with tree-sitter's Swift grammar and reports every
ERROR or MISSING node as `FILE:LINE:COL: syntax error (...)`.

It proves the files parse, nothing more: a misspelled name, a wrong type or a missing `await`
passes. Valid Swift that the grammar misparses is listed in KNOWN_GRAMMAR_GAPS and blanked out
(replaced by spaces, newlines kept, so every line and column stays where it was) before parsing;
each entry names the construct and where it comes from. Nothing else is blanked.

Usage: swift_syntax_check.py [--self-test] PATH...   (files, or folders searched for *.swift)
Exit 0 when every file parses, 1 otherwise, 2 on bad usage.
"""
from __future__ import annotations

import re
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

from treesitter_errors import Errors, error_positions, run_checker

LANGUAGE = Language(tree_sitter_swift.language())

# Valid Swift that tree-sitter-swift 0.7.4 misparses, both emitted by uniffi 0.32's Swift
# bindings (TOOLCHAIN.md section 4). Each match is blanked to spaces, newlines kept.
KNOWN_GRAMMAR_GAPS: list[tuple[str, re.Pattern[bytes]]] = [
    (
        # An attribute inside `#if … #endif` in front of a declaration: the grammar does not
        # allow a conditional-compilation block to hold only attributes of what follows.
        "#if swift(>=5.8) @_documentation(visibility: private) #endif before a declaration",
        re.compile(
            rb"#if swift\(>=5\.8\)[ \t]*\n[ \t]*@_documentation\(visibility: private\)[ \t]*\n"
            rb"[ \t]*#endif"
        ),
    ),
    (
        # A closure whose whole body is the empty tuple (`let writeReturn = { () }`, also
        # `{ return () }`): the grammar reads `()` as a parameter clause without `in`. Only the
        # `()` (and its `return`) is blanked; the braces stay, so an empty closure remains.
        "closure body that is only `()` or `return ()`",
        re.compile(rb"(?<=\{ )(?:return )?\(\)(?= \})"),
    ),
]


def blank_known_gaps(src: bytes) -> tuple[bytes, int]:
    """Blanks every known grammar gap (same length, newlines kept); returns the count too."""
    count = 0
    for _, rx in KNOWN_GRAMMAR_GAPS:
        src, n = rx.subn(lambda m: re.sub(rb"[^\n]", b" ", m.group(0)), src)
        count += n
    return src, count


def checked(src: bytes) -> tuple[Errors, int]:
    """The syntax errors once the known gaps are blanked, and how many gap spans were blanked."""
    blanked, count = blank_known_gaps(src)
    return error_positions(Parser(LANGUAGE).parse(blanked)), count


def syntax_errors(src: bytes) -> Errors:
    """(line, column, what) of each ERROR / MISSING node, 1-based; not descending into errors."""
    return checked(src)[0]


def self_test() -> None:
    """The checker must pass valid code and fail broken code; run first by scripts/test-ios."""
    good = (
        b"import SwiftUI\n\n@MainActor\nfinal class A: ObservableObject {\n"
        b"    @Published private(set) var n = 0\n"
        b"    func f() async throws -> Int { try await g(n) }\n}\n"
    )
    assert syntax_errors(good) == [], syntax_errors(good)
    broken = good.replace(b"g(n)", b"g(n")
    assert syntax_errors(broken), "a missing ')' must be reported"
    unclosed = good.replace(b"}\n}\n", b"}\n")
    assert syntax_errors(unclosed), "an unclosed class must be reported"
    stray = good.replace(b"func f()", b"func f() }")
    assert syntax_errors(stray), "a stray '}' must be reported"

    gap = (
        b"public struct S {\n#if swift(>=5.8)\n    @_documentation(visibility: private)\n#endif\n"
        b"    public init() {}\n    func w() { let writeReturn = { () }\n"
        b"        let other = { return () }\n        writeReturn(); other() }\n}\n"
    )
    assert syntax_errors(gap) == [], "the known grammar gaps must pass"
    blanked, n = blank_known_gaps(gap)
    assert n == 3 and len(blanked) == len(gap) and blanked.count(b"\n") == gap.count(b"\n")
    # Blanking keeps positions: an error after the gaps is reported at its own line and column.
    after = gap + b"let x = (1, 2\n"
    assert syntax_errors(after) == [(10, 14, "missing )")], syntax_errors(after)
    # The gaps are narrow: the same attribute without its #if block is still checked as written,
    # and a real closure body is never blanked.
    assert blank_known_gaps(b"let c = { (a) }\n")[1] == 0
    print("swift syntax check self-test: ok")


def main(argv: list[str]) -> int:
    return run_checker(argv, usage=__doc__, language="swift", suffixes=(".swift",),
                       self_test=self_test, check=checked)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
