"""A document step's reason that names a classical lemma, read as that rule.

>>> rule_named("by AM-GM").name
'AM-GM'
>>> rule_named(r"by $\\log x \\le x - 1$, termwise").name
'termwise (log x <= x - 1 for each term)'
>>> rule_named("by the chain rule") is None
True

A reason names a rule when, after an optional leading ``by`` (or ``using``,
``from``) and ``the``, what is left is one of the names below, optionally with
``termwise`` (before or after, or ``for each term``) or ending in ``inequality``
or ``lemma``. Case, ``$``, hyphens and dashes, and LaTeX's ``\\le``/``\\ge``/``\\log``
do not matter. Anything else, including an unknown name after ``by``, stays prose:
reasons such as "by definition" or "by the chain rule" are ordinary words, and
their steps are checked by the search as before. The text is only compared with
fixed names; nothing of it is evaluated.
"""

from __future__ import annotations

import re

from derive.lemmas import AMGM, CauchySchwarz, ExpBound, Gibbs, LogBound, LogSum
from derive.rules import Rule, Termwise

_NAMES: dict[str, type] = {
    "am-gm": AMGM,
    "amgm": AMGM,
    "cauchy-schwarz": CauchySchwarz,
    "log-sum": LogSum,
    "logsum": LogSum,
    "gibbs": Gibbs,
    "gibbs'": Gibbs,
    "gibbs's": Gibbs,
    "logx<=x-1": LogBound,
    "log(x)<=x-1": LogBound,
    "lnx<=x-1": LogBound,
    "ln(x)<=x-1": LogBound,
    "e^x>=1+x": ExpBound,
    "exp(x)>=1+x": ExpBound,
    "e^x>=x+1": ExpBound,
    "exp(x)>=x+1": ExpBound,
}
"""Names without spaces (``_normal``)."""
_TERMWISE = ("termwise", "term by term", "for each term")


def _normal(text: str) -> str:
    """Lower case, LaTeX relations and dashes written plainly, single spaces.

    >>> _normal(r"By  $\\ln x \\leq x - 1$")
    'by ln x <= x - 1'
    """
    text = text.lower().replace("$", " ")
    for latex, plain in ((r"\leq", "<="), (r"\le", "<="), (r"\geq", ">="), (r"\ge", ">="), ("≤", "<="), ("≥", ">=")):
        text = text.replace(latex, f" {plain} ")
    text = re.sub(r"\\(log|ln|exp|left|right)", r"\1", text)
    text = re.sub(r"[\\{}]", " ", text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)  # hyphens, dashes and the minus sign
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def rule_named(reason: str) -> Rule | None:
    """The rule a step's reason names, or None (prose)."""
    text = re.sub(r"^(by|using|from|via) ", "", _normal(reason))
    termwise = False
    for word in _TERMWISE:
        for pattern in (rf"^{word} ?,? ?(by )?", rf" ?,? ?{word}$"):
            shorter = re.sub(pattern, "", text)
            if shorter != text:
                text, termwise = shorter, True
    text = re.sub(r"^the ", "", text)
    text = re.sub(r" (inequality|lemma|bound)$", "", text)
    if termwise and not text:
        return Termwise()
    lemma = _NAMES.get(text.replace(" ", ""))
    if lemma is None:
        return None
    rule = lemma()
    return Termwise(by=rule) if termwise else rule
