"""The portal's pages without login: the home's services come from the link registry (a path that does not
resolve is not linked), its search finds what is public and nothing that is not, and every bad input is answered
with a notice on a 200 page — never a server error."""

from __future__ import annotations

import pytest

from jineng.portal import links

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    import re

    return re.findall(r'data-code="([a-z_]+)"', response.content.decode())


def test_the_home_links_only_services_whose_urls_resolve(client, monkeypatch):
    extra = links.PortalLink("/public/nowhere-yet/", "尚未上线的服务", "—", "watch")
    monkeypatch.setattr(links, "LINKS", (*links.LINKS, extra))
    html = client.get("/public/").content.decode()
    for link in links.LINKS:
        assert (f'href="{link.path}"' in html) == links.resolves(link.path), link.path
    assert "尚未上线的服务" not in html
    for path in ("/verify", "/public/bases/", "/public/standards/", "/public/data/", "/catalog/providers/"):
        assert f'href="{path}"' in html


def test_the_search_finds_providers_programs_bases_standards_and_occupations(client, world):
    html = client.get("/public/", {"q": "焊"}).content.decode()
    assert "焊工（中级）培训" in html and "陈晓东焊接技能大师工作室" in html and ">焊工</a>" in html
    html = client.get("/public/", {"q": "南粤", "region": "广州市"}).content.decode()
    assert "广州市天河区南粤职业培训学校" in html
    html = client.get("/public/", {"q": "补贴标准"}).content.decode()
    assert "广东省职业技能培训补贴标准（2026）" in html
    assert "草稿中的补贴标准" not in html  # a draft is never public


def test_a_region_elsewhere_finds_none_of_guangzhou(client, world):
    html = client.get("/public/", {"q": "南粤", "region": "110101"}).content.decode()
    assert "广州市天河区南粤职业培训学校" not in html


BAD = [
    ({"q": "焊" * 51}, "query_too_long"),
    ({"q": "x" * 5000}, "query_too_long"),
    ({"q": ""}, "query_empty"),
    ({"q": "   "}, "query_empty"),
    ({"q": "焊", "region": "火星"}, "unknown_region"),
    ({"q": "焊", "region": "999999"}, "unknown_region"),
    ({"q": "焊", "region": "1" * 500}, "unknown_region"),
    ({"q": "焊", "sort": "name"}, "unknown_filter"),
]


@pytest.mark.parametrize(("params", "code"), BAD)
def test_bad_search_input_is_named_in_a_notice(client, params, code):
    response = client.get("/public/", params)
    assert response.status_code == 200
    assert code in _codes(response)


@pytest.mark.parametrize(
    "q", ["\x00焊", "' OR 1=1 --", "<script>alert(1)</script>", "🔧焊工", "ㄅㄆㄇ", "Сварщик", "%_%"]
)
def test_any_script_is_searched_without_error(client, world, q):
    response = client.get("/public/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "code"),
    [
        ("/public/bases/", {"kind": "castle"}, "unknown_value"),
        ("/public/bases/", {"level": "galactic"}, "unknown_value"),
        ("/public/bases/", {"page": "999"}, "page_out_of_range"),
        ("/public/bases/", {"page": "abc"}, "page_out_of_range"),
        ("/public/bases/", {"page": "-1"}, "page_out_of_range"),
        ("/public/bases/", {"colour": "red"}, "unknown_filter"),
        ("/public/standards/", {"subsidy_type": "free_money"}, "unknown_value"),
        ("/public/standards/", {"region": "nowhere"}, "unknown_region"),
        ("/public/standards/", {"page": "99999999999999999999"}, "page_out_of_range"),
        ("/public/standards/", {"q": "长" * 60}, "query_too_long"),
    ],
)
def test_list_pages_answer_bad_filters_with_a_notice(client, world, url, params, code):
    response = client.get(url, params)
    assert response.status_code == 200
    assert code in _codes(response)


def test_the_bases_page_publishes_standing_bases_with_their_approval_document(client, world):
    html = client.get("/public/bases/", {"region": "天河区", "kind": "master_studio"}).content.decode()
    assert "陈晓东焊接技能大师工作室" in html and "粤人社函〔2025〕12号" in html
    assert "已撤销的实训基地" not in client.get("/public/bases/").content.decode()  # a revoked base comes down


def test_a_county_sees_its_provinces_standard_and_its_rules_in_words(client, world):
    html = client.get("/public/standards/", {"region": "440106"}).content.decode()
    assert "广东省职业技能培训补贴标准（2026）" in html and "粤人社规〔2026〕1号" in html
    detail = client.get(f"/public/standards/{world.standard.pk}/").content.decode()
    assert "四级/中级工" in detail and "1,500.00" in detail
    assert client.get(f"/public/standards/{world.draft.pk}/").status_code == 404
    assert client.get("/public/standards/not-a-uuid/").status_code == 404


def test_the_statistics_page_hides_small_cells(client, world):
    html = client.get("/public/statistics/").content.decode()
    assert "广州市" in html and "＊" in html  # one certificate: below k, not shown
