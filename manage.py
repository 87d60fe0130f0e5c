#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.preflight import run_or_explain

    run_or_explain(sys.argv)


if __name__ == "__main__":
    main()
