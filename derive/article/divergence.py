"""Section 3 of the article: relative entropy (KL divergence) and cross entropy (C6-C9).

Every claim is derived for distributions ``p`` and ``q`` on n outcomes; Pinsker's
inequality on two outcomes and two Gaussians are extra, concrete examples.

>>> [d.name for d in DERIVATIONS if d.expect == "erratum"]
['kl-jensen-as-written']
"""

from __future__ import annotations

import sympy

from derive.article.common import P, Q, gaussian, i, n, on_fixed_simplex, on_simplex, probability_vector, total, vector
from derive.claim import Domain, positive, reals
from derive.derivation import Derivation, eq, ge, same_argmax
from derive.functions import KL, CrossEntropy, Entropy, Expectation
from derive.registry import register, register_section
from derive.rules import Jensen, Monotone
from derive.writing import written

SECTION = "divergence"
register_section(SECTION, "Relative entropy and cross entropy", rank=3)
x = sympy.Symbol("x", real=True)
t = sympy.Symbol("t")
mu1, mu2, s1, s2 = sympy.symbols("mu1 mu2 sigma1 sigma2")
minus_log = sympy.Lambda(t, -sympy.log(t))
log = sympy.Lambda(t, sympy.log(t))
p, q = vector("p"), vector("q")
PAIR = on_simplex(Domain(), "p", "q")
P2, Q2 = probability_vector("p", 2), probability_vector("q", 2)
with written():  # as the article writes them (checked evaluated)
    LOG_DIFFERENCE = total(P[i] * sympy.log(P[i])) - total(P[i] * sympy.log(Q[i]))
    JENSEN_AS_WRITTEN = sympy.log(total(P[i] * (P[i] / Q[i])))
    MINUS_LOG_RATIO = total(P[i] * -sympy.log(Q[i] / P[i]))
    JENSEN_MINUS_LOG = -sympy.log(total(P[i] * (Q[i] / P[i])))
    TOTAL_Q = -sympy.log(total(Q[i]))
    DECOMPOSED = Entropy(p) - CrossEntropy(p, q)
    KL_GAUSSIANS = sympy.Integral(
        gaussian(x, mu1, s1) * sympy.log(gaussian(x, mu1, s1) / gaussian(x, mu2, s2)), (x, -sympy.oo, sympy.oo)
    )
    KL_GAUSSIANS_CLOSED = sympy.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - sympy.Rational(1, 2)

DERIVATIONS = [
    Derivation(
        name="kl-decomposition",
        title="KL divergence is cross entropy minus entropy (n outcomes)",
        source=("C6", "C9"),
        section=SECTION,
        start=KL(p, q),
        steps=(
            eq(total(P[i] * sympy.log(P[i] / Q[i])), r"$D_{KL}(p \| q) = \sum_i p_i \log(p_i / q_i)$"),
            eq(LOG_DIFFERENCE, r"$\log(p/q) = \log p - \log q$"),
            eq(CrossEntropy(p, q) - Entropy(p), r"$H(p, q) = -\sum_i p_i \log q_i$, $H(p) = -\sum_i p_i \log p_i$"),
        ),
        domain=PAIR,
    ),
    Derivation(
        name="kl-gaussians",
        title="KL divergence between two Gaussians, integrated, matches the closed form",
        source=("C6",),
        section=SECTION,
        start=KL_GAUSSIANS,
        steps=(eq(KL_GAUSSIANS_CLOSED, "integrate"),),
        domain=Domain.of(mu1=reals(), mu2=reals(), sigma1=positive(), sigma2=positive()),
    ),
    Derivation(
        name="kl-jensen-as-written",
        title=r"The article's proof that $D_{KL}(p \| q) \ge 0$, as written (n outcomes; an erratum)",
        source=("C8",),
        section=SECTION,
        start=KL(p, q),
        steps=(
            eq(Expectation(p, sympy.Lambda(i, sympy.log(P[i] / Q[i]))), r"the article: $D_{KL} = E_p[\log(p/q)]$"),
            ge(
                JENSEN_AS_WRITTEN,
                Jensen(log, sympy.Lambda(i, P[i]), sympy.Lambda(i, P[i] / Q[i]), on=positive(), length=n),
            ),
            eq(JENSEN_MINUS_LOG, "the article"),
            eq(TOTAL_Q, r"$p_i q_i / p_i = q_i$"),
            eq(0, "q sums to 1"),
        ),
        domain=PAIR,
        expect="erratum",
        erratum_steps=(2, 3),
        corrected_by=("kl-nonnegative",),
        note=r"Step 2: log is concave, so $E \log(p/q) \le \log E(p/q)$, the opposite of the article's $\ge$. "
        r"Step 3: $\log E_p[p/q] = \log \sum_i p_i^2/q_i$ is not $-\log E_p[q/p]$. Both hold for n = 1 and fail "
        r"from n = 2. "
        "See kl-nonnegative.",
    ),
    Derivation(
        name="kl-nonnegative",
        title=r"KL divergence is nonnegative, through Jensen with $-\log$ convex (n outcomes; C8 corrected)",
        source=("C7", "C8"),
        section=SECTION,
        start=KL(p, q),
        steps=(
            eq(MINUS_LOG_RATIO, r"$\log(p/q) = -\log(q/p)$"),
            ge(
                JENSEN_MINUS_LOG,
                Jensen(minus_log, sympy.Lambda(i, P[i]), sympy.Lambda(i, Q[i] / P[i]), on=positive(), length=n),
            ),
            eq(TOTAL_Q, r"$p_i q_i / p_i = q_i$"),
            eq(0, "q sums to 1"),
        ),
        domain=PAIR,
        note="The article applies Jensen to log, which is concave, in the convex direction; "
        r"the correct route writes $\log(p/q) = -\log(q/p)$ and uses the convex $-\log$.",
    ),
    Derivation(
        name="kl-zero-for-equal-distributions",
        title=r"$D_{KL}(p \| p) = 0$ (n outcomes)",
        source=("C7",),
        section=SECTION,
        start=KL(p, p),
        steps=(eq(0, r"$\log(p_i / p_i) = \log 1 = 0$"),),
        domain=on_simplex(Domain(), "p"),
    ),
    Derivation(
        name="kl-positive-for-different-distributions",
        title=r"$D_{KL}(p \| q) \ge 2 (p_1 - q_1)^2$ on two outcomes (Pinsker), so it is positive whenever $p \ne q$",
        source=("C7",),
        section=SECTION,
        start=KL(sympy.Tuple(*P2), sympy.Tuple(*Q2)),
        steps=(ge(2 * (P2[0] - Q2[0]) ** 2, "Pinsker's inequality"),),
        domain=on_fixed_simplex(Domain(), P2, Q2),
    ),
    Derivation(
        name="kl-minimised-by-cross-entropy",
        title=r"With p fixed, minimising $D_{KL}(p \| q)$ over q is minimising the cross entropy $H(p, q)$ (n "
        r"outcomes)",
        source=("C9",),
        section=SECTION,
        start=-KL(p, q),
        steps=(
            eq(DECOMPOSED, r"$D_{KL}(p \| q) = H(p, q) - H(p)$"),
            same_argmax(
                -CrossEntropy(p, q),
                Monotone(sympy.Lambda(t, t - Entropy(p)), reals(), "subtracting H(p), which does not depend on q"),
            ),
        ),
        domain=PAIR,
        over=("q",),
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
