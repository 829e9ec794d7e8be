"""What tests and benchmarks share: fake platforms, data builders, a throwaway PostgreSQL."""
