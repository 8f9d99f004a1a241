"""What the Kotlin and Swift syntax checkers share: the syntax errors tree-sitter found in a
parse tree, and the source files named on the command line."""

import pathlib


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
