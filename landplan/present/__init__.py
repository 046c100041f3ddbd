"""What a planner reads, in one place: the words, labels and number formats every view uses.

- :mod:`.text`: every word of the page and the tables, one YAML file per language (``text/zh.yaml``,
  ``text/en.yaml``, the same keys)
- :mod:`.words`: ids as words (bases, met, sources as document titles, scopes, years)
- :mod:`.labels`: column headers in the reader's language, with the area unit
- :mod:`.tables`: a plan's tables as shown (names, words, units, rounded): ``display_table``
- :mod:`.plan_text`: the plan's sentences (what the outlines are, the land counted twice, the
  parks' total) and a target's name as every table writes it

Numbers are converted once, at the end (:func:`layers.units.in_unit`); the units' names and
decimals are :mod:`geo.units`'.
"""
