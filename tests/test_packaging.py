"""The wheel carries the package, the themes and the sample feeds, and finds them from inside itself."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    (built,) = out.glob("khabar-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "reader/__init__.py" in names and "reader/model.py" in names and "reader/py.typed" in names
    themes = {n for n in names if n.startswith("reader/_data/themes/") and n.endswith(".toml")}
    assert {f"reader/_data/themes/{p.name}" for p in (REPO / "themes").glob("*.toml")} == themes
    assert len(themes) >= 4
    samples = {n for n in names if n.startswith("reader/_data/sample_feeds/")}
    expected = {f"reader/_data/sample_feeds/{p.relative_to(REPO / 'sample_feeds').as_posix()}"
                for p in (REPO / "sample_feeds").rglob("*") if p.is_file()}
    assert expected and expected == samples
    assert "reader/_data/sample_feeds/zagros-arabic-erbil-2021-05-22.txt" in samples
    assert not any(n.startswith(("tests/", "bench/", "themes/", "sample_feeds/")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "khabar = reader.cli:main" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_installed_wheel_reads_its_own_data(wheel: Path, tmp_path: Path) -> None:
    """Unpacked on its own (no checkout beside it, no site-packages), the package finds its data inside
    itself."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import reader.resources as r, pathlib;"
        "t = pathlib.Path(str(r.data_dir('themes'))); s = r.sample_feeds_path();"
        "print(t); print(s); print(sorted(p.name for p in t.iterdir())[:1])"
    )
    result = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True,
                            env={"PYTHONPATH": str(site)}, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    themes_dir, samples_dir, first = result.stdout.splitlines()
    assert themes_dir.startswith(str(site)) and samples_dir.startswith(str(site))
    assert first.endswith(".toml']")
