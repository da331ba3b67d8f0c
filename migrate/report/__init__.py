"""Rendering results for people and machines: text, JSON, JUnit, Excel, HTML."""
