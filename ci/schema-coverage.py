#!/usr/bin/env python3
"""Checks that schemas/ defines every operation of the catalog (../shared/catalog/endpoints.json).

Each catalog id must appear exactly once in an `x-catalog-ids` list (on an operation, a webhook or an
`x-operations` entry), and the place it appears must agree with the catalog's method, base path,
path (or one of the path item's `x-path-aliases`) and operationName.
Usage: ci/schema-coverage.py [--only FILE.json ...]   exit 1 when anything is missing or wrong.
"""
import json, pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent
catalog = json.loads((root.parent / "shared/catalog/endpoints.json").read_text())
only = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else None
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

seen = {}  # catalog id -> (file, method, base, [paths], operationName)
problems = []
files = sorted(p for p in (root / "schemas").glob("*.json"))
for f in files:
    doc = json.loads(f.read_text())
    base = (doc.get("servers") or [{"url": ""}])[0]["url"]
    for section in ("paths", "webhooks"):
        for path, item in (doc.get(section) or {}).items():
            paths = [path] + list(item.get("x-path-aliases", []))
            for m in METHODS:
                op = item.get(m)
                if not op:
                    continue
                places = [(op.get("x-catalog-ids", []), None)]
                for sub in op.get("x-operations", []):
                    places.append((sub.get("x-catalog-ids", []), sub.get("operationName")))
                for ids, name in places:
                    for cid in ids:
                        if cid in seen:
                            problems.append(f"{cid}: defined twice ({seen[cid][0]} and {f.name})")
                        seen[cid] = (f.name, m.upper(), base, paths, name, section)

missing = []
for e in catalog:
    cid = e["id"]
    if cid not in seen:
        missing.append(cid)
        continue
    fname, method, base, paths, name, section = seen[cid]
    if only and fname not in only:
        continue
    if method != e["method"]:
        problems.append(f"{cid}: method {method} in {fname}, catalog says {e['method']}")
    if section == "paths" and base != e["base_path"]:
        problems.append(f"{cid}: base path {base} in {fname}, catalog says {e['base_path']}")
    if e["path"] is not None and section == "paths" and e["path"] not in paths:
        problems.append(f"{cid}: path {paths[0]} in {fname}, catalog says {e['path']} (add it to x-path-aliases if it is a documented variant)")
    if (e["operation_name"] or None) != (name or None) and not (e["operation_name"] or "").startswith("{"):
        problems.append(f"{cid}: operationName {name!r} in {fname}, catalog says {e['operation_name']!r}")
known = {e["id"] for e in catalog}
for cid in seen:
    if cid not in known:
        problems.append(f"{cid}: in {seen[cid][0]} but not in the catalog")
if only:
    apis = set()
    for f in only:
        for cid, v in seen.items():
            if v[0] == f:
                apis.add(cid.split(":")[0])
    missing = [m for m in missing if m.split(":")[0] in apis]
for m in missing:
    problems.append(f"{m}: not defined in schemas/")
for p in problems:
    print(p)
total = len(catalog)
defined = sum(1 for c in seen if c in known)
print(f"coverage: {defined}/{total} catalog operations defined; {len(problems)} problems")
sys.exit(1 if problems else 0)
