"""The table of French word frequencies behind term weights (`index.background`), built once
in the model cache by whichever process needs it first."""

from __future__ import annotations

from index.background import BackgroundFrequencies


def test_a_build_leaves_another_build_s_scratch_file_alone_and_none_of_its_own(tmp_path):
    """A bot and a command started together after an upgrade both build the table: neither
    removes nor writes into the file the other is filling, and each leaves only the table."""
    table = tmp_path / "french-terms.sqlite3"
    others = tmp_path / "french-terms.sqlite3.building"  # as another process's build names it
    others.write_bytes(b"half a table")

    built = BackgroundFrequencies.build(table, [("avions", 1e-4), ("grève", 2e-5)])

    assert built.frequencies(["avion", "grev"]) == {"avion": 1e-4, "grev": 2e-5}
    assert others.read_bytes() == b"half a table"
    assert {path.name for path in tmp_path.iterdir()} == {others.name, table.name}
