"""Migration plans: milestones per business as a dependency graph toward each deadline.

model (plan files, no networkx) · load (YAML, validation with file:line) · template (the 手順書's steps,
`plan init`) · calendar (working days) · graph and cpm (networkx, critical path method) · status
(colours, reasons) · national (総務省 figures) · gates · baseline · whatif · rollup · importer (Excel)
· engine (compute a PlanResult) · result (what reports render) · text (terminal output).
Import the submodules you need: networkx and openpyxl load only with graph/cpm and importer.
"""
