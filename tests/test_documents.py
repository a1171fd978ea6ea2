r"""``derive check`` on Markdown and LaTeX documents, end to end through ``derive.cli.main``.

The corpus is tests/documents/: good.md, good.tex and fixed.md hold (exit 0);
planted.md and planted.tex carry errors planted at known lines (exit 1), and every report
line they produce is pinned exactly; unreadable.md has displays derive cannot read
(warnings, a failure only under --strict). Malformed documents are written to tmp_path
by the tests. Checks run from inside the corpus folder so that paths print short.

Runs of corpus files are memoised per test process (each costs seconds of real checking).
"""

# ruff: noqa: E501  (the report lines pinned here are long, and each is one line)
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from derive.cli import main

CORPUS = Path(__file__).parent / "documents"


@dataclass(frozen=True)
class Run:
    code: int
    out: list[str]
    err: str
    junit: ET.Element | None = None

    def json(self) -> dict:
        return json.loads("\n".join(self.out))


_MEMO: dict[tuple[str, ...], Run] = {}


def _main(capsys: pytest.CaptureFixture[str], args: list[str], junit: Path | None = None) -> Run:
    capsys.readouterr()
    code = main(["check", *args, *(["--junit", str(junit)] if junit else [])])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    tree = ET.parse(junit).getroot() if junit and junit.exists() else None
    return Run(code, out.splitlines(), err, tree)


@pytest.fixture(autouse=True)
def _cache_outside_the_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever derive may cache goes to a temporary folder, never into tests/documents."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "derive-cache"))


@pytest.fixture
def corpus(capsys, monkeypatch, tmp_path_factory):
    """``corpus("planted.md", "--format", "github")``: check from inside tests/documents (memoised)."""
    monkeypatch.chdir(CORPUS)

    def run(*args: str, junit: bool = False) -> Run:
        key = (*args, "--junit" if junit else "")
        if key not in _MEMO:
            path = tmp_path_factory.mktemp("junit") / "report.xml" if junit else None
            _MEMO[key] = _main(capsys, list(args), path)
        return _MEMO[key]

    return run


@pytest.fixture
def here(capsys, monkeypatch, tmp_path):
    """``here({"a.md": "..."}, "a.md")``: write documents to tmp_path and check them from there."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str | bytes], *args: str, junit: bool = False) -> Run:
        for name, text in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return _main(capsys, list(args), tmp_path / "report.xml" if junit else None)

    return run


def source_at(path: str, line: int, column: int) -> str:
    """The text of a corpus file from LINE:COL (1-based) to the end of that line."""
    return (CORPUS / path).read_text(encoding="utf-8").split("\n")[line - 1][column - 1 :]


# --- the planted errors: every report line, exactly ---------------------------------

PLANTED_MD = [
    r"planted.md:8:11: refuted: (x + 1)^2 = x^2 + x + 1 at x = 1: lhs = 4.0, rhs = 3.0",
    r"    diagnosis: no simple diagnosis",
    r"planted.md:14:13: refuted: \log(x y) = \log x + \log y at x = -1, y = -1: lhs = 0.0, rhs = (0.0 + 6.28318530717959j)",
    r"    diagnosis: missing assumption: it holds for x > 0",
    r"planted.md:17:26: refuted: e^{a} e^{b} = e^{a - b} at a = 0, b = 1: lhs = 2.71828182845905, rhs = 0.367879441171442",
    r"    diagnosis: no simple diagnosis",
    r"planted.md:22:2: refuted: a^2 + ab - ab - b^2 = a^{2} + b^{2} at a = 0, b = 1: lhs = -1.0, rhs = 1.0",
    r"    diagnosis: one term: negating b**2 on the rhs makes it hold",
    r"planted.md:28:2: refuted: u^2 - 2uv + v^2 <= 0 at u = 0, v = 1: lhs = 1.0, rhs = 0.0",
    r"    diagnosis: direction: the inequality holds the other way round (lhs >= rhs)",
    r"planted.md:32:28: refuted: 2t = t^{2} at t = 1: lhs = 2.0, rhs = 1.0",
    r"    diagnosis: no simple diagnosis",
    r"planted.md:36:15: refuted (expected): \sqrt{x^2} = x at x = -1: lhs = 1.0, rhs = -1.0",
    r"    diagnosis: missing assumption: it holds for x > 0",
    r"8 displays in 1 file: 2 ok, 6 failed, 0 not checked",
]  # fmt: skip

PLANTED_MD_GITHUB = [
    r"::error file=planted.md,line=8,col=11::refuted: (x + 1)^2 = x^2 + x + 1 at x = 1: lhs = 4.0, rhs = 3.0 (diagnosis: no simple diagnosis)",
    r"::error file=planted.md,line=14,col=13::refuted: \log(x y) = \log x + \log y at x = -1, y = -1: lhs = 0.0, rhs = (0.0 + 6.28318530717959j) (diagnosis: missing assumption: it holds for x > 0)",
    r"::error file=planted.md,line=17,col=26::refuted: e^{a} e^{b} = e^{a - b} at a = 0, b = 1: lhs = 2.71828182845905, rhs = 0.367879441171442 (diagnosis: no simple diagnosis)",
    r"::error file=planted.md,line=22,col=2::refuted: a^2 + ab - ab - b^2 = a^{2} + b^{2} at a = 0, b = 1: lhs = -1.0, rhs = 1.0 (diagnosis: one term: negating b**2 on the rhs makes it hold)",
    r"::error file=planted.md,line=28,col=2::refuted: u^2 - 2uv + v^2 <= 0 at u = 0, v = 1: lhs = 1.0, rhs = 0.0 (diagnosis: direction: the inequality holds the other way round (lhs >= rhs))",
    r"::error file=planted.md,line=32,col=28::refuted: 2t = t^{2} at t = 1: lhs = 2.0, rhs = 1.0 (diagnosis: no simple diagnosis)",
    r"::notice file=planted.md,line=36,col=15::refuted (expected): \sqrt{x^2} = x at x = -1: lhs = 1.0, rhs = -1.0 (diagnosis: missing assumption: it holds for x > 0)",
    r"8 displays in 1 file: 2 ok, 6 failed, 0 not checked",
]  # fmt: skip

PLANTED_TEX = [
    r"planted.tex:8:32: refuted: \log\left(\frac{x}{y}\right) = \frac{\log x}{\log y} at x = 1, y = 1/2: lhs = 0.693147180559945, rhs = 0.0",
    r"    diagnosis: no simple diagnosis",
    r"planted.tex:12:14: refuted: x^2 - 2xy + y^2 >= 2xy at x = 1, y = 1: lhs = 0.0, rhs = 2.0",
    r"    diagnosis: no simple diagnosis",
    r"planted.tex:14:24: refuted: \frac{d}{dz} e^{2z} = e^{2z} at z = 0: lhs = 2.0, rhs = 1.0",
    r"    diagnosis: constant factor: lhs = 2 * rhs (a stray factor 2)",
    r"planted.tex:16:29: refuted: \sum_{i=1}^{n} (w_i - c) = \sum_{i=1}^{n} w_i - c at n = 2, c = 1, w[1] = 0, w[2] = 0: lhs = -2.0, rhs = -1.0",
    r"    diagnosis: no simple diagnosis",
    r"planted.tex:21:13: refuted (expected): e^{x + y} = e^{x} + e^{y} at x = 1, y = 1: lhs = 7.38905609893065, rhs = 5.43656365691809",
    r"    diagnosis: no simple diagnosis",
    r"5 displays in 1 file: 1 ok, 4 failed, 0 not checked",
]  # fmt: skip

PLANTED_TEX_GITHUB = [
    r"::error file=planted.tex,line=8,col=32::refuted: \log\left(\frac{x}{y}\right) = \frac{\log x}{\log y} at x = 1, y = 1/2: lhs = 0.693147180559945, rhs = 0.0 (diagnosis: no simple diagnosis)",
    r"::error file=planted.tex,line=12,col=14::refuted: x^2 - 2xy + y^2 >= 2xy at x = 1, y = 1: lhs = 0.0, rhs = 2.0 (diagnosis: no simple diagnosis)",
    r"::error file=planted.tex,line=14,col=24::refuted: \frac{d}{dz} e^{2z} = e^{2z} at z = 0: lhs = 2.0, rhs = 1.0 (diagnosis: constant factor: lhs = 2 * rhs (a stray factor 2))",
    r"::error file=planted.tex,line=16,col=29::refuted: \sum_{i=1}^{n} (w_i - c) = \sum_{i=1}^{n} w_i - c at n = 2, c = 1, w[1] = 0, w[2] = 0: lhs = -2.0, rhs = -1.0 (diagnosis: no simple diagnosis)",
    r"::notice file=planted.tex,line=21,col=13::refuted (expected): e^{x + y} = e^{x} + e^{y} at x = 1, y = 1: lhs = 7.38905609893065, rhs = 5.43656365691809 (diagnosis: no simple diagnosis)",
    r"5 displays in 1 file: 1 ok, 4 failed, 0 not checked",
]  # fmt: skip

FIXED_MD = [
    r"fixed.md:39:15: refuted (expected): \sqrt{x^2} = x at x = -1: lhs = 1.0, rhs = -1.0",
    r"    diagnosis: missing assumption: it holds for x > 0",
    r"8 displays in 1 file: 8 ok, 0 failed, 0 not checked",
]

UNREADABLE_MD = [
    r"unreadable.md:5: warning: not checked: \approx",
    r"unreadable.md:10: warning: not checked: \bar{x} is not defined: declare it first with derive: let \bar{x} = "
    r"... at column 35 in: \frac{1}{n} \sum_{i=1}^{n} (x_i - \bar{x})",
    r"3 displays in 1 file: 1 ok, 0 failed, 2 not checked",
]

UNREADABLE_MD_STRICT = [
    r"unreadable.md:5: error: not checked: \approx",
    r"unreadable.md:10: error: not checked: \bar{x} is not defined: declare it first with derive: let \bar{x} = "
    r"... at column 35 in: \frac{1}{n} \sum_{i=1}^{n} (x_i - \bar{x})",
    r"3 displays in 1 file: 1 ok, 0 failed, 2 not checked (failures: --strict)",
]

UNREADABLE_MD_GITHUB = [
    r"::warning file=unreadable.md,line=5::not checked: \approx",
    r"::warning file=unreadable.md,line=10::not checked: \bar{x} is not defined: declare it first with derive: "
    r"let \bar{x} = ... at column 35 in: \frac{1}{n} \sum_{i=1}^{n} (x_i - \bar{x})",
    r"3 displays in 1 file: 1 ok, 0 failed, 2 not checked",
]


@pytest.mark.parametrize(
    ("args", "code", "lines"),
    [
        (["planted.md"], 1, PLANTED_MD),
        (["planted.md", "--format", "github"], 1, PLANTED_MD_GITHUB),
        (["planted.tex"], 1, PLANTED_TEX),
        (["planted.tex", "--format", "github"], 1, PLANTED_TEX_GITHUB),
        (["fixed.md"], 0, FIXED_MD),
        (["good.md"], 0, ["8 displays in 1 file: 8 ok, 0 failed, 0 not checked"]),
        (["good.tex"], 0, ["4 displays in 1 file: 4 ok, 0 failed, 0 not checked"]),
        (["unreadable.md"], 0, UNREADABLE_MD),
        (["unreadable.md", "--format", "github"], 0, UNREADABLE_MD_GITHUB),
        (["unreadable.md", "--strict"], 1, UNREADABLE_MD_STRICT),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and v[0].endswith((".md", ".tex")) else "",
)
def test_every_report_line_and_the_exit_code(corpus, args, code, lines):
    run = corpus(*args)
    assert run.out == lines
    assert (run.code, run.err) == (code, "")


# (file, line, column, relation as written, status, reason): every step of every display
PLANTED_STEPS = {
    "planted.md": [
        (8, 11, "=", "refuted", "algebra"),  # dropped factor 2
        (14, 13, "=", "refuted", "algebra"),  # log rule without x, y > 0 (math fence in a list item)
        (17, 26, "=", "refuted", "algebra"),  # sign in the exponent (\[ \] inside a list item)
        (20, 21, "=", "proved", "algebra"),  # align, first chain (\label ignored)
        (21, 17, "=", "proved", "algebra"),  # align, second chain with its own left side
        (22, 2, "=", "refuted", "cancel"),  # ... its &= continuation: sign of b^2, \text{} reason
        (27, 12, "=", "proved", "algebra"),  # aligned inside equation
        (28, 2, r"\le", "refuted", "algebra"),  # ... the wrong direction
        (32, 23, "=", "proved", "algebra"),  # A = B = C on one line: two steps
        (32, 28, "=", "refuted", "algebra"),
        (36, 15, "=", "refuted", "algebra"),  # expect refuted: refuted, as expected
    ],
    "planted.tex": [
        (8, 32, "=", "refuted", "algebra"),  # equation: log of a quotient as a quotient of logs
        (11, 14, "=", "proved", "algebra"),  # align*
        (12, 14, r"\ge", "refuted", "algebra"),
        (14, 24, "=", "refuted", "algebra"),  # \[ \]: chain rule factor 2 dropped
        (16, 29, "=", "refuted", "algebra"),  # $$ $$: a sum over symbolic n, n c written c
        (21, 13, "=", "refuted", "algebra"),  # expect refuted
    ],
    "good.md": [
        (8, 11, "=", "proved", "algebra"),
        (16, 13, "=", "proved", "algebra"),
        (19, 61, "=", "proved", "algebra"),
        (22, 21, "=", "proved", "algebra"),
        (23, 17, "=", "proved", "algebra"),
        (24, 2, "=", "proved", "cancel"),
        (29, 12, "=", "proved", "algebra"),
        (30, 2, r"\ge", "proved", "algebra"),
        (42, 29, "=", "proved", "algebra"),
        (42, 54, "=", "proved", "reorder"),  # \tag{reorder}
        (48, 15, "=", "proved", "algebra"),  # only because assume x < 0 replaced x > 0
    ],
}
STEP_ROWS = [(f, *row) for f, rows in PLANTED_STEPS.items() for row in rows]


@pytest.mark.parametrize(("path", "line", "column", "sign", "status", "reason"), STEP_ROWS)
def test_each_step_is_placed_at_its_relation_sign(corpus, path, line, column, sign, status, reason):
    assert source_at(path, line, column).startswith(sign)  # the table itself points at the sign
    steps = [s for d in corpus(path, "--json").json()["displays"] for s in d["steps"]]
    found = [s for s in steps if (s["line"], s["column"]) == (line, column)]
    assert [(s["status"], s["reason"]) for s in found] == [(status, reason)]


@pytest.mark.parametrize("path", PLANTED_STEPS)
def test_json_has_no_step_outside_the_table(corpus, path):
    steps = [(s["line"], s["column"]) for d in corpus(path, "--json").json()["displays"] for s in d["steps"]]
    assert steps == [row[:2] for row in PLANTED_STEPS[path]]


def test_json_shape_of_the_displays(corpus):
    run = corpus("planted.md", "--json")
    document = run.json()
    assert run.code == 1
    assert list(document) == ["derivations", "displays"] and document["derivations"] == []
    shape = [
        (d["file"], d["line"], d["label"], d["name"], d["checked"], d["ok"], d["expect"], len(d["steps"]))
        for d in document["displays"]
    ]
    assert shape == [
        ("planted.md", 8, "planted.md:8", "planted-md-8", True, False, "holds", 1),
        ("planted.md", 14, "planted.md:14", "planted-md-14", True, False, "holds", 1),
        ("planted.md", 17, "planted.md:17", "planted-md-17", True, False, "holds", 1),
        ("planted.md", 20, "planted.md:20", "planted-md-20", True, True, "holds", 1),
        ("planted.md", 21, "planted.md:21", "planted-md-21-2", True, False, "holds", 2),
        ("planted.md", 27, "planted.md:27", "planted-md-27", True, False, "holds", 2),
        ("planted.md", 32, "planted.md:32", "planted-md-32", True, False, "holds", 2),
        ("planted.md", 36, "planted.md:36", "planted-md-36", True, True, "refuted", 1),
    ]
    step = document["displays"][0]["steps"][0]
    assert {"index", "relation", "status", "method", "reason", "counterexample", "line", "column"} <= set(step)
    assert (step["line"], step["column"], step["counterexample"]) == (8, 11, {"x": "1"})


def test_json_of_a_display_that_cannot_be_read(corpus):
    displays = corpus("unreadable.md", "--json").json()["displays"]
    assert [(d["line"], d["checked"], d["ok"], d["steps"], d["problem"]) for d in displays[:1]] == [
        (5, False, True, [], r"not checked: \approx")
    ]
    assert [(d["line"], d["checked"]) for d in displays] == [(5, False), (10, False), (15, True)]


def junit_cases(root: ET.Element) -> list[tuple[str, bool]]:
    return [(case.get("name"), case.find("failure") is not None) for case in root.iter("testcase")]


def test_junit_one_test_case_per_display(corpus):
    run = corpus("planted.md", junit=True)
    assert run.out == PLANTED_MD  # --junit writes a file and prints the same report
    assert run.junit is not None and run.junit.get("tests") == "8" and run.junit.get("failures") == "6"
    assert junit_cases(run.junit) == [
        ("planted-md-8", True),
        ("planted-md-14", True),
        ("planted-md-17", True),
        ("planted-md-20", False),
        ("planted-md-21-2", True),
        ("planted-md-27", True),
        ("planted-md-32", True),
        ("planted-md-36", False),
    ]


def test_a_name_is_used_in_json_and_junit(corpus):
    run = corpus("good.md", "--json", junit=True)
    assert run.code == 0
    named = [(d["label"], d["name"], d["line"]) for d in run.json()["displays"] if not d["label"].startswith("good")]
    assert named == [("sum-shift", "sum-shift", 42)]
    assert ("sum-shift", False) in junit_cases(run.junit)
    assert len(junit_cases(run.junit)) == len(run.json()["displays"]) == 8


def test_a_name_in_latex(corpus):
    displays = corpus("good.tex", "--json").json()["displays"]
    assert [(d["label"], d["line"]) for d in displays] == [
        ("good.tex:8", 8),
        ("good.tex:11", 11),
        ("good.tex:14", 14),
        ("sum-split", 16),
    ]


def test_skipped_and_inline_maths_are_not_checked(corpus):
    lines = {d["line"] for d in corpus("planted.md", "--json").json()["displays"]}
    assert 40 not in lines and 3 not in lines  # `2 + 2 = 5` after skip; inline $1 = 2$
    assert source_at("planted.md", 40, 1) == "$$ 2 + 2 = 5 $$" and "$1 = 2$" in source_at("planted.md", 3, 1)


def test_strict_turns_an_unreadable_display_into_a_failure(corpus):
    assert (corpus("unreadable.md").code, corpus("unreadable.md", "--strict").code) == (0, 1)
    assert (corpus("good.md").code, corpus("good.md", "--strict").code) == (0, 0)


# --- folders: every .md and .tex under it, sorted, each in file order --------------

FOLDER = {
    "z.md": "$$ 1 + 1 = 3 $$\n",
    "b.md": "Text.\n\n$$ 2 = 2 $$\n\n$$ 2 \\cdot 2 = 5 $$\n\n\\[ 3 = 4 \\]\n",
    "a.tex": "\\begin{equation}\n5 = 6\n\\end{equation}\n",
    "sub/a.md": "\n\n$$ 7 = 8 $$\n",
    "notes.txt": "$$ 9 = 10 $$\n",
    "c.py.txt": "",
}


def test_a_folder_is_every_document_under_it_sorted(here):
    run = here(FOLDER, ".")
    assert [line for line in run.out if not line.startswith("    ")] == [
        "a.tex:2:3: refuted: 5 = 6 at every point: lhs = 5.0, rhs = 6.0",
        "b.md:5:14: refuted: 2 \\cdot 2 = 5 at every point: lhs = 4.0, rhs = 5.0",
        "b.md:7:6: refuted: 3 = 4 at every point: lhs = 3.0, rhs = 4.0",
        "sub/a.md:3:6: refuted: 7 = 8 at every point: lhs = 7.0, rhs = 8.0",
        "z.md:1:10: refuted: 1 + 1 = 3 at every point: lhs = 2.0, rhs = 3.0",
        "6 displays in 4 files: 1 ok, 5 failed, 0 not checked",
    ]
    assert run.code == 1


def test_a_folder_in_json(here):
    displays = here(FOLDER, "--json", ".").json()["displays"]
    assert [(d["file"], d["line"]) for d in displays] == [
        ("a.tex", 2),
        ("b.md", 3),
        ("b.md", 5),
        ("b.md", 7),
        ("sub/a.md", 3),
        ("z.md", 1),
    ]


# --- declarations -------------------------------------------------------------------

SQRT = "$$ \\sqrt{x^2} = -x $$\n"


@pytest.mark.parametrize(
    ("text", "code", "lines"),
    [
        # a later assumption on x replaces the earlier one
        (
            "<!-- derive: assume x > 0 -->\n\n<!-- derive: assume x < 0 -->\n\n" + SQRT,
            0,
            ["1 display in 1 file: 1 ok, 0 failed, 0 not checked"],
        ),
        # the earlier one alone: refuted
        (
            "<!-- derive: assume x > 0 -->\n\n" + SQRT,
            1,
            [
                "a.md:3:15: refuted: \\sqrt{x^2} = -x at x = 1: lhs = 1.0, rhs = -1.0",
                "1 display in 1 file: 0 ok, 1 failed, 0 not checked",
            ],
        ),
        # assumptions on other variables do not replace it
        (
            "<!-- derive: assume x < 0 -->\n\n<!-- derive: assume y > 0 -->\n\n" + SQRT,
            0,
            ["1 display in 1 file: 1 ok, 0 failed, 0 not checked"],
        ),
        # skip applies to the next display only
        (
            "<!-- derive: skip -->\n$$ 1 = 2 $$\n\n$$ 3 = 4 $$\n",
            1,
            [
                "a.md:4:6: refuted: 3 = 4 at every point: lhs = 3.0, rhs = 4.0",
                "1 display in 1 file: 0 ok, 1 failed, 0 not checked",
            ],
        ),
        # expect refuted on a display that holds: a failure saying so
        (
            "<!-- derive: expect refuted -->\n$$ 2 + 2 = 4 $$\n",
            1,
            [
                "a.md:2: expected a refuted step, but none is refuted (proved)",
                "1 display in 1 file: 0 ok, 1 failed, 0 not checked",
            ],
        ),
        # expect refuted applies to the next display only
        (
            "<!-- derive: expect refuted -->\n$$ 2 + 2 = 5 $$\n\n$$ 1 = 3 $$\n",
            1,
            [
                "a.md:2:10: refuted (expected): 2 + 2 = 5 at every point: lhs = 4.0, rhs = 5.0",
                "a.md:4:6: refuted: 1 = 3 at every point: lhs = 1.0, rhs = 3.0",
                "2 displays in 1 file: 1 ok, 1 failed, 0 not checked",
            ],
        ),
    ],
    ids=["assume-replaced", "assume-alone", "assume-other-var", "skip", "expect-holds", "expect-once"],
)
def test_declarations(here, text, code, lines):
    run = here({"a.md": text}, "a.md")
    assert [line for line in run.out if not line.startswith("    ")] == lines
    assert (run.code, run.err) == (code, "")


def test_expect_refuted_that_holds_in_github_format(here):
    run = here({"a.tex": "% derive: expect refuted\n\\[ 2 + 2 = 4 \\]\n"}, "a.tex", "--format", "github")
    assert run.out == [
        "::error file=a.tex,line=2::expected a refuted step, but none is refuted (proved)",
        "1 display in 1 file: 0 ok, 1 failed, 0 not checked",
    ]
    assert run.code == 1


def test_name_of_an_align_with_two_chains(here):
    text = "<!-- derive: name pair -->\n\\begin{align}\na + a &= 2a \\\\\nb b &= b^2\n\\end{align}\n"
    run = here({"a.md": text}, "--json", "a.md", junit=True)
    assert [(d["label"], d["line"]) for d in run.json()["displays"]] == [("pair-1", 3), ("pair-2", 4)]
    assert junit_cases(run.junit) == [("pair-1", False), ("pair-2", False)]


# --- malformed input: one line on stderr, exit 2, nothing checked or executed --------

MALFORMED = [
    ("unknown.md", "Text.\n\n<!-- derive: frobnicate -->\n$$ a = a $$\n",
     "unknown.md:3: unknown derive directive 'frobnicate' (known: assume A; B, let NAME = EXPR, skip, expect refuted, name NAME)"),
    ("unknown.tex", "Text.\n% derive: frobnicate\n\\[ a = a \\]\n",
     "unknown.tex:2: unknown derive directive 'frobnicate' (known: assume A; B, let NAME = EXPR, skip, expect refuted, name NAME)"),
    ("assume.md", "Text.\n\n<!-- derive: assume x >> 0 -->\n$$ a = a $$\n",
     "assume.md:3: assume x >> 0: an assumption is a bound such as x > 0 or 0 < p < 1, or 'n integer' in: x >> 0"),
    ("name.md", "<!-- derive: name Two Words -->\n$$ a = a $$\n",
     "name.md:1: name 'Two Words': use lowercase letters, digits, - and _"),
    ("noend.tex", "Text\n\\begin{align}\nx &= 1\n",
     "noend.tex:3: cannot read the LaTeX: Unexpected end of stream, was expecting \\end{align} @(4,0)"),
    ("mismatch.tex", "\\begin{align}\na &= a\n\\end{align*}\n",
     "mismatch.tex:3: cannot read the LaTeX: Unexpected mismatching closing environment: 'align*', "
     "was expecting 'align' @(3,0)"),
    ("unclosed.tex", "Text\n$$ x = 1\n",
     "unclosed.tex:2: cannot read the LaTeX: Unexpected end of stream, was expecting '$$' @(3,0)"),
    ("big.md", "a\n" * 550_000, "big.md:1: the document is 1,100,000 bytes; the limit is 1,000,000"),
    ("nul.md", b"a\nb\x00c\n", "nul.md:2: a NUL byte: not a text document"),
    ("latin1.md", "a\n\ncaf\xe9 $$ 1 = 2 $$\n".encode("latin-1"), "latin1.md:3: not UTF-8 text (invalid continuation byte)"),
    ("input.md", "Text.\n\n$$\n\\input{canary} = 1\n$$\n", "input.md:4: \\input is not allowed in a formula"),
    ("input.tex", "Text.\n\\begin{equation}\na = \\input{canary} 1\n\\end{equation}\n",
     "input.tex:3: \\input is not allowed in a formula"),
    ("write18.md", "Text.\n\n$$\na = \\write18{touch canary} 1\n$$\n", "write18.md:4: \\write18 is not allowed in a formula"),
    ("write18.tex", "Text.\n\\[ a = \\immediate\\write18{touch canary} 1 \\]\n",
     "write18.tex:2: \\write18 is not allowed in a formula"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_is_one_clear_line(here, tmp_path, name, content, message):
    run = here({name: content}, name)
    assert run.err == f"derive: error: {message}\n"
    assert (run.code, run.out) == (2, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no canary, no cache, no report
    assert not list(CORPUS.glob("canary*"))


@pytest.mark.parametrize(("name", "content"), [m[:2] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_input_in_a_folder_names_the_file(here, name, content):
    run = here({f"docs/{name}": content, "docs/a.md": "$$ 1 = 1 $$\n"}, "docs")
    assert run.err.startswith(f"derive: error: docs/{name}:") and run.err.count("\n") == 1
    assert (run.code, run.out) == (2, [])


def test_a_file_just_under_the_limit_is_read(here):
    run = here({"a.md": "$$ 1 = 1 $$\n" + "a\n" * 499_000}, "a.md")
    assert (run.code, run.out) == (0, ["1 display in 1 file: 1 ok, 0 failed, 0 not checked"])


@pytest.mark.parametrize(("name", "start", "end"), [("a.md", "$$", "$$"), ("a.tex", "\\[", "\\]")])
@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", ""), ("\n", "\ufeff")], ids=["lf", "crlf", "bom"])
def test_line_endings_and_a_byte_order_mark_keep_positions(here, name, start, end, newline, bom):
    text = bom + newline.join(["Text.", "", start, "(x+1)^2 = x^2 + x + 1", end, ""])
    run = here({name: text.encode("utf-8")}, name)
    assert run.out[0] == f"{name}:4:9: refuted: (x+1)^2 = x^2 + x + 1 at x = 1: lhs = 4.0, rhs = 3.0"


# --- bugs found: each test states what should happen ---------------------------------


@pytest.mark.parametrize("content", ["Text\n\n$$\nx = 2\n\nMore text.\n", "Text\n\n$$\nx = 2\n"])
def test_fixed_unclosed_double_dollar_in_markdown(here, content):
    run = here({"a.md": content}, "a.md")
    assert run.err.startswith("derive: error: a.md:3: ") and run.err.count("\n") == 1
    assert (run.code, run.out) == (2, [])


def test_fixed_environment_without_end_in_markdown(here):
    run = here({"a.md": "Text\n\n\\begin{align}\nx &= 2 \\\\\n&= 3\n\nMore.\n"}, "a.md")
    assert run.err.startswith("derive: error: a.md:3: ") and run.err.count("\n") == 1
    assert (run.code, run.out) == (2, [])


def test_fixed_brackets_in_inline_code_are_not_a_display(here):
    run = here({"a.md": "Write `\\[ 1 = 2 \\]` for a display.\n"}, "a.md")
    assert run.code == 0 and not [line for line in run.out if "refuted" in line]


def test_fixed_directive_in_inline_code_is_not_applied(here):
    text = "Docs: put `<!-- derive: skip -->` before a display.\n\n$$ 1 = 2 $$\n"
    run = here({"a.md": text}, "a.md")
    assert run.out[0] == "a.md:3:6: refuted: 1 = 2 at every point: lhs = 1.0, rhs = 2.0"
    assert run.code == 1


def test_fixed_row_break_with_spacing(here):
    text = "\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 \\\\[4pt]\n&= 1 + 2x + x^2\n\\end{align}\n"
    run = here({"a.md": text}, "--json", "a.md")
    displays = run.json()["displays"]
    assert [(s["line"], s["status"]) for d in displays for s in d["steps"]] == [(2, "proved"), (3, "proved")]
    assert run.code == 0


def test_fixed_displays_of_a_paragraph_in_file_order(here):
    run = here({"a.md": "Para with $$ 1 = 2 $$ first\nand then \\[ 3 = 4 \\] second.\n"}, "--json", "a.md")
    assert [d["line"] for d in run.json()["displays"]] == [1, 2]


def test_fixed_junit_has_a_case_for_every_display(corpus):
    run = corpus("unreadable.md", "--strict", junit=True)
    assert run.code == 1
    assert len(junit_cases(run.junit)) == 3  # one per display; the unreadable ones skipped or (--strict) failed


def test_a_directive_outside_a_comment_is_reported_not_silently_prose(here):
    """A new user wrote `derive: assume a > 0` on its own line: it declares nothing, and says so."""
    text = "Notes\n\nderive: assume a > 0\n\n$$\n\\sqrt{a^2} = a\n$$\n"
    run = here({"a.md": text}, "a.md")
    assert run.out[0] == (
        "a.md:3: warning: 'derive: assume a > 0' is prose, not a directive: write it as a comment, <!-- derive: ... -->"
    )
    assert run.out[-1] == "2 displays in 1 file: 0 ok, 1 failed, 1 not checked"
    quoted = here({"b.md": "Write `derive: assume a > 0` in a comment.\n\nderive: the tool\n"}, "b.md")
    assert quoted.code == 0 and not [line for line in quoted.out if "prose" in line]


SHIFT = r"""% derive: assume z[i] real; n >= 1; n integer; c real
\begin{align*}
\frac{e^{z_1 + c}}{\sum_{j=1}^{n} e^{z_j + c}}
  &= \frac{e^{c} e^{z_1}}{e^{c} \sum_{j=1}^{n} e^{z_j}} && \text{(factor out } e^c \text{)} \\
  &= \frac{e^{z_1}}{\sum_{j=1}^{n} e^{z_j}} && \text{cancel } \frac{e^c}{e^c}.
\end{align*}
"""


def test_a_formula_in_the_reason_column_belongs_to_the_reason(here):
    """A new user's `&& \\text{(factor out } e^c \\text{)}`: the e^c was glued onto the step,
    which was then refuted; it is part of the reason."""
    from derive.documents import read_text

    (display,) = read_text("shift.tex", SHIFT)
    assert display.derivation is not None
    assert [s.reason_text for s in display.derivation.steps] == [
        "(factor out $e^c$ )",
        r"cancel $\frac{e^c}{e^c}$",
    ]
    run = here({"shift.tex": SHIFT}, "shift.tex")
    assert run.code == 0 and run.out[-1] == "1 display in 1 file: 1 ok, 0 failed, 0 not checked"


def test_a_step_that_holds_only_by_sampling_is_said(here):
    document = {"g.md": "<!-- derive: assume x > 0 -->\n\n$$\n\\Gamma(x) \\ge \\frac{1}{2}\n$$\n"}
    run = here(document, "g.md")
    assert run.code == 0
    assert run.out[0] == r"g.md:4:11: tested, not proved: \Gamma(x) >= \frac{1}{2}"
    assert run.out[1].startswith("    ") and "sample points valid, none fails" in run.out[1]
    assert run.out[2] == "1 display in 1 file: 1 ok, 0 failed, 0 not checked; 1 step tested, not proved"
    github = here(document, "g.md", "--format", "github")
    assert github.out[0].startswith(r"::notice file=g.md,line=4,col=11::tested, not proved: \Gamma(x) >= \frac{1}{2} (")
    assert here(document, "g.md", "--require", "proved").code == 1
