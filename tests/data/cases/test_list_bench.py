"""The lists benchmark (bench/lists.py) runs: a tiny town, grown 3×, a couple of requests per page and size."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from unittest import mock

import pytest


@pytest.mark.django_db(transaction=True)
def test_the_lists_benchmark_runs() -> None:
    path = Path(__file__).resolve().parents[3] / "bench" / "lists.py"
    spec = importlib.util.spec_from_file_location("bench_lists", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    lines: list[str] = []
    with mock.patch.dict(os.environ):  # the script's environment defaults stay in the script
        spec.loader.exec_module(module)
        ratios = module.run(cases=12, growth=3, requests=2, blocks=1, mix="history", out=lines.append)
    assert sorted(ratios) == sorted(module.PAGES)
    assert lines[1].startswith("grown (history): 36 cases (3.0×)")
    assert [line.split(" | ")[0] for line in lines[5:10]] == [f"| `{page}`" for page in module.PAGES]
