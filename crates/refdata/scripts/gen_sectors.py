#!/usr/bin/env python3
"""Regenerates data/sectors.csv (id,name,owner_org) from the real TTHC files in data/tthc/.

Run from crates/refdata: python3 scripts/gen_sectors.py
Ids replicate thutuc_domain::org::Sector::id_for (a Rust test checks they agree).
A name found under two owning ministries gets an empty owner_org.
"""
import csv
import gzip
import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parents[1] / "data" / "sectors.csv"
FOLDER_OWNER = {"bo-tu-phap": "BTP", "ngan-hang-nha-nuoc": "NHNN"}


def clean(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return " ".join(s.split())


def sector_id(name):
    folded = "".join(
        c for c in unicodedata.normalize("NFD", clean(name)) if not unicodedata.combining(c)
    )
    folded = folded.replace("đ", "d").replace("Đ", "d").lower()
    return "-".join(p for p in re.split(r"[^0-9a-z]+", folded) if p)


def main():
    found = []  # (owner, name) in source order
    with gzip.open(ROOT / "data/tthc/portal-pages.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            found.append((FOLDER_OWNER[r["source_folder"]], clean(r["linh_vuc"])))
    with gzip.open(ROOT / "data/tthc/bqp-structured.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            found.append(("BQP", clean(r["metadata"]["lĩnh_vực"])))
    sectors = {}
    for owner, name in found:
        if not name:
            continue
        sid = sector_id(name)
        if sid in sectors and sectors[sid][1] != owner:
            sectors[sid] = (sectors[sid][0], "")
        else:
            sectors.setdefault(sid, (name, owner))
    rows = sorted(sectors.items(), key=lambda kv: (kv[1][1], kv[0]))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "owner_org"])
        for sid, (name, owner) in rows:
            w.writerow([sid, name, owner])
    print(f"{len(rows)} sectors -> {OUT}")


if __name__ == "__main__":
    main()
