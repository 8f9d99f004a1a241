"""QR symbol construction and error-correction bookkeeping for the corpus generator.

Why this exists: the occlusion images must stay *within* the error-correction limit, otherwise the
label would claim a payload that no decoder can recover. We therefore map every data module to its
codeword and Reed-Solomon block (ISO/IEC 18004 placement and interleaving) and count the damaged
codewords per block before accepting an occluder.
"""

from __future__ import annotations

import numpy as np
import segno
from segno import consts

_DATA_TYPES = (consts.TYPE_DATA_DARK, consts.TYPE_DATA_LIGHT)


class Symbol:
    """A QR symbol: its module matrix and, per data module, the RS block it belongs to."""

    def __init__(self, payload: str, error: str):
        ascii_only = all(ord(ch) < 128 for ch in payload)
        kwargs = {} if ascii_only else {"encoding": "utf-8", "mode": "byte"}
        qr = segno.make_qr(payload, error=error, boost_error=False, **kwargs)
        self.payload = payload
        self.version: int = qr.version
        self.error: str = qr.error
        self.modules = np.array(qr.matrix, dtype=bool)
        types = np.array(list(qr.matrix_iter(scale=1, border=0, verbose=True)))
        self.is_data = np.isin(types, _DATA_TYPES)
        self._codeword_of = _codeword_map(self.is_data)
        self._blocks, self._block_of_cw = _block_layout(self.version, self.error)

    @property
    def size(self) -> int:
        return self.modules.shape[0]

    def worst_block_damage(self, damaged: np.ndarray) -> float:
        """Largest fraction of a block's correction capacity used by the damaged modules.

        `damaged` is a boolean module mask. Every damaged module is counted as an error (not an
        erasure), so a value <= 1.0 is decodable by any conforming decoder.
        """
        cws = np.unique(self._codeword_of[damaged & self.is_data])
        cws = cws[cws >= 0]
        worst = 0.0
        for b, (_, n_total, n_data) in enumerate(self._blocks):
            capacity = (n_total - n_data) // 2
            hit = int(np.count_nonzero(self._block_of_cw[cws] == b))
            worst = max(worst, hit / capacity)
        return worst

    def function_damage(self, damaged: np.ndarray) -> bool:
        """True if a damaged module lies outside the data area (finders, timing, format info)."""
        return bool(np.any(damaged & ~self.is_data))


def _codeword_map(is_data: np.ndarray) -> np.ndarray:
    """Codeword index of every data module in placement (zig-zag) order; -1 elsewhere."""
    n = is_data.shape[0]
    out = np.full((n, n), -1, dtype=np.int32)
    bit = 0
    upward = True
    col = n - 1
    while col > 0:
        if col == 6:  # the vertical timing pattern shifts the column pairs left by one
            col -= 1
        rows = range(n - 1, -1, -1) if upward else range(n)
        for r in rows:
            for c in (col, col - 1):
                if is_data[r, c]:
                    out[r, c] = bit // 8
                    bit += 1
        upward = not upward
        col -= 2
    return out


def _block_layout(version: int, error: str):
    """RS blocks as (index, total, data) and the block of each interleaved codeword."""
    groups = consts.ECC[version][consts.ERROR_MAPPING[error]]
    blocks = []
    for g in groups:
        for _ in range(g.num_blocks):
            blocks.append((len(blocks), g.num_total, g.num_data))
    order = []
    for j in range(max(b[2] for b in blocks)):
        order.extend(b[0] for b in blocks if j < b[2])
    for j in range(blocks[0][1] - blocks[0][2]):
        order.extend(b[0] for b in blocks)
    # Remainder bits after the last codeword map past the end; give them a dummy block.
    block_of_cw = np.array(order + [-1] * 8, dtype=np.int32)
    return blocks, block_of_cw
