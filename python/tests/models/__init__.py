"""Models written in the styles of the five papers' code (seeds-methods.md
§1-§5), by this project: plain PyTorch as a researcher writes it (tuple
max, size branches, optional arguments, cat/stack/repeat, unfold
convolutions, custom autograd wrappers, replicate padding, BM's ln/exp,
residuals), exported by trop.export unchanged.

Each module lists ``CASES``: (name, model factory, example input factory,
export keyword arguments, trop ops its tropical layers must become, tropical
parts as (submodule getter, example input factory) to compare bit for
bit)."""
