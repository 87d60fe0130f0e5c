"""Pre-commit hook: no trailing whitespace, and every text file ends with one newline."""

import sys
from pathlib import Path


def problems(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    found = [
        f"{path}:{number}: trailing whitespace"
        for number, line in enumerate(text.splitlines(), start=1)
        if line != line.rstrip()
    ]
    if text and not text.endswith("\n"):
        found.append(f"{path}: no newline at end of file")
    return found


def main(paths: list[str]) -> int:
    found = [problem for path in paths for problem in problems(Path(path))]
    for problem in found:
        sys.stdout.write(problem + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
