#!/usr/bin/env python3
"""Checks the app's strings: values/ (zh-CN, the default) and values-en/ hold the same keys with
the same format arguments, and every R.string.<key> the Kotlin code uses exists. Run by
scripts/test-android. Usage: check-strings.py [ANDROID_DIR]"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET


def strings(path: pathlib.Path) -> dict[str, str]:
    return {e.get("name"): e.text or "" for e in ET.parse(path).getroot().iter("string")}


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    res = root / "app/src/main/res"
    zh, en = strings(res / "values/strings.xml"), strings(res / "values-en/strings.xml")
    problems = [f"only in values/: {k}" for k in sorted(zh.keys() - en.keys())]
    problems += [f"only in values-en/: {k}" for k in sorted(en.keys() - zh.keys())]
    args = re.compile(r"%\d\$[sd]")
    problems += [f"format arguments differ: {k}" for k in sorted(zh.keys() & en.keys())
                 if sorted(args.findall(zh[k])) != sorted(args.findall(en[k]))]
    used = {m for f in (root / "app/src").rglob("*.kt") for m in re.findall(r"R\.string\.(\w+)", f.read_text())}
    problems += [f"used but not defined: {k}" for k in sorted(used - zh.keys())]
    for p in problems:
        print(p)
    print(f"android strings: {len(zh)} keys, {len(used)} used, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
