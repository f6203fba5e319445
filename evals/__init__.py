"""Evaluation and benchmarks: `python -m evals.run` scores the assistant on a question set
through its JSONL batch commands, `python -m evals.bench` measures latency and cost growth."""
