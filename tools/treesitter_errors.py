"""What the Kotlin and Swift syntax checkers share: the syntax errors tree-sitter found in a
parse tree, the source files named on the command line, and the command line itself."""

import pathlib
import sys
from typing import Callable

Errors = list[tuple[int, int, str]]


def error_positions(tree) -> list[tuple[int, int, str]]:
    """(line, column, what) of each ERROR / MISSING node, 1-based; not descending into errors."""
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing:
            found.append((node.start_point[0] + 1, node.start_point[1] + 1, f"missing {node.type}"))
        elif node.is_error:
            found.append((node.start_point[0] + 1, node.start_point[1] + 1, "unexpected input"))
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found)


def source_files(paths: list[str], suffixes: tuple[str, ...]) -> list[pathlib.Path]:
    """The files named, and every file with one of `suffixes` under the folders named."""
    files: list[pathlib.Path] = []
    for arg in paths:
        path = pathlib.Path(arg)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(arg)
    return files


def run_checker(
    argv: list[str],
    *,
    usage: str,
    language: str,
    suffixes: tuple[str, ...],
    self_test: Callable[[], None],
    check: Callable[[bytes], tuple[Errors, int | None]],
) -> int:
    """`[--self-test] PATH...`: checks every file, prints `FILE:LINE:COL: syntax error (...)` and
    a summary. `check(source)` returns the errors and how many known grammar-gap spans it
    blanked (None: the checker keeps no count). Exit 0 when every file parses, 1 otherwise (or
    when no file was found), 2 on bad usage."""
    if argv and argv[0] == "--self-test":
        self_test()
        argv = argv[1:]
        if not argv:
            return 0
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    try:
        files = source_files(argv, suffixes)
    except FileNotFoundError as missing:
        print(f"no such file or folder: {missing}", file=sys.stderr)
        return 2
    failed, blanked, counted = 0, 0, False
    for path in files:
        errors, spans = check(path.read_bytes())
        if spans is not None:
            blanked, counted = blanked + spans, True
        if errors:
            failed += 1
            for line, col, what in errors:
                print(f"{path}:{line}:{col}: syntax error ({what})")
    gaps = f" ({blanked} known grammar-gap spans blanked)" if counted else ""
    print(f"{language} syntax: {len(files) - failed} passed, {failed} failed{gaps}")
    return 1 if failed or not files else 0

