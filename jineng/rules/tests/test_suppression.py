"""Small-cell suppression (docs/portal.md): no figure 1 … k-1 is shown, and no hidden figure can be recovered from
the figures shown — checked independently of the rule's own graph reasoning, by linear algebra over the table's
row and column equations (a hidden figure is recoverable exactly when its column of the equations is not in the
span of the other hidden figures' columns)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.suppression import extended, suppress


def _recoverable(table: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The hidden positions whose value the shown figures determine (row and column sums of the extended table)."""
    grid = extended(table)
    n_rows, n_cols = len(grid), len(grid[0])
    cells = sorted(hidden)
    # One equation per line of the extended table: cells minus the line's total (the totals row/column add up too).
    equations = []
    for i in range(n_rows):
        equations.append({(i, j): (1 if j < n_cols - 1 else -1) for j in range(n_cols)})
    for j in range(n_cols):
        equations.append({(i, j): (1 if i < n_rows - 1 else -1) for i in range(n_rows)})
    matrix = np.array([[eq.get(c, 0) for c in cells] for eq in equations], dtype=float)
    rank = np.linalg.matrix_rank(matrix) if cells else 0
    found = set()
    for index, cell in enumerate(cells):
        rest = np.delete(matrix, index, axis=1)
        if (np.linalg.matrix_rank(rest) if rest.size else 0) < rank:
            found.add(cell)
    return found


def test_a_cell_recoverable_by_subtraction_gets_a_complement():
    # 3 alone in its row: without a complement, 3 = 113 - 50 - 60.
    table = [[3, 50, 60], [40, 45, 55], [30, 35, 25]]
    hidden = suppress(table)
    assert (0, 0) in hidden
    assert len([c for c in hidden if c[0] == 0]) >= 2 and len([c for c in hidden if c[1] == 0]) >= 2
    assert _recoverable(table, hidden) == set()


def test_a_small_row_total_is_hidden_with_its_cells():
    table = [[2, 3, 1], [40, 45, 55], [30, 35, 25]]
    hidden = suppress(table)
    assert {(0, 0), (0, 1), (0, 2), (0, 3)} <= hidden
    assert _recoverable(table, hidden) == set()


def test_a_table_of_big_figures_is_shown_whole():
    assert suppress([[10, 20], [30, 40]]) == set()


def test_zeros_are_shown():
    table = [[0, 50], [40, 45]]
    assert suppress(table) == set()


def test_a_bridge_between_two_blocks_is_closed():
    # Two blocks each with two small cells in one row; the rule must leave no suppressed cell determined.
    table = [[1, 2, 50, 60], [40, 45, 3, 4], [30, 35, 25, 80]]
    hidden = suppress(table)
    assert _recoverable(table, hidden) == set()


@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=5)
    ),
    st.integers(2, 12),
)
def test_no_small_figure_is_shown_and_none_hidden_is_recoverable(table, k):
    hidden = suppress(table, k)
    grid = extended(table)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 0 < value < k:
                assert (i, j) in hidden
    assert _recoverable(table, hidden) == set()
