"""Scope cases of the competitions app's URLs, registered into tests/scope_cases.py by
``register_competition_cases``. Each factory makes an event attributed to the given region through the ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _event(region: str) -> Any:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.competitions.models import Event
    from jineng.refdata.models import Occupation

    serial = str(uuid4().int % 10**9).zfill(9)
    first17 = f"52{region}{serial}"
    organizer = Organization.objects.create(kind="provider", name=f"探针竞赛主办{serial}", region_id=region,
                                            credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    return Event.objects.create(
        code=f"JSP{serial}", name=f"探针赛事{serial}", level="city", occupation=Occupation.objects.filter(
            level="occupation").order_by("code").first(), organizer=organizer, approving_department="探针人社局",
        region_id=region, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2),
    )  # fmt: skip


def register_competition_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    register("competitions:list", case("list", _event, lambda o: "/competitions/", "records.view", lambda o: o.name))
    register("competitions:detail", case("detail", _event, lambda o: f"/competitions/{o.pk}/", "records.view"))
    register("competitions:new", exempt("form page; the service checks the organizer's grant (tested)"))
    register("competitions:action", exempt("POST only; get_visible then the service's permission (tested)"))
    open_ = "approved events (public already), reached by the organization's region; only its own contestants (tested)"
    register("competitions:open", exempt(open_))
    register("competitions:open_register", exempt(open_))
    register("competitions:rules", exempt("award rules are published policy without personal data (public=True)"))
    register("competitions:rule_new", exempt("form page; settings.edit over the chosen region checked by the service"))
    register(
        "competitions:rule_action", exempt("POST only; rule sets are public policy, settings.edit checked (tested)")
    )
    register("competitions:open_withdraw", exempt(open_ + "; POST only, the organization's own contestants"))
    register("competitions:objection_raise", exempt("POST only; anyone signed in objects to published results (公示)"))
    register("competitions:rule_edit", exempt("form page of the proposer's own draft; rule sets are public policy"))
    public = "public (信息公开): approved events and published results, names and organizations only"
    for name in ("competitions_public:list", "competitions_public:detail", "competitions_public:titles"):
        register(name, exempt(public))


def register_competition_api_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    api = "/api/v1"
    register("api:event_list", case("list", _event, lambda o: f"{api}/competitions?page_size=200", "records.view",
                                    lambda o: o.code))  # fmt: skip
    register("api:event_detail", case("detail", _event, lambda o: f"{api}/competitions/{o.pk}", "records.view"))
    public = "public (信息公开): approved events and published results, names and organizations only"
    for name in ("api:public_event_list", "api:public_event_results", "api:public_titles"):
        register(name, exempt(public))
    register("api:competition_stages", case("detail", _event, lambda o: f"{api}/competitions/{o.pk}/stages",
                                            "records.view"))  # fmt: skip
    register("api:competition_objections", case("detail", _event, lambda o: f"{api}/competitions/{o.pk}/objections",
                                                 "records.view"))  # fmt: skip
    register("api:competition_rules", exempt("award rules are published policy without personal data (public=True)"))
    writes = "write; get_visible on the event (or objection, rule set), then the service's permission (tested)"
    for name in ("competition_stages_set", "competition_stage_result", "competition_stage_propose",
                 "competition_stage_confirm", "competition_stage_return", "competition_objection_decide",
                 "competition_rules_propose", "competition_rules_edit", "competition_rules_publish",
                 "competition_rules_return", "competition_create", "competition_file", "competition_approve",
                 "competition_reject", "competition_result", "competition_review", "competition_publish",
                 "competition_finalize", "competition_restate"):  # fmt: skip
        register(f"api:{name}", exempt(writes))
    register("api:competition_awards", case("detail", _event, lambda o: f"{api}/competitions/{o.pk}/awards",
                                            "records.view"))  # fmt: skip
    reg = "the organizer's and officials' (get_visible), or a recommending organization's own contestants (tested)"
    register("api:competition_contestants", exempt(reg))
    register("api:competition_register", exempt("write; " + reg))
    register("api:competition_withdraw", exempt("write; 404 unless the organizer's or the recommending organization's"))
    register("api:competition_objection_raise", exempt("write; anyone signed in, on an approved (public) event"))
