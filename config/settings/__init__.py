"""Settings modules: `base` is shared; `local`, `test` and `production` each start from it."""
