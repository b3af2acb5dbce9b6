"""Query-count formulas such as `1 + 2N`: parsed once, evaluated at any N.

A formula is a sum of terms, each a whole number (`3`) or a multiple of N (`N`, `2N`). That is
all the cases need, and anything else is rejected at import time rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERM = re.compile(r"^(?:(?P<constant>\d+)|(?P<factor>\d*)N)$")


@dataclass(frozen=True)
class Formula:
    text: str
    constant: int
    per_n: int

    @classmethod
    def parse(cls, text: str) -> Formula:
        constant = per_n = 0
        for term in text.replace(" ", "").split("+"):
            match = _TERM.match(term)
            if match is None:
                raise ValueError(f"{text!r} is not a sum of whole numbers and multiples of N")
            if match["constant"] is not None:
                constant += int(match["constant"])
            else:
                per_n += int(match["factor"] or 1)
        return cls(text=text, constant=constant, per_n=per_n)

    def at(self, n: int) -> int:
        """The number of queries for N = n."""
        return self.constant + self.per_n * n

    @property
    def grows(self) -> bool:
        return self.per_n > 0

    def __str__(self) -> str:
        return self.text
