"""Small-cell suppression of a published count table (信息公开, docs/portal.md, ADR 0029).

A table of counts is published with its row totals, column totals and grand total. The rule:

1. **Primary**: every figure (cell or total) from 1 to ``k - 1`` is suppressed (``k`` defaults to 10). A zero is
   shown: no person stands behind it.
2. **Complementary**: a suppressed figure must not be recoverable from the figures shown. Seen as one
   (R+1) × (C+1) table whose last row and column are the totals, every row and every column is one equation
   (its cells add up to its total); a suppressed figure is recoverable exactly when its cell is a *bridge* of the
   graph whose vertices are the lines and whose edges are the suppressed cells (no cycle of suppressed cells passes
   through it, so no change of the hidden figures keeps every total). So: while a line holds exactly one suppressed
   figure, the smallest non-zero figure shown on that line is suppressed too; then, while a suppressed cell is a
   bridge, the cheapest rectangle of cells through it is suppressed (the three other corners, the fewest people
   hidden, non-zero figures preferred).

Pure: counts in, the set of suppressed (row, column) positions out; row ``R`` and column ``C`` are the totals.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_K = 10

Cell = tuple[int, int]


def extended(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and its column totals (and the grand total) as a last row."""
    rows = [list(r) for r in table]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("every row needs the same number of cells")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("counts are not negative")
    out = [[*r, sum(r)] for r in rows]
    out.append([sum(r[j] for r in out) for j in range(width + 1)])
    return out


def suppress(table: Sequence[Sequence[int]], k: int = DEFAULT_K) -> set[Cell]:
    """The positions of ``extended(table)`` to hide: primary (1 … k-1) and complementary suppressions."""
    if k < 1:
        raise ValueError("k is at least 1")
    grid = extended(table)
    if not table or not table[0]:
        return set()
    n_rows, n_cols = len(grid), len(grid[0])
    hidden: set[Cell] = {(i, j) for i in range(n_rows) for j in range(n_cols) if 0 < grid[i][j] < k}
    while True:
        if _complete_lines(grid, hidden):
            continue
        bridge = _first_bridge(hidden, n_rows)
        if bridge is None:
            return hidden
        _close_rectangle(grid, hidden, bridge)


def _cost(value: int) -> tuple[int, int]:
    """Hide non-zero figures before zeros (a hidden zero bounds nothing), then the smallest."""
    return (1 if value == 0 else 0, value)


def _complete_lines(grid: list[list[int]], hidden: set[Cell]) -> bool:
    """Give every line holding exactly one hidden figure a second one; True when something was added."""
    n_rows, n_cols = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    added = False
    for line in lines:
        if sum(1 for c in line if c in hidden) == 1:
            candidates = [c for c in line if c not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda c: (_cost(grid[c[0]][c[1]]), c)))
                added = True
    return added


def _first_bridge(hidden: set[Cell], n_rows: int) -> Cell | None:
    """The first hidden cell that lies on no cycle of hidden cells (rows and columns as the graph's vertices)."""
    for cell in sorted(hidden):
        if not _connected(hidden - {cell}, ("r", cell[0]), ("c", cell[1])):
            return cell
    return None


def _connected(edges: set[Cell], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    seen = {start}
    todo = [start]
    while todo:
        side, index = todo.pop()
        if (side, index) == goal:
            return True
        for i, j in edges:
            nxt = ("c", j) if side == "r" and i == index else ("r", i) if side == "c" and j == index else None
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _close_rectangle(grid: list[list[int]], hidden: set[Cell], cell: Cell) -> None:
    """Hide the other three corners of the cheapest rectangle through ``cell`` (a cycle of four)."""
    r, c = cell
    best: tuple[tuple[int, int], Cell] | None = None
    for r2 in range(len(grid)):
        for c2 in range(len(grid[0])):
            if r2 == r or c2 == c:
                continue
            corners = [(r, c2), (r2, c), (r2, c2)]
            new = [x for x in corners if x not in hidden]
            cost = (sum(1 for x in new if grid[x[0]][x[1]] == 0), sum(grid[x[0]][x[1]] for x in new))
            if best is None or cost < best[0]:
                best = (cost, (r2, c2))
    if best is None:  # one row or one column only: nothing can hide the cell but hiding the whole line
        for j in range(len(grid[0])):
            hidden.add((r, j))
        for i in range(len(grid)):
            hidden.add((i, c))
        return
    r2, c2 = best[1]
    hidden.update({(r, c2), (r2, c), (r2, c2)})
