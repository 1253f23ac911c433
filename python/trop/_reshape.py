"""Reshapes as MLIR's tensor.collapse_shape / expand_shape see them, shared
by the PyTorch exporter and the ONNX importer (neither needs the other's
dependencies)."""


def reassociation(src, dst):
    """Groups of consecutive ``src`` dims whose products are the ``dst`` dims
    (to collapse src into dst, or expand dst into src), or None."""
    if not dst or len(src) <= len(dst):
        return None
    groups, i = [], 0
    for d in dst:
        if i >= len(src):
            return None
        group, prod = [i], src[i]
        i += 1
        while prod < d and i < len(src):
            group.append(i)
            prod *= src[i]
            i += 1
        if prod != d:
            return None
        groups.append(group)
    while i < len(src) and src[i] == 1:
        groups[-1].append(i)
        i += 1
    return groups if i == len(src) else None
