import json
import shutil
import subprocess
import sys
from pathlib import Path


def landplan_exe() -> str:
    """The installed console script, as a user runs it."""
    beside = Path(sys.executable).parent / "landplan"
    return str(beside) if beside.exists() else (shutil.which("landplan") or "landplan")


def run(*args, check=True):
    proc = subprocess.run(
        [landplan_exe(), *map(str, args)], capture_output=True, text=True, timeout=300
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"landplan {' '.join(map(str, args))} failed: {proc.stderr}")
    return proc


def run_json(*args):
    return json.loads(run(*args, "--format", "json").stdout)
