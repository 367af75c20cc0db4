"""Python Tornado's own template engine on the benchmark page, timed in-process.

Usage: python3 tornado_bench.py SPEC.json  (SPEC: {"templates", "data", "seconds"})
Prints one JSON line: {"version", "rendersPerSecond", "output"}.
"""
import json
import sys
import time

import tornado
from tornado.template import DictLoader


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    loader = DictLoader(spec["templates"], whitespace="all")
    template = loader.load("page.html")
    data = spec["data"]
    output = template.generate(**data)
    for _ in range(200):  # warm-up
        template.generate(**data)
    best = 0.0
    for _ in range(spec.get("rounds", 3)):
        count = 0
        start = time.perf_counter()
        deadline = start + spec["seconds"]
        while True:
            for _ in range(20):
                template.generate(**data)
            count += 20
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - start))
    print(json.dumps({"version": tornado.version, "rendersPerSecond": best, "output": output.decode("utf-8")}))


if __name__ == "__main__":
    main()
