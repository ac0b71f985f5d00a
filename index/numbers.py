"""Numbers as French writes them in messages: "36 836 octets", "0,1 Mo"
(a narrow no-break space between thousands, a comma before decimals); Python's own
"36,836" reads as thirty-six in French."""

from __future__ import annotations

THOUSANDS = "\u202f"  # narrow no-break space, as French typography separates thousands


def french(value: float, decimals: int = 0) -> str:
    """`value` with `decimals` digits after the comma (trailing zeros kept: "0,1"); an integer's
    thousands separated."""
    written = f"{value:,.{decimals}f}"
    return written.replace(",", THOUSANDS).replace(".", ",")
