#!/usr/bin/python3
"""Check feeds with the Universal Feed Parser (Debian's python3-feedparser).

Usage: feedcheck.py FILE...

Each file must parse without a bozo error, and every entry must have an id,
a link, a title, a published date and content. Prints one line per problem
and exits 1 if there is any; exits 3 when feedparser is not installed.
"""
import sys

try:
    import feedparser
except ImportError:
    print("feedparser is not installed (apt-get install python3-feedparser)")
    sys.exit(3)

REQUIRED = ("id", "link", "title", "published", "content")


def check(path):
    problems = []
    d = feedparser.parse(path)
    if d.bozo:
        problems.append("bozo: %r" % (d.get("bozo_exception"),))
    if not d.entries:
        problems.append("no entries")
    for i, e in enumerate(d.entries):
        for key in REQUIRED:
            if not e.get(key):
                problems.append("entry %d (%s): missing %s" % (i, e.get("id", "?"), key))
        if e.get("published") and not e.get("published_parsed"):
            problems.append("entry %d: unparsable published %r" % (i, e.published))
        for c in e.get("content", []):
            if not c.get("value", "").strip():
                problems.append("entry %d: empty content" % i)
    return ["%s: %s" % (path, p) for p in problems]


def main(paths):
    if not paths:
        print(__doc__.strip())
        return 2
    problems = []
    for p in paths:
        problems.extend(check(p))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
