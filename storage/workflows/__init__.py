"""The store's workflows, one module per aggregate, each a mixin on
:class:`storage.core.StoreCore`; :class:`storage.store.Store` composes them."""
