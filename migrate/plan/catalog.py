"""The businesses a plan may name: the spec registry's, plus the 20 of the 標準化法 not yet specified.

Business ids come from the spec files; a plan must still be able to schedule a business whose spec
has not been written yet, so the 20 ids of the programme (domain notes) are the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BusinessInfo:
    id: str
    code: str
    name_ja: str
    name_en: str


_PROGRAMME: tuple[BusinessInfo, ...] = (
    BusinessInfo("juki", "001", "住民基本台帳", "Basic Resident Register"),
    BusinessInfo("inkan", "002", "印鑑登録", "Seal registration"),
    BusinessInfo("koseki", "003", "戸籍", "Family register"),
    BusinessInfo("koseki-fuhyo", "004", "戸籍の附票", "Family register supplement"),
    BusinessInfo("senkyo", "006", "選挙人名簿管理", "Electoral roll"),
    BusinessInfo("kojin-juminzei", "010", "個人住民税", "Individual inhabitant tax"),
    BusinessInfo("hojin-juminzei", "011", "法人住民税", "Corporate inhabitant tax"),
    BusinessInfo("kotei-shisanzei", "012", "固定資産税", "Fixed asset tax"),
    BusinessInfo("keijidoshazei", "013", "軽自動車税", "Light vehicle tax"),
    BusinessInfo("shugaku", "017", "就学", "School enrolment"),
    BusinessInfo("kenko-kanri", "019", "健康管理", "Health management"),
    BusinessInfo("jido-fuyo-teate", "020", "児童扶養手当", "Child rearing allowance"),
    BusinessInfo("seikatsu-hogo", "021", "生活保護", "Public assistance"),
    BusinessInfo("shogaisha-fukushi", "022", "障害者福祉", "Disability welfare"),
    BusinessInfo("kaigo-hoken", "023", "介護保険", "Long-term care insurance"),
    BusinessInfo("kokuho", "024", "国民健康保険", "National health insurance"),
    BusinessInfo("koki-korei", "025", "後期高齢者医療", "Late-stage elderly medical care"),
    BusinessInfo("kokumin-nenkin", "026", "国民年金", "National pension"),
    BusinessInfo("jido-teate", "027", "児童手当", "Child allowance"),
    BusinessInfo("kodomo-kosodate", "028", "子ども・子育て支援", "Child and childcare support"),
)


def business_catalog(registry: Any | None = None) -> dict[str, BusinessInfo]:
    """id → BusinessInfo in 3-digit code order; a loaded spec registry's names take precedence."""
    catalog = {b.id: b for b in _PROGRAMME}
    if registry is not None:
        for bid in registry.business_ids:
            spec_business = registry.latest(bid).business
            catalog[bid] = BusinessInfo(bid, spec_business.code, spec_business.name_ja, spec_business.name_en)
    return dict(sorted(catalog.items(), key=lambda kv: (kv[1].code, kv[0])))
