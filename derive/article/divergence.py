"""Section 3 of the article: relative entropy (KL divergence) and cross entropy (C6-C9).

>>> [d.name for d in DERIVATIONS if d.expect == "erratum"]
['kl-jensen-as-written']
"""

from __future__ import annotations

import sympy

from derive.article.common import cross_entropy, entropy, gaussian, kl, on_simplex, probability_vector
from derive.claim import Domain, positive, reals
from derive.derivation import Derivation, eq, ge, same_argmax
from derive.functions import Expectation
from derive.registry import register, register_section
from derive.rules import Jensen

SECTION = "divergence"
register_section(SECTION, "Relative entropy and cross entropy", rank=3)
x = sympy.Symbol("x", real=True)
t = sympy.Symbol("t")
mu1, mu2, s1, s2 = sympy.symbols("mu1 mu2 sigma1 sigma2")
minus_log = sympy.Lambda(t, -sympy.log(t))
log = sympy.Lambda(t, sympy.log(t))


def _pair(n: int) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...], Domain]:
    p, q = probability_vector("p", n), probability_vector("q", n)
    return p, q, on_simplex(Domain(), p, q)


def _decomposition(n: int) -> Derivation:
    p, q, domain = _pair(n)
    return Derivation(
        name=f"kl-decomposition-{n}",
        title=f"KL divergence is cross entropy minus entropy ({n} outcomes)",
        source=("C6", "C9"),
        section=SECTION,
        start=kl(p, q),
        steps=(
            eq(-sum(pi * sympy.log(qi) for pi, qi in zip(p, q, strict=True)) - entropy(p), "log(p/q) = log p - log q"),
            eq(cross_entropy(p, q) - entropy(p), "H(p, q) = -sum p log q"),
        ),
        domain=domain,
    )


def _gibbs(n: int) -> Derivation:
    p, q, domain = _pair(n)
    ratios = tuple(qi / pi for pi, qi in zip(p, q, strict=True))
    return Derivation(
        name=f"kl-nonnegative-{n}",
        title=f"KL divergence is nonnegative, through Jensen with -log convex ({n} outcomes; C8 corrected)",
        source=("C7", "C8"),
        section=SECTION,
        start=kl(p, q),
        steps=(
            eq(sum(pi * -sympy.log(r) for pi, r in zip(p, ratios, strict=True)), "log(p/q) = -log(q/p)"),
            ge(
                -sympy.log(sum(pi * r for pi, r in zip(p, ratios, strict=True))),
                Jensen(minus_log, p, ratios, on=positive()),
            ),
            eq(-sympy.log(sum(q)), "p_i * q_i/p_i = q_i"),
            eq(0, "q sums to 1"),
        ),
        domain=domain,
        note="The article applies Jensen to log, which is concave, in the convex direction; "
        "the correct route writes log(p/q) = -log(q/p) and uses the convex -log.",
    )


P2, Q2, PAIR2 = _pair(2)
P3, Q3, PAIR3 = _pair(3)

DERIVATIONS = [
    *(_decomposition(n) for n in (2, 3, 5)),
    Derivation(
        name="kl-gaussians",
        title="KL divergence between two Gaussians, integrated, matches the closed form",
        source=("C6",),
        section=SECTION,
        start=sympy.Integral(
            gaussian(x, mu1, s1) * sympy.log(gaussian(x, mu1, s1) / gaussian(x, mu2, s2)), (x, -sympy.oo, sympy.oo)
        ),
        steps=(eq(sympy.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - sympy.Rational(1, 2), "integrate"),),
        domain=Domain.of(mu1=reals(), mu2=reals(), sigma1=positive(), sigma2=positive()),
    ),
    Derivation(
        name="kl-jensen-as-written",
        title="The article's proof that KL >= 0, as written (2 outcomes; an erratum)",
        source=("C8",),
        section=SECTION,
        start=kl(P2, Q2),
        steps=(
            eq(
                Expectation(
                    sympy.Tuple(*P2), sympy.Tuple(*(sympy.log(pi / qi) for pi, qi in zip(P2, Q2, strict=True)))
                ),
                "the article: KL = E_p[log(p/q)]",
            ),
            ge(
                sympy.log(sum(pi * (pi / qi) for pi, qi in zip(P2, Q2, strict=True))),
                Jensen(log, P2, tuple(pi / qi for pi, qi in zip(P2, Q2, strict=True)), on=positive()),
            ),
            eq(-sympy.log(sum(pi * (qi / pi) for pi, qi in zip(P2, Q2, strict=True))), "the article"),
            eq(-sympy.log(sum(Q2)), "p * q/p = q"),
            eq(0, "q sums to 1"),
        ),
        domain=PAIR2,
        expect="erratum",
        erratum_steps=(2, 3),
        corrected_by=("kl-nonnegative-2", "kl-nonnegative-3"),
        note="Step 2: log is concave, so E log(p/q) <= log E(p/q), the opposite of the article's >=. "
        "Step 3: log E_p[p/q] = log sum p^2/q is not -log E_p[q/p]. See kl-nonnegative-n.",
    ),
    *(_gibbs(n) for n in (2, 3, 5)),
    Derivation(
        name="kl-zero-for-equal-distributions",
        title="KL(p || p) = 0 (3 outcomes)",
        source=("C7",),
        section=SECTION,
        start=kl(P3, P3),
        steps=(eq(0, "log 1 = 0"),),
        domain=on_simplex(Domain(), P3),
    ),
    Derivation(
        name="kl-positive-for-different-distributions",
        title="KL(p || q) >= 2 (p - q)^2 on two outcomes (Pinsker), so it is positive whenever p != q",
        source=("C7",),
        section=SECTION,
        start=kl(P2, Q2),
        steps=(ge(2 * (P2[0] - Q2[0]) ** 2, "Pinsker's inequality"),),
        domain=PAIR2,
    ),
    Derivation(
        name="kl-minimised-by-cross-entropy",
        title="With p fixed, minimising KL(p || q) over q is minimising the cross entropy H(p, q) (3 outcomes)",
        source=("C9",),
        section=SECTION,
        start=-kl(P3, Q3),
        steps=(
            eq(-cross_entropy(P3, Q3) + entropy(P3), "KL = H(p, q) - H(p)"),
            same_argmax(-cross_entropy(P3, Q3), "H(p) does not depend on q"),
        ),
        domain=PAIR3,
        over=tuple(s.name for s in Q3),
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
