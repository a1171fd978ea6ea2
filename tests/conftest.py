import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The path of an outside tool; skip without it on a laptop, fail under CI=true."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="session")
def registry_results():
    """Every registered derivation checked once per test process, as `derive docs` does
    (tests that use it share the xdist group "registry", so one process computes it)."""
    from derive import registry
    from derive.cli import DOCS_BUDGET
    from derive.derivation import check_many

    return check_many(registry.derivations(), budget=DOCS_BUDGET, seed=0, jobs=2)


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory):
    """Commands the tests run write their verdict cache to a temporary folder, not the checkout."""
    previous = os.environ.get("DERIVE_CACHE_DIR")
    os.environ["DERIVE_CACHE_DIR"] = str(tmp_path_factory.mktemp("derive-cache"))
    yield
    if previous is None:
        os.environ.pop("DERIVE_CACHE_DIR", None)
    else:
        os.environ["DERIVE_CACHE_DIR"] = previous
