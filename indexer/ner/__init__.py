"""Rules that find entities the catalog has never seen, around the catalog's own matches.

One job per module:

* :mod:`~indexer.ner.lexicon`: word lists (cue words, generic heads, given names, stop words);
* :mod:`~indexer.ner.shapes`: what a word's spelling says ("HyperLogLog", "-Net", "H100");
* :mod:`~indexer.ner.context`: what the neighbouring words say ("the X dataset", "X is a library");
* :mod:`~indexer.ner.chunks`: capitalised runs and their suffixes ("X Labs", "University of X");
* :mod:`~indexer.ner.people`: person names (given names, surnames, roles, speech verbs);
* :mod:`~indexer.ner.names`: reads each run and proposes typed candidates and list units;
* :mod:`~indexer.ner.families`: catalog-derived rules (new versions of known families, event years);
* :mod:`~indexer.ner.acronyms`: "Long Form (LF)" definitions;
* :mod:`~indexer.ner.lists`: "A, B and C" share a type;
* :mod:`~indexer.ner.resolve`: precedence, repeats and ``new:<slug>`` ids;
* :mod:`~indexer.ner.rules`: the spaCy component that runs them after the catalog ruler.
"""
from indexer.ner.rules import RULES_NAME, EntityRules

__all__ = ["RULES_NAME", "EntityRules"]
