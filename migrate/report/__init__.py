"""The presentation layer: every text, JSON, JUnit, CSV, Excel and HTML output of migrate.

One package per subject (validation, plan, nightly, history), each with a typed view built once from
the engine's result and one module per format; labels, number and date formatting, file names,
templates and the Excel and HTML building blocks are shared here. Engines never import this package.
"""
