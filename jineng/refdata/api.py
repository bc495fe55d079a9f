"""What other apps may use of refdata."""

from jineng.refdata.models import COUNTRY_CODE, Region, RegionClosure, RegionLevel
from jineng.refdata.regions import region_ancestors, region_get, region_is_within, region_validate
from jineng.refdata.settings_store import add_workdays, is_workday, setting_set, setting_value, workdays_between

__all__ = [
    "COUNTRY_CODE",
    "Region",
    "RegionClosure",
    "RegionLevel",
    "add_workdays",
    "is_workday",
    "region_ancestors",
    "region_get",
    "region_is_within",
    "region_validate",
    "setting_set",
    "setting_value",
    "workdays_between",
]
