"""quiztui's benchmark suite: `python -m bench` prints the table of docs/benchmarks.md."""
