"""The UI state file: round trip, atomic writes, and a damaged file meaning a fresh start."""

from __future__ import annotations

from pathlib import Path

from reader.ui.state import KeptSource, UIState, load_state, save_state


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.json"
    state = UIState(theme="khabar-light", source="feed:3", article="abc123",
                    kept=(KeptSource("search", "الإمارات", "/ الإمارات"),), show_entities=False)
    save_state(path, state)
    assert load_state(path) == state
    assert not list(path.parent.glob("*.tmp"))


def test_missing_or_damaged_file_gives_defaults(tmp_path: Path) -> None:
    assert load_state(tmp_path / "none.json") == UIState()
    bad = tmp_path / "state.json"
    bad.write_text("{not json", encoding="utf-8")
    assert load_state(bad) == UIState()
    bad.write_text('{"kept": [{"kind": 1}]}', encoding="utf-8")
    assert load_state(bad) == UIState()


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"theme": "khabar-sepia", "future_key": 1}', encoding="utf-8")
    assert load_state(path) == UIState(theme="khabar-sepia")
