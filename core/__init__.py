"""Domain-neutral pieces the apps share (not an app: no models, no migrations)."""
