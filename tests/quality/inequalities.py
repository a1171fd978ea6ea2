"""A corpus of real inequalities with log, exp, sqrt and friends, for proof power.

Three lists of ``(text, assumptions, note)`` in derive's text syntax
(``derive.parsing.parse_claim(text, assumptions)``):

- ``TRUE``: inequalities that hold on the whole stated domain (information theory,
  ML losses, classical analysis), some with equality points, some on unbounded
  domains, a few of general size (``Sum`` over ``p in simplex(n)``). The note says
  where it comes from or why it holds. None may ever be refuted; the fraction proved
  (not only tested) is what the issue "Proof power: inequalities with log, exp and
  sqrt proved, not just tested" wants raised.
- ``FALSE``: inequalities close to true ones (a constant off by a little, a reversed
  direction, a domain too large). Each must be refuted with a counterexample. The
  note begins with a point where the claim fails, ``name = value, ...:`` (values in
  SymPy syntax; entries of general-size families as ``p[1]``), then why; the test
  module checks at that point, in high precision, that the claim does fail there.
- ``HELD_BACK_TRUE``: 20 further true inequalities in the style of the MetiTarski
  benchmark (transcendental functions against rational or algebraic bounds on
  bounded or unbounded real intervals). HELD BACK: nobody tunes the engine on these;
  they measure whether what was built for ``TRUE`` generalises. Do not add rules or
  special cases aimed at them; when an engine change makes one proved, that is the
  signal, not the target.

Every item was checked by hand (the argument in its note) and numerically with
mpmath at 30 digits on dense grids of its domain (2026-11-24).
"""

from __future__ import annotations

Item = tuple[str, list[str], str]

POS = ["x > 0"]
POS_XY = ["x > 0", "y > 0"]
POS_XYZ = ["x > 0", "y > 0", "z > 0"]
UNIT_P = ["0 < p < 1"]
UNIT_PQ = ["0 < p < 1", "0 < q < 1"]
SIMPLEX_N = ["p in simplex(n)", "q in simplex(n)"]
BINARY_KL = "p*log(p/q) + (1 - p)*log((1 - p)/(1 - q))"
BINARY_H = "-p*log(p) - (1 - p)*log(1 - p)"

TRUE: list[Item] = [
    # --- classical analysis: log and exp against their tangents and chords
    ("log(x) <= x - 1", POS, "tangent at 1 of the concave log; equality at x = 1"),
    ("exp(x) >= 1 + x", [], "tangent at 0 of the convex exp; equality at x = 0; all reals"),
    ("x - 1 - log(x) >= 0", POS, "log(x) <= x - 1 rearranged; equality at 1"),
    ("log(1 + x) <= x", ["x > -1"], "log(t) <= t - 1 at t = 1 + x; equality at 0"),
    ("x/(1 + x) <= log(1 + x)", ["x > -1"], "f = log(1+x) - x/(1+x) has f' = x/(1+x)^2, minimum f(0) = 0"),
    ("log(x) >= 1 - 1/x", POS, "log(1/x) <= 1/x - 1; equality at 1"),
    ("x*log(x) >= x - 1", POS, "f = x log x - x + 1 has f' = log x, minimum f(1) = 0"),
    ("log(x) <= 2*(sqrt(x) - 1)", POS, "log(sqrt x) <= sqrt x - 1; equality at 1"),
    ("log(x) >= 2*(1 - 1/sqrt(x))", POS, "log(1/sqrt x) <= 1/sqrt x - 1; equality at 1"),
    ("log(x) <= x/E", POS, "tangent line through the origin; equality at x = E (a transcendental point)"),
    ("log(x) <= (x - 1)/sqrt(x)", ["x >= 1"], "logarithmic-geometric mean inequality; equality at 1"),
    ("log(x) >= 2*(x - 1)/(x + 1)", ["x >= 1"], "logarithmic-arithmetic mean inequality; equality at 1"),
    ("log(1 + x) >= 2*x/(2 + x)", ["x >= 0"], "f' = x^2/((1+x)(2+x)^2) >= 0, f(0) = 0"),
    ("log(1 + x) >= x - x**2/2", ["x >= 0"], "alternating Taylor bound; f' = x^2/(1+x) >= 0"),
    ("exp(x) >= 1 + x + x**2/2", ["x >= 0"], "Taylor with a nonnegative remainder; equality at 0"),
    ("exp(x) <= 1/(1 - x)", ["x < 1"], "exp(x)(1 - x) has derivative -x exp(x), maximum 1 at 0; unbounded below"),
    ("exp(-x) <= 1/(1 + x)", ["x >= 0"], "exp(x) >= 1 + x, inverted; equality at 0"),
    ("exp(x) >= E*x", [], "tangent at 1; equality at x = 1; all reals"),
    ("x*exp(-x) <= exp(-1)", [], "maximum at x = 1; all reals (negative for x < 0)"),
    ("exp(x) - 1 <= x*exp(x)", [], "g = x e^x - e^x + 1 has g' = x e^x, minimum g(0) = 0; all reals"),
    ("exp(x) + exp(-x) >= 2", [], "AM-GM on exp(x), exp(-x); equality at 0"),
    ("x**x >= exp(-exp(-1))", POS, "minimum of x log x is -1/E at x = 1/E"),
    ("(1 + x)**3 >= 1 + 3*x", ["x >= -1"], "Bernoulli: difference x^2 (3 + x) >= 0; equality at 0"),
    # --- trigonometric and hyperbolic
    ("sin(x) <= x", ["x >= 0"], "sin' = cos <= 1; equality at 0"),
    ("sin(x) >= x - x**3/6", ["x >= 0"], "integrate 1 - cos(t) <= t^2/2 twice"),
    ("cos(x) >= 1 - x**2/2", [], "integrate sin(t) <= t on t >= 0, even function; all reals"),
    ("abs(sin(x)) <= abs(x)", [], "sin(x) <= x on x >= 0, odd function; all reals"),
    ("2*x/pi <= sin(x)", ["0 <= x <= pi/2"], "Jordan's inequality (sin concave on [0, pi/2]); equality at both ends"),
    ("tan(x) >= x", ["0 <= x < pi/2"], "tan' = 1 + tan^2 >= 1; equality at 0"),
    ("cos(x) <= sin(x)/x", ["0 < x <= pi/2"], "x cos x <= sin x since (sin x - x cos x)' = x sin x >= 0"),
    ("atan(x) <= x", ["x >= 0"], "atan' = 1/(1 + x^2) <= 1; equality at 0"),
    ("atan(x) >= x/(1 + x**2)", ["x >= 0"], "difference has derivative 2x^2/(1+x^2)^2 >= 0"),
    ("cosh(x) >= 1 + x**2/2", [], "even Taylor series with nonnegative terms; all reals"),
    ("tanh(x) <= x", ["x >= 0"], "tanh' = 1 - tanh^2 <= 1"),
    ("abs(tanh(x)) <= abs(x)", [], "tanh(x) <= x on x >= 0, odd function; all reals"),
    ("tanh(x) >= x - x**3/3", ["x >= 0"], "difference has derivative x^2 - tanh(x)^2 >= 0"),
    ("log(cosh(x)) <= x**2/2", [], "cosh(x) <= exp(x^2/2) termwise (2k)! >= 2^k k!; the log-cosh loss"),
    ("log(cosh(x)) >= abs(x) - log(2)", [], "cosh(x) >= exp(|x|)/2; all reals"),
    # --- ML losses and activations
    ("sigmoid(z)*(1 - sigmoid(z)) <= 1/4", [], "s(1 - s) <= 1/4 for any s; equality at z = 0"),
    ("log(1 + exp(x)) >= x", [], "softplus above the identity; all reals"),
    ("log(1 + exp(x)) >= 0", [], "softplus is positive; all reals"),
    ("log(1 + exp(x)) <= log(2) + abs(x)", [], "x + log(1 + exp(-x)) for x >= 0; all reals"),
    ("log(1 + exp(x)) <= log(2) + max(x, 0)", [], "tighter than the abs form; equality at 0"),
    ("-log(sigmoid(z)) >= -z", [], "logistic loss log(1 + exp(-z)) >= -z"),
    ("-log(sigmoid(z)) >= 0", [], "the logistic loss is nonnegative"),
    ("log(1 + exp(-z))/log(2) >= 1", ["z <= 0"], "logistic loss in bits bounds the 0-1 loss; equality at 0"),
    ("sigmoid(x) <= exp(x)", [], "1 <= exp(x) + 1 after clearing denominators; all reals"),
    ("sigmoid(x) <= 1/2 + x/4", ["x >= 0"], "sigmoid is concave on x >= 0, tangent at 0"),
    ("sigmoid(x) >= 1/2 + x/4 - x**3/48", ["x >= 0"], "sigmoid(x) - 1/2 = tanh(x/2)/2 and tanh(t) >= t - t^3/3"),
    ("sqrt(1 + x**2) - 1 <= x**2/2", [], "pseudo-Huber below the squared loss; sqrt(1 + u) <= 1 + u/2"),
    ("sqrt(1 + x**2) - 1 <= abs(x)", [], "pseudo-Huber below the absolute loss"),
    # --- means, AM-GM, Cauchy-Schwarz, Young
    ("sqrt(x*y) <= (x + y)/2", POS_XY, "AM-GM with two variables; equality at x = y"),
    ("2/(1/x + 1/y) <= sqrt(x*y)", POS_XY, "HM-GM; equality at x = y"),
    ("(x + y)/2 <= sqrt((x**2 + y**2)/2)", [], "AM-QM; all reals (trivial when x + y < 0)"),
    ("x**2 + y**2 >= 2*x*y", [], "(x - y)^2 >= 0"),
    ("(x*y*z)**(1/3) <= (x + y + z)/3", POS_XYZ, "AM-GM with three variables"),
    ("x*y*z <= ((x + y + z)/3)**3", POS_XYZ, "AM-GM with three variables, polynomial form"),
    ("(a*x + b*y)**2 <= (a**2 + b**2)*(x**2 + y**2)", [], "Cauchy-Schwarz, 2 terms; Lagrange identity"),
    ("(a*x + b*y + c*z)**2 <= (a**2 + b**2 + c**2)*(x**2 + y**2 + z**2)", [], "Cauchy-Schwarz, 3 terms"),
    ("sqrt(x**2 + y**2) <= abs(x) + abs(y)", [], "the 2-norm is below the 1-norm"),
    ("sqrt(x**2 + y**2) >= (abs(x) + abs(y))/sqrt(2)", [], "the 1-norm is at most sqrt(2) times the 2-norm"),
    ("x**t*y**(1 - t) <= t*x + (1 - t)*y", ["x > 0", "y > 0", "0 < t < 1"], "weighted AM-GM (concavity of log)"),
    ("x*y <= exp(x) + y*log(y) - y", ["y > 0"], "Fenchel-Young for exp, whose conjugate is y log y - y"),
    ("sqrt(1 + x) <= 1 + x/2", ["x >= -1"], "sqrt is concave, tangent at 1"),
    ("sqrt(x) >= x", ["0 <= x <= 1"], "x <= 1 implies x^2 <= x; equality at 0 and 1"),
    # --- information theory, two and three outcomes
    (f"{BINARY_H} <= log(2)", UNIT_P, "binary entropy is at most log 2; equality at p = 1/2"),
    (f"{BINARY_H} >= 0", UNIT_P, "entropy is nonnegative"),
    (f"{BINARY_H} >= 4*log(2)*p*(1 - p)", UNIT_P, "h(p) >= 4p(1-p) in bits; equality at 1/2"),
    (f"{BINARY_H} <= 2*log(2)*sqrt(p*(1 - p))", UNIT_P, "h(p) <= 2 sqrt(p(1-p)) in bits; equality at 1/2"),
    (f"{BINARY_H} >= 2*log(2)*min(p, 1 - p)", UNIT_P, "concavity of h between 0, 1/2 and 1"),
    (f"{BINARY_KL} >= 2*(p - q)**2", UNIT_PQ, "Pinsker on two outcomes (TV = |p - q|); equality at p = q"),
    (f"{BINARY_KL} >= 0", UNIT_PQ, "Gibbs on two outcomes"),
    (f"{BINARY_KL} <= (p - q)**2/(q*(1 - q))", UNIT_PQ, "KL <= chi-square, from log(t) <= t - 1"),
    (f"{BINARY_KL} >= -2*log(sqrt(p*q) + sqrt((1 - p)*(1 - q)))", UNIT_PQ, "KL >= Bhattacharyya (Jensen)"),
    (
        "(sqrt(p) - sqrt(q))**2 + (sqrt(1 - p) - sqrt(1 - q))**2 <= 2*abs(p - q)",
        UNIT_PQ,
        "squared Hellinger <= 2 TV: (sqrt p - sqrt q)^2 <= |p - q|",
    ),
    (
        "-p*log(q) - (1 - p)*log(1 - q) >= -p*log(p) - (1 - p)*log(1 - p)",
        UNIT_PQ,
        "cross-entropy >= entropy (Gibbs); equality at q = p",
    ),
    (
        "a1*log(a1/b1) + a2*log(a2/b2) >= (a1 + a2)*log((a1 + a2)/(b1 + b2))",
        ["a1 > 0", "a2 > 0", "b1 > 0", "b2 > 0"],
        "log-sum inequality, two terms; equality when a1/b1 = a2/b2",
    ),
    ("-p1*log(p1) - p2*log(p2) - p3*log(p3) <= log(3)", ["p1, p2, p3 simplex"], "entropy of 3 outcomes <= log 3"),
    (
        "p1*log(p1/q1) + p2*log(p2/q2) + p3*log(p3/q3) >= 0",
        ["p1, p2, p3 simplex", "q1, q2, q3 simplex"],
        "Gibbs on three outcomes",
    ),
    # --- MetiTarski-style, bounded domains
    ("-log(1 - x) >= x", ["0 < x < 1"], "log(1 - x) <= -x"),
    ("-log(1 - x) <= x/(1 - x)", ["0 <= x < 1"], "log(1/(1-x)) <= 1/(1-x) - 1; equality at 0"),
    ("sin(x)/x >= 1 - x**2/6", ["0 < x <= 2"], "sin(x) >= x - x^3/6 divided by x > 0"),
    # --- general size (text syntax with Sum over a family of length n)
    ("Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) >= 0", SIMPLEX_N, "Gibbs' inequality for every n"),
    ("-Sum(p[i]*log(p[i]), (i, 1, n)) <= log(n)", ["p in simplex(n)"], "entropy at most log n (Jensen)"),
    ("-Sum(p[i]*log(q[i]), (i, 1, n)) >= -Sum(p[i]*log(p[i]), (i, 1, n))", SIMPLEX_N, "cross-entropy >= entropy"),
    ("Sum(p[i]**2, (i, 1, n)) >= 1/n", ["p in simplex(n)"], "Cauchy-Schwarz with the all-ones vector"),
    ("Sum(x[i], (i, 1, n))**2 <= n*Sum(x[i]**2, (i, 1, n))", [], "Cauchy-Schwarz, general n"),
    ("log(Sum(exp(x[i]), (i, 1, n))) >= Sum(x[i], (i, 1, n))/n", [], "log-sum-exp above the mean (Jensen)"),
]

FALSE: list[Item] = [
    # --- a constant off by a little
    ("log(x) <= x - 1 - 1/100", POS, "x = 1: lhs 0 > rhs -1/100"),
    ("exp(x) >= 1 + x + 1/1000", [], "x = 0: lhs 1 < rhs 1.001"),
    ("x*log(x) >= x - 1 + 1/100", POS, "x = 1: lhs 0 < rhs 1/100"),
    ("log(x) <= x/E - 1/1000", POS, "x = 27/10: lhs 0.99325 > rhs 0.99227 (equality point E of the true one)"),
    ("x*exp(-x) <= exp(-1) - 1/1000", [], "x = 1: lhs 0.36788 > rhs 0.36688"),
    ("exp(x) >= E*x + 1/1000", [], "x = 1: lhs E < rhs E + 0.001"),
    ("x**x >= exp(-exp(-1)) + 1/1000", POS, "x = 37/100: lhs 0.69221 < rhs 0.69320"),
    ("log(x) <= 2*(sqrt(x) - 1) - 1/100", POS, "x = 1: lhs 0 > rhs -1/100"),
    (f"{BINARY_H} <= log(2) - 1/100", UNIT_P, "p = 1/2: lhs log 2 > rhs log 2 - 0.01"),
    (f"{BINARY_KL} >= 21*(p - q)**2/10", UNIT_PQ, "p = 3/5, q = 1/2: lhs 0.020136 < rhs 0.021 (Pinsker is tight)"),
    ("sigmoid(z)*(1 - sigmoid(z)) <= 24/100", [], "z = 0: lhs 1/4 > rhs 0.24"),
    ("log(1 + exp(x)) >= x + 1/100", [], "x = 10: lhs - x = 4.54e-5 < 0.01"),
    ("cosh(x) >= 1 + x**2/2 + x**4/20", [], "x = 1: lhs 1.54308 < rhs 1.55"),
    ("cos(x) >= 1 - x**2/2 + x**4/20", [], "x = 1: lhs 0.54030 < rhs 0.55"),
    ("exp(-x) <= 1/(1 + x + x**2)", ["x >= 0"], "x = 1: lhs 0.36788 > rhs 1/3"),
    ("sqrt(1 + x) <= 1 + x/2 - x**2/10", ["x >= 0"], "x = 4: lhs 2.23607 > rhs 1.4"),
    (f"{BINARY_KL} <= (p - q)**2/(2*q*(1 - q))", UNIT_PQ, "p = 9/10, q = 1/2: lhs 0.36806 > rhs 0.32 (KL vs chi^2/2)"),
    ("(a*x + b*y)**2 <= (a**2 + b**2)*(x**2 + y**2)/2", [], "a = 1, b = 0, x = 1, y = 0: lhs 1 > rhs 1/2"),
    ("abs(sin(x)) <= abs(x) - 1/1000", [], "x = 0: lhs 0 > rhs -0.001"),
    # --- a reversed direction
    ("log(x) >= x - 1", POS, "x = 2: lhs 0.69315 < rhs 1"),
    ("log(cosh(x)) >= x**2/2", [], "x = 1: lhs 0.43378 < rhs 1/2"),
    (f"{BINARY_H} >= 2*log(2)*sqrt(p*(1 - p))", UNIT_P, "p = 1/4: lhs 0.56234 < rhs 0.60028"),
    (
        "a1*log(a1/b1) + a2*log(a2/b2) <= (a1 + a2)*log((a1 + a2)/(b1 + b2))",
        ["a1 > 0", "a2 > 0", "b1 > 0", "b2 > 0"],
        "a1 = 1, a2 = 2, b1 = 1, b2 = 1: lhs 1.38629 > rhs 1.21640",
    ),
    ("x*y*z >= ((x + y + z)/3)**3", POS_XYZ, "x = 1, y = 1, z = 2: lhs 2 < rhs 64/27"),
    ("log(1 + exp(-z))/log(2) >= max(0, 1 - z)", [], "z = -1: lhs 1.89464 < rhs 2 (logistic loss in bits vs hinge)"),
    # --- a domain too large
    ("log(1 + x) >= x/2", POS, "x = 10: lhs 2.39790 < rhs 5 (true only for small x)"),
    ("sin(x) <= x", [], "x = -1: lhs -0.84147 > rhs -1"),
    ("sqrt(x**2) <= x", [], "x = -1: lhs 1 > rhs -1"),
    ("tanh(x) <= x", [], "x = -1: lhs -0.76159 > rhs -1"),
    ("atan(x) <= x", [], "x = -1: lhs -0.78540 > rhs -1"),
    ("sin(x) >= x - x**3/6", [], "x = -1: lhs -0.84147 < rhs -0.83333"),
    ("tanh(x) >= x - x**3/3", [], "x = -1: lhs -0.76159 < rhs -0.66667"),
    ("log(1 + x) >= 2*x/(2 + x)", ["x > -1"], "x = -1/2: lhs -0.69315 < rhs -0.66667"),
    ("log(1 + exp(x)) <= log(2) + x", [], "x = -1: lhs 0.31326 > rhs -0.30685 (abs(x) dropped)"),
    ("sigmoid(x) <= 1/2 + x/4", [], "x = -1: lhs 0.26894 > rhs 1/4"),
    ("(1 + x)**3 >= 1 + 3*x", ["x >= -4"], "x = -4: lhs -27 < rhs -11"),
    ("exp(x) <= 1/(1 - x)", ["x < 2"], "x = 3/2: lhs 4.48169 > rhs -2"),
    ("sqrt(x*y) <= (x + y)/2", [], "x = -1, y = -1: lhs 1 > rhs -1"),
    ("tan(x) >= x", ["-pi/2 < x < pi/2"], "x = -1: lhs -1.55741 < rhs -1"),
    ("2*x/pi <= sin(x)", ["0 <= x <= pi"], "x = 3: lhs 1.90986 > rhs 0.14112"),
    ("cos(x) <= sin(x)/x", ["0 < x < 6"], "x = 5: lhs 0.28366 > rhs -0.19178 (x cos x <= sin x ends at 4.4934)"),
    # --- general size
    ("Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) >= 1/100", SIMPLEX_N, "n = 1, p[1] = 1, q[1] = 1: lhs 0 < rhs 1/100"),
    ("-Sum(p[i]*log(p[i]), (i, 1, n)) <= log(n) - 1/100", ["p in simplex(n)"], "n = 1, p[1] = 1: lhs 0 > rhs -1/100"),
    ("Sum(p[i]**2, (i, 1, n)) >= 2/(n + 1)", ["p in simplex(n)"], "n = 2, p[1] = 1/2, p[2] = 1/2: lhs 1/2 < rhs 2/3"),
]

HELD_BACK_TRUE: list[Item] = [
    # HELD BACK (see the module docstring): MetiTarski-style problems, never tuned on.
    ("log(1 + x) <= x*(6 + x)/(6 + 4*x)", ["x >= 0"], "Pade-type upper bound of log(1+x); equality at 0"),
    ("log(1 + x) <= x*(2 + x)/(2*(1 + x))", ["x >= 0"], "log(t) <= (t - 1/t)/2 for t >= 1"),
    ("log(x) >= (x**2 - 1)/(2*x)", ["0 < x <= 1"], "log(t) <= (t - 1/t)/2 for t >= 1, at t = 1/x"),
    ("log(x) >= (x - 1)/sqrt(x)", ["0 < x <= 1"], "log(t) <= (t - 1)/sqrt(t) for t >= 1, at t = 1/x"),
    ("log(1 + x) <= x/sqrt(1 + x)", ["x >= 0"], "logarithmic-geometric mean inequality"),
    ("exp(x) <= 1 + x + x**2", ["0 <= x <= 1"], "(1 + x + x^2 - e^x)' = 1 + 2x - e^x >= 0 on [0, 1]"),
    ("exp(x) <= (2 + x)/(2 - x)", ["0 <= x < 2"], "log((2+x)/(2-x)) = 2 atanh(x/2) >= x"),
    ("exp(-x) <= 1 - x + x**2/2", ["x >= 0"], "alternating Taylor bound"),
    ("exp(-x) >= 1 - x + x**2/2 - x**3/6", ["x >= 0"], "alternating Taylor bound"),
    ("x/(1 + x) <= 1 - exp(-x)", ["x >= 0"], "exp(-x) <= 1/(1 + x)"),
    ("tan(x) >= x + x**3/3", ["0 <= x < pi/2"], "the Taylor series of tan has positive coefficients"),
    ("sin(x) >= x*(pi - x)/pi", ["0 <= x <= pi"], "sin concave on [0, pi], the parabola's chord bound"),
    ("cos(x) <= 1 - x**2/2 + x**4/24", [], "alternating Taylor bound; all reals"),
    ("atan(x) >= 3*x/(1 + 2*sqrt(1 + x**2))", ["x >= 0"], "Shafer's inequality"),
    ("asin(x) <= x/sqrt(1 - x**2)", ["0 <= x < 1"], "tan(t) >= t at t = asin(x)"),
    ("sqrt(1 + x) >= 1 + x/2 - x**2/8", ["x >= 0"], "Taylor with positive third derivative"),
    ("sqrt(1 - x**2) <= 1 - x**2/2", ["-1 <= x <= 1"], "sqrt(1 - u) <= 1 - u/2"),
    ("tanh(x) >= x/(1 + x)", ["x >= 0"], "equivalent to exp(2x) >= 1 + 2x"),
    ("sinh(x) >= x + x**3/6", ["x >= 0"], "Taylor series with nonnegative terms"),
    ("erf(x) >= sqrt(1 - exp(-x**2))", ["x >= 0"], "Polya-type lower bound of erf"),
]
