"""Builders of the benchmarks' scale dataset, one module per area (agencies and people, referrals,
meetings and trainings), in bulk inserts. Run them through `python -m benchmarks.seed_scale`; they
sit beside the benchmarks, not in the portal's apps, because nothing the portal serves uses them."""
