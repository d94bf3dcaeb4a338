#!/usr/bin/env python3
"""Validate a thutuc CPSV-AP JSON-LD export against the official CPSV-AP 3.2.0 SHACL shapes.

Usage: validate_shacl.py DATA.jsonld SHAPES.ttl CONTEXT.jsonld

Never touches the network: any reference to the remote CPSV-AP context URL in "@context" is
replaced by the local context file before rdflib parses the document, and the shapes are
read from the local Turtle file. Prints a summary line "conforms=<bool> violations=<n>"
followed by pyshacl's report text. Exit status: 0 conforms, 1 violations, 2 error.
"""
import json
import sys

REMOTE = "https://semiceu.github.io/uri.semic.eu-generated/CPSV-AP/releases/3.2.0/context/cpsv-ap.jsonld"


def localise(ctx, local):
    if isinstance(ctx, str) and ctx.rstrip("/") == REMOTE.rstrip("/"):
        return local
    if isinstance(ctx, list):
        return [localise(c, local) for c in ctx]
    if isinstance(ctx, str) and ctx.startswith(("http://", "https://")):
        raise SystemExit(f"refusing to fetch remote context {ctx}")
    return ctx


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    data_path, shapes_path, context_path = sys.argv[1:]
    try:
        import rdflib
        from pyshacl import validate
    except ImportError as e:
        print(f"pyshacl/rdflib missing: {e}", file=sys.stderr)
        return 2
    with open(context_path, encoding="utf-8") as f:
        local = json.load(f)["@context"]
    with open(data_path, encoding="utf-8") as f:
        doc = json.load(f)
    if "@context" in doc:
        doc["@context"] = localise(doc["@context"], local)
    data = rdflib.Graph()
    data.parse(data=json.dumps(doc), format="json-ld")
    shapes = rdflib.Graph()
    shapes.parse(shapes_path, format="turtle")
    conforms, report_graph, text = validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, advanced=False
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(list(report_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    print(f"conforms={conforms} violations={violations} triples={len(data)}")
    print(text)
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
