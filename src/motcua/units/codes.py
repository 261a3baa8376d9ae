"""Organ identification codes (mã định danh cơ quan, QCVN 102:2016 / QĐ 20/2020/QĐ-TTg).

A code reads `XXX.YY.ZZ.Lnn`: `Lnn` is the level-1 body (a letter group and two digits: G for
ministries, H for provinces), `ZZ` level 2, `YY` level 3, `XXX` level 4; a level that does not apply
is zero-filled (`000.00.00.G01` is the Ministry of Public Security itself). vn-domain.md §8.3.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: `\d` would also accept Arabic-Indic and other Unicode digits, which the
# national document axis rejects. \A…\Z rather than ^…$: `$` accepts a trailing newline.
ORGAN_CODE_RE = re.compile(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}\Z")
ORGAN_CODE_LENGTH = 13


@dataclass(frozen=True)
class OrganCode:
    level4: str  # XXX
    level3: str  # YY
    level2: str  # ZZ
    level1: str  # Lnn

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"

    @property
    def group(self) -> str:
        """The letter of the level-1 body: G (central government), H (province), …"""
        return self.level1[0]

    @property
    def is_root(self) -> bool:
        """True for the level-1 body itself (a ministry, a provincial People's Committee)."""
        return self.level4 == "000" and self.level3 == "00" and self.level2 == "00"

    def parent_candidates(self) -> list["OrganCode"]:
        """The codes that may name this body's parent, nearest first, ending with the level-1 body.

        Each step zeroes the most specific level still set: 000.21.31.H53 → 000.00.31.H53 →
        000.00.00.H53. A list holds gaps (a level-3 body whose level-2 parent has no code of its
        own), so the caller takes the first candidate that exists.
        """
        parts = [self.level4, self.level3, self.level2]
        candidates = []
        for index, part in enumerate(parts):
            if int(part) == 0:
                continue
            parts[index] = "0" * len(part)
            candidates.append(OrganCode(*parts, self.level1))
        return candidates


def parse_organ_code(value: str | None) -> OrganCode:
    """Parse a code or raise a ValidationError whose Vietnamese message says what is wrong."""
    value = value if isinstance(value, str) else ""
    if ORGAN_CODE_RE.match(value):
        level4, level3, level2, level1 = value.split(".")
        return OrganCode(level4, level3, level2, level1)
    if not value.strip():
        raise ValidationError(_("Mã định danh cơ quan không được để trống."), code="organ_code_empty")
    if len(value) != ORGAN_CODE_LENGTH:
        raise ValidationError(
            _("Mã định danh cơ quan “%(value)s” có %(length)d ký tự; mã đúng có 13 ký tự dạng "
              "XXX.YY.ZZ.Lnn (ví dụ 000.00.00.G01)."),
            params={"value": value, "length": len(value)},
            code="organ_code_length",
        )
    if ORGAN_CODE_RE.match(value.upper()):
        raise ValidationError(
            _("Mã định danh cơ quan “%(value)s”: chữ cái chỉ nhóm cơ quan phải viết hoa "
              "(ví dụ %(upper)s)."),
            params={"value": value, "upper": value.upper()},
            code="organ_code_case",
        )
    raise ValidationError(
        _("Mã định danh cơ quan “%(value)s” không đúng định dạng XXX.YY.ZZ.Lnn (ví dụ 000.00.00.G01)."),
        params={"value": value},
        code="organ_code",
    )


def validate_organ_code(value: str) -> None:
    """Model-field validator: the value must be exactly XXX.YY.ZZ.Lnn."""
    parse_organ_code(value)


def parent_organ_code(code: str, existing: set[str] | frozenset[str]) -> str | None:
    """The nearest code in `existing` that names this body's parent; None for a level-1 body."""
    for candidate in parse_organ_code(code).parent_candidates():
        if str(candidate) in existing:
            return str(candidate)
    return None
