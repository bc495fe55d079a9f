"""Search and filter parameters of pages with a NUL character (or a lone surrogate) are read without it, in one
place (``QueryTextMiddleware``): never a 500 where PostgreSQL refuses the text. The API refuses them with a 422."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from jineng.common.middleware import QueryTextMiddleware

pytestmark = pytest.mark.django_db

# Every page whose search or filter parameters reach a query (the ones reading ?q= by hand above all).
PAGES = [
    "/competitions/",
    "/competitions/open/",
    "/competitions/rules/",
    "/public/competitions/",
    "/public/competitions/titles/",
    "/complaints/",
    "/credits/",
    "/credits/conversions/",
    "/credits/recognitions/",
    "/credits/issuers/",
    "/credits/rules/",
    "/public/regions/",
    "/public/occupations/",
    "/public/blacklist/",
    "/public/complaints/suggest/objects/",
    "/public/complaints/suggest/regions/",
    "/pickers/occupations",
    "/pickers/regions",
    "/training/projects/",
    "/subsidies/review/",
    "/subsidies/recoveries/",
    "/supervision/",
    "/supervision/risk/",
    "/supervision/sanctions/",
    "/providers/",
    "/catalog/providers/",
    "/catalog/programs/",
    "/publicity/",
]

BAD = {
    "q": "电工\x00",
    "region": "4401\x00",
    "status": "\x00open",
    "occupation": "\x00",
    "kind": "\x00",
    "year": "20\x0026",
}


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_in_a_search_or_filter_is_not_a_server_error(make_user, url):
    client = Client(raise_request_exception=True)
    client.force_login(make_user("province_official", region="440000"))
    response = client.get(url, BAD)
    assert response.status_code < 500, response.status_code
    assert response.status_code in (200, 302, 403, 404)


def test_the_page_reads_the_query_without_nul_and_keeps_the_rest():
    seen: dict[str, list[str]] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update({k: request.GET.getlist(k) for k in request.GET})
        return HttpResponse("ok")

    request = RequestFactory().get("/competitions/?q=%E7%94%B5%00%E5%B7%A5&page=2&tag=a&tag=b%00&%00x=1")
    QueryTextMiddleware(view)(request)
    assert seen == {"q": ["电工"], "page": ["2"], "tag": ["a", "b"], "x": ["1"]}


def test_a_form_post_is_read_without_nul_and_an_upload_is_left_to_its_form():
    seen: dict[str, list[str]] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update({k: request.POST.getlist(k) for k in request.POST})
        return HttpResponse("ok")

    request = RequestFactory().post("/inspections/tasks/x/", "reason=%E8%AF%B4%00%E6%98%8E&csrfmiddlewaretoken=t",
                                     content_type="application/x-www-form-urlencoded")  # fmt: skip
    QueryTextMiddleware(view)(request)
    assert seen == {"reason": ["说明"], "csrfmiddlewaretoken": ["t"]}
    seen.clear()
    request = RequestFactory().post("/inspections/tasks/x/", {"reason": "a\x00"})  # multipart
    QueryTextMiddleware(view)(request)
    assert seen == {"reason": ["a\x00"]}


def test_a_clean_query_is_left_as_it_is():
    request = RequestFactory().get("/competitions/?q=abc&page=2")
    before = request.GET
    QueryTextMiddleware(lambda r: HttpResponse("ok"))(request)
    assert request.GET is before


def test_the_api_still_refuses_a_nul_with_a_422(make_user):
    client = Client()
    client.force_login(make_user("province_official", region="440000"))
    for url in ("/api/v1/competitions", "/api/v1/complaints", "/api/v1/credits/accounts"):
        response = client.get(url, {"q": "a\x00"})
        assert response.status_code in (422, 404), (url, response.status_code)
        if response.status_code == 422:
            assert response.json()["fields"][0] == {
                "field": "q",
                "code": "nul_character",
                "message": "不能包含空字符（NUL）。",
            }
