"""The article's derivations, one module per section (see ``../shared/article/CLAIMS.md``).

>>> from derive.registry import derivations
>>> sorted({d.section for d in derivations()} - {"examples"})
['divergence', 'entropy', 'gradients', 'likelihood']
"""

from derive.article import divergence, entropy, gradients, likelihood

__all__ = ["divergence", "entropy", "gradients", "likelihood"]
