#!/usr/bin/env python3
"""Syntax check for Kotlin files that cannot be compiled here (Compose and Android-framework
code: no Android SDK on this machine). Parses each file with tree-sitter's Kotlin grammar and
reports every ERROR or MISSING node as `FILE:LINE:COL: syntax error (...)`.

It proves the files parse, nothing more: a misspelled name or a wrong type passes. Valid Kotlin
that the grammar misparses is listed in KNOWN_GRAMMAR_GAPS and rewritten into an equivalent it
parses (same length, newlines kept, so line numbers stay right); each entry names the construct.

Usage: kotlin_syntax_check.py [--self-test] PATH...   (files, or folders searched for *.kt, *.kts)
Exit 0 when every file parses, 1 otherwise, 2 on bad usage. The iOS shell can reuse the shape
for Swift with its own grammar and gap list.
"""
from __future__ import annotations

import re
import sys
from typing import Callable

import tree_sitter_kotlin
from tree_sitter import Language, Parser

from treesitter_errors import error_positions, run_checker

LANGUAGE = Language(tree_sitter_kotlin.language())

# Valid Kotlin that tree-sitter-kotlin 1.1.0 misparses: (what, pattern, rewrite). A rewrite keeps
# the match's length and its newlines, so line numbers stay right.
KNOWN_GRAMMAR_GAPS: list[tuple[str, re.Pattern[bytes], Callable[[re.Match[bytes]], bytes]]] = [
    (
        # `fun f()\n    = expr`: Kotlin allows newlines before a function body's `=` (uniffi 0.32
        # emits it for every method returning Unit); the grammar wants `=` on the same line.
        # Rewritten as `fun f()=\n     expr`.
        "newline before an expression body's '='",
        re.compile(rb"(?<=\))([ \t]*\n[ \t]*)=(?=[ \t]*\n)"),
        lambda m: b"=" + m.group(1),
    ),
    (
        # `*/override fun`: a KDoc ending on the line of the next declaration (uniffi 0.32 emits
        # it for methods returning Unit). After an expression body the grammar then sees no line
        # break and joins the declaration to the expression. Rewritten as blanks with the
        # comment's line breaks at its end, so the declaration starts a line.
        "declaration on the line a multi-line KDoc ends",
        re.compile(rb"/\*\*(?:[^*]|\*(?!/))*\n(?:[^*]|\*(?!/))*\*/(?=[^\s])"),
        lambda m: re.sub(rb"[^\n]", b"", m.group(0)).rjust(len(m.group(0)), b" "),
    ),
]


def rewrite_known_gaps(src: bytes) -> bytes:
    """Rewrites every known grammar gap into an equivalent the grammar parses (same length)."""
    for _, rx, rewrite in KNOWN_GRAMMAR_GAPS:
        src = rx.sub(rewrite, src)
    return src


def syntax_errors(src: bytes) -> list[tuple[int, int, str]]:
    """(line, column, what) of each ERROR / MISSING node, 1-based; not descending into errors."""
    tree = Parser(LANGUAGE).parse(rewrite_known_gaps(src))
    return error_positions(tree)


def self_test() -> None:
    """The checker must pass valid code and fail broken code; run by scripts/test-android."""
    good = b"package a\n\nfun f(x: Int): Int = when {\n    x > 0 -> x\n    else -> -x\n}\n"
    assert syntax_errors(good) == [], syntax_errors(good)
    broken = good.replace(b"(x: Int)", b"(x: Int")
    assert syntax_errors(broken), "a missing ')' must be reported"
    unbalanced = b"class A {\n    fun g() {\n        println(1)\n}\n"
    assert syntax_errors(unbalanced), "an unclosed class must be reported"
    gap = b"class A {\n    override fun f()\n        = \n    g {\n        h()\n    }\n}\n"
    assert syntax_errors(gap) == [], "a known grammar gap must pass"
    gap += b"class B {\n    fun f() = g {\n    }\n    /**\n     * d\n     */override fun h() = 1\n}\n"
    assert syntax_errors(gap) == [], "a known grammar gap must pass"
    assert len(rewrite_known_gaps(gap)) == len(gap) and rewrite_known_gaps(gap).count(b"\n") == gap.count(b"\n")
    print("kotlin syntax check self-test: ok")


def main(argv: list[str]) -> int:
    return run_checker(argv, usage=__doc__, language="kotlin", suffixes=(".kt", ".kts"),
                       self_test=self_test, check=lambda src: (syntax_errors(src), None))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
