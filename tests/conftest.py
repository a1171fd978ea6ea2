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
