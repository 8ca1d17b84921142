from checkup.integrations.his.base import (
    HisCharge,
    HisChargeLine,
    HisClient,
    HisPatient,
    HisRefund,
    HisSettlement,
    HisSettlementRow,
)

__all__ = [
    "HisCharge",
    "HisChargeLine",
    "HisClient",
    "HisPatient",
    "HisRefund",
    "HisSettlement",
    "HisSettlementRow",
]
