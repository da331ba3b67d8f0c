"""Standard specifications of the 20 businesses: model, loading and lookup."""

from migrate.standard.loader import SpecRegistry, load_registry
from migrate.standard.model import CodeTable, Entity, Item, Spec

__all__ = ["CodeTable", "Entity", "Item", "Spec", "SpecRegistry", "load_registry"]
