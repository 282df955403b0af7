"""From a note's text to the lemmas that carry its meaning.

French first: words are lower-cased, split on anything that is not a letter
(the elided ``l’`` and ``d'`` fall off), lemmatised with simplemma in the
atelier's language, and the function words of French and English are dropped,
so that a note in English still gives its content words.

>>> content_lemmas("Les besoins pour mieux se coordonner à l’échelle du territoire")
['besoin', 'coordonner', 'échelle', 'territoire']
>>> content_lemmas("Manque de temps !!! 😩")
['manque', 'temps']
>>> content_lemmas("🙂🙂 ?!")
[]
>>> content_lemmas("We need more time to meet")
['need', 'time', 'meet']
"""

import re
import unicodedata
from functools import lru_cache

# Letters only: digits, punctuation, emojis and apostrophes separate words.
_WORD = re.compile(r"[^\W\d_]+")

# Function words, checked on the word and on its lemma. French: articles,
# pronouns, prepositions, conjunctions, auxiliaries and modal verbs, vague
# adverbs and quantifiers. English: the same for notes written in English.
# Words with a meaning of their own in an atelier (« temps », « parole »,
# « personne », « besoin »…) are kept on purpose.
_FR = """
    a à afin ai aie aient aies ainsi ait alors après as au aucun aucune auprès aussi autant autour
    autre autres aux avaient avais avait avant avec avez aviez avoir avons ayant beaucoup bien c ça
    car ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet cette
    ceux chaque chez ci comme comment d dans de dedans dehors déjà depuis des dès devoir doit donc
    dont du elle elles en encore entre es est et étaient était étant été être eu eux faire fait
    font grâce il ils j je jusque l la là le les leur leurs lors lorsque lui m ma mais me même
    mêmes mes mien mieux moi moins mon n ne ni non nos notre nous on ont or ou où par parce parmi
    pas pendant peu peut peuvent plus plusieurs plutôt pour pourquoi pouvoir puis qu quand que quel
    quelle quelles quelque quelques quels qui quoi s sa sans se selon ses si sien soi soit son sont
    sous souvent sur t ta tant te tel telle telles tels tes toi ton tous tout toute toutes très trop
    tu un une unes uns vers via voici voilà vos votre vous y etc cas ex exemple type lequel
    laquelle lesquels lesquelles auquel duquel desquels meilleur meilleure bon bonne vraiment
"""
_EN = """
    a about above after again all also am an and any are as at be been being both but by can could
    did do does doing down during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours get got make made lot lots
"""
STOP_WORDS_FR = frozenset(_FR.split())
STOP_WORDS_EN = frozenset(_EN.split())
STOP_WORDS = STOP_WORDS_FR | STOP_WORDS_EN


def normalize(text: str) -> str:
    """Unicode NFC, lower case, blanks squeezed: the text two notes are compared on.

    >>> normalize("  Manque   de TEMPS ")
    'manque de temps'
    """
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, without digits or punctuation.

    >>> words("L’accompagnement des jeunes (16-25 ans) : éco-délégués")
    ['l', 'accompagnement', 'des', 'jeunes', 'ans', 'éco', 'délégués']
    """
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=65536)
def lemma(word: str, lang: str = "fr") -> str:
    """The dictionary form of a lower-case word (simplemma; the word itself if unknown).

    >>> lemma("associations"), lemma("inégalités"), lemma("connaît")
    ('association', 'inégalité', 'connaître')
    """
    import simplemma  # loaded on first use: its dictionaries load then too

    return simplemma.lemmatize(word, lang=lang).lower()


def content_lemmas(text: str, lang: str = "fr") -> list[str]:
    """The lemmas of a text's content words, in order, each once."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        lem = lemma(word, lang)
        if len(lem) < 2 or lem in STOP_WORDS:
            continue
        seen.setdefault(lem, None)
    return list(seen)
