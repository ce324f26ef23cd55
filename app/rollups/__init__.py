"""THE only readers across tenants: every figure that spans several CPTS (regional and CPAM
lists, coverage, overlaps) is read here, through the tenancy layer's logged escape hatch, and
nowhere else (a test fails on any other caller of unscoped())."""
