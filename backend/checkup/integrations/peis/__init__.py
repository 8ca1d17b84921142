from checkup.integrations.peis.base import PeisClient, PeisOrder, PeisPackage, PeisPackageItem, PeisPatient

__all__ = ["PeisClient", "PeisOrder", "PeisPackage", "PeisPackageItem", "PeisPatient"]
