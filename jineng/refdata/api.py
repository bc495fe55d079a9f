"""What other apps may use of refdata: the shared reference data (regions, occupations, levels, tags, plans) and
the per-region settings and calendar.

Reference-data models are returned and exported as they are: every app points foreign keys at them and filters
by them (the closure table in subqueries); they change only through refdata's loaders.
"""

from jineng.refdata.industries import tag_validate
from jineng.refdata.levels import certificate_kind_validate, level_lookup, level_validate
from jineng.refdata.models import (
    COUNTRY_CODE,
    CURRENT_OCCUPATION_EDITION,
    CertificateKind,
    Occupation,
    OccupationLevel,
    OccupationSubtype,
    Plan,
    PlanTarget,
    Region,
    RegionClosure,
    RegionLevel,
    RegionSetting,
    SkillLevel,
    Tag,
    TagTaxonomy,
    TargetAttribute,
    TargetComparator,
    TargetKind,
    TargetUnit,
)
from jineng.refdata.occupations import occupation_ancestors, occupation_get, occupation_search, occupation_validate
from jineng.refdata.plans import plan_get, plan_list, plan_targets, targets_for
from jineng.refdata.regions import (
    region_ancestors,
    region_common_ancestor,
    region_get,
    region_is_within,
    region_known_for_id,
    region_name_in,
    region_subtree,
    region_validate,
)
from jineng.refdata.settings_store import (
    add_workdays,
    is_workday,
    setting_edit_permission,
    setting_set,
    setting_value,
    setting_value_max,
    workdays_between,
)

__all__ = [
    "COUNTRY_CODE",
    "CURRENT_OCCUPATION_EDITION",
    "CertificateKind",
    "Occupation",
    "OccupationLevel",
    "OccupationSubtype",
    "Plan",
    "PlanTarget",
    "Region",
    "RegionClosure",
    "RegionLevel",
    "RegionSetting",
    "SkillLevel",
    "Tag",
    "TagTaxonomy",
    "TargetAttribute",
    "TargetComparator",
    "TargetKind",
    "TargetUnit",
    "add_workdays",
    "certificate_kind_validate",
    "is_workday",
    "level_lookup",
    "level_validate",
    "occupation_ancestors",
    "occupation_get",
    "occupation_search",
    "occupation_validate",
    "plan_get",
    "plan_list",
    "plan_targets",
    "region_ancestors",
    "region_common_ancestor",
    "region_get",
    "region_is_within",
    "region_known_for_id",
    "region_name_in",
    "region_subtree",
    "region_validate",
    "setting_edit_permission",
    "setting_set",
    "setting_value",
    "setting_value_max",
    "tag_validate",
    "targets_for",
    "workdays_between",
]
