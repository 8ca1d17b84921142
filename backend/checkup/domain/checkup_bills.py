"""Which HIS bills are the checkup centre's: the app lists, pays and books only those."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_ITEM = "体检中心体检费"  # the charge PEIS pushes to HIS when it opens an order


def _names(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class CheckupBills:
    """A bill is a checkup bill when its department and its item name are both accepted (an empty
    set accepts any)."""

    depts: frozenset[str] = frozenset()
    items: frozenset[str] = field(default_factory=lambda: frozenset({DEFAULT_ITEM}))

    @classmethod
    def parse(cls, depts: str, items: str) -> CheckupBills:
        return cls(depts=_names(depts), items=_names(items))

    def accepts(self, *, dept: str, item_name: str) -> bool:
        return (not self.depts or dept in self.depts) and (not self.items or item_name in self.items)
