"""Recorded-case oracles: what the real frameworks do with hundreds of layer cases, replayed without them.

Each oracle module has the shape of :class:`tests.oracles.base.Oracle`
(``cases``, ``random_cases``, ``edge_cases``, ``invalid_cases``, ``record``,
``mismatches``, ``DATA``, ``DEFAULT_SEED``):

* :mod:`tests.oracles.keras` — :mod:`convwidget.layers` against Keras 3
  (``tests/data/keras_cases.json``; hand-picked cases in
  :mod:`tests.oracles.keras_hand_picked`);
* :mod:`tests.oracles.torch` — :mod:`convwidget.nn` against PyTorch
  (``tests/data/torch_cases.json``).

Only ``record`` imports a framework. ``scripts/record_keras_cases.py`` and
``scripts/record_torch_cases.py`` are thin wrappers that write the files.
"""
