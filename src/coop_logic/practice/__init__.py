"""Questions about one request beyond its verdict, and about many: ask, what-if, plan, memo,
batch, map."""
