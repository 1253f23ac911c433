#!/usr/bin/env python3
"""Turns the lines run.sh collected (the drivers', the ceiling probe's and
PyTorch's) into one table, printed and written as Markdown.

Usage: report.py MANIFEST LINES OUT.md [--dry-run]"""

import json
import re
import sys


def parse(lines):
    kv = lambda text: dict(re.findall(r"(\w+)=(\S+)", text))  # noqa: E731
    out = {"bench": {}, "check": {}, "ceiling": {}, "torch": {}, "gpu": ""}
    for line in lines:
        if line.startswith("bench "):
            name = line.split()[1].rstrip(":")
            out["bench"][name] = kv(line) if "FAILED" not in line else {"failed": line}
        elif line.startswith("check "):
            out["check"][line.split()[1].rstrip(":")] = line.split(":", 1)[1].strip()
        elif line.startswith("ceiling "):
            d = kv(line)
            out["ceiling"][d["type"]] = float(d["gups"])
        elif line.startswith("gpu="):
            out["gpu"] = line.strip()
        elif line.startswith("torch "):
            d = kv(line)
            out["torch"][(line.split()[1], d["n"])] = d
    return out


def main():
    manifest_path, lines_path, doc_path = sys.argv[1:4]
    dry = "--dry-run" in sys.argv
    manifest = json.load(open(manifest_path))
    got = parse(open(lines_path).read().splitlines())
    nm = "not measured"
    rows = []
    for w in manifest:
        if w["kind"] != "bench":
            continue
        b = got["bench"].get(w["name"], {})
        ceiling = got["ceiling"].get(w["probe_type"])
        if "median_ms" in b and float(b["median_ms"]) > 0:
            gups = w["updates"] / float(b["median_ms"]) / 1e6
            rate, ms = f"{gups:.1f}", b["median_ms"]
            pct = f"{100 * gups / ceiling:.0f} %" if ceiling else nm
        else:
            gups, rate, ms, pct = None, nm, nm, nm
            if "failed" in b:
                rate = "failed"
        torch_rate, vs_torch, sgemm = nm, nm, nm
        if w["torch"]:
            t = got["torch"].get(("maxplus_broadcast", w["torch"]))
            s = got["torch"].get(("sgemm", w["torch"]))
            if t:
                torch_rate = t["gups"]
                if gups:
                    vs_torch = f"{gups / float(t['gups']):.0f}x"
            if s:
                sgemm = s["tflops"] + " TFLOP/s"
        if w["probe_type"] == "-":  # memory-bound: the probe is no yardstick
            pct = "memory-bound"
        rows.append([w["label"], ms, rate, f"{ceiling:.1f}" if ceiling else nm, pct,
                     torch_rate, vs_torch, sgemm])
    head = ["workload", "trop ms (kernels)", "trop G upd/s", "probe G upd/s",
            "% of probe", "torch broadcast G upd/s", "trop / torch", "cuBLAS SGEMM"]
    table = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    checks = [f"- {w['label']} ({w['name']}): {got['check'].get(w['name'], nm)}"
              for w in manifest if w["kind"] == "check"]
    device = got["gpu"] or ("no GPU (dry run)" if dry else "unknown GPU")
    text = "\n".join(table)
    print(f"device: {device}\n\n{text}\n\nequivalence checks (exact, vs the reference "
          f"pipeline on the CPU):\n" + "\n".join(checks))
    doc = ["# GPU benchmark (bench/gpu/run.sh)", "",
           f"Device: {device}." + (" Dry run: nothing was measured; the GPU figures are "
                                   "still to be measured on a GPU machine." if dry else ""),
           "", "Kernels' device time (CUDA events around each launch, the median of "
           "the timed calls; the copies to and from the device are not counted). "
           "The probe is `../shared/tools/maxplus_ceiling_gpu.cu` built and run in the "
           "same call (f32: add + max per update; f16: half2, two updates per pair; "
           "i32: add + max). PyTorch's broadcast form is "
           "`(A[:, :, None] + B[None]).amax(1)` in row chunks; cuBLAS SGEMM is "
           "torch.matmul at the same shape.", "", text, "",
           "Equivalence checks (AOT-built GPU code vs .npy results of the reference "
           "pipeline on the CPU, bit for bit):", ""] + checks + [""]
    with open(doc_path, "w") as f:
        f.write("\n".join(doc))


if __name__ == "__main__":
    main()
