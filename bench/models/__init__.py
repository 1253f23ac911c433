"""PyTorch models of the benchmark's whole networks (bench/networks.py),
written from ../shared/research/seeds-methods.md: paper A's CIFAR CNN with
its heads (§1.2, `paper_a.py`) and paper C's MPM-ResNet-20 (§3.2,
`paper_c.py`). They use trop.nn's layers for the morphological parts, whose
eager forward is the papers' broadcast-and-reduce formulation."""
