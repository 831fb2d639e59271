"""The genre's grammar: how Chinese official letters are written, in one leaf room.

Numerals, dates, headings and enumerations, the wording of a reply letter's parts (salutation,
文号, articles, basis lines, restatements, results, plans, figures), sentences, the one state
machine that says which part of a letter a paragraph stands in, and the one word-coverage scorer.

Every other room reads text through these, so that a （十一） heading, a 下一步 turn or a basis
line is the same thing to chunking, drafting, lint and review. It imports nothing from
``assistant`` and nothing heavy (pure ``re``): the rule is enforced by the import contracts in
pyproject.toml.
"""
