"""Demo ledgers: one module per ledger app, each with ``build(*, town, rng, year=2022)``, creating data
through the domain functions so that 2022 reproduces the town's 2023 work report and the current year has
live data. The lead wires these into ``demo_town``: enterprises, problemlists, inspections, disputes."""
