"""`manage.py bench`: every case measured through Django's WSGI handler, at several sizes, with
the tiers past the ORM, serializer and memory figures, written as a table, JSON, markdown and SVG.

- `database.py` makes and drops the throwaway database a run measures on;
- `wsgi.py` sends requests through `WSGIHandler`, as a WSGI server would;
- `run.py` builds the data and measures each case, variant and size;
- `extras.py` the serializer-only comparison and the export's peak memory;
- `report.py` turns runs into the terminal table, markdown and the SVG chart.
"""
