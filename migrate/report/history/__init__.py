"""The nightly run history for people: the list of runs, a comparison of two runs, a trend."""

from migrate.report.history.text import render_compare, render_list, render_trend

__all__ = ["render_compare", "render_list", "render_trend"]
