"""The public side is reachable by navigation: every page a visitor opens links the portal, 证书查询, 补贴公示 and
both catalogs; the login page links to the portal; the verification result page keeps the navigation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_LINKS = ['href="/public/"', 'href="/verify"', 'href="/publicity/"', 'href="/catalog/providers/"',
                'href="/catalog/programs/"']  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/public/", "/verify", "/verify?number=X&name=Y", "/publicity/", "/catalog/providers/", "/login/"]
)
def test_a_visitor_reaches_every_public_service_from_any_public_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for link in PUBLIC_LINKS:
        assert link in html, (path, link)
    assert 'href="/login/"' in html


def test_the_portal_links_the_public_services_in_its_body(client):
    html = client.get("/public/").content.decode()
    body = html[html.index('id="main"') :]
    for link in ('href="/verify"', 'href="/publicity/"', 'href="/catalog/providers/"', 'href="/catalog/programs/"'):
        assert link in body


def test_a_signed_in_user_finds_the_public_services_in_the_sidebar(api, make_user):
    html = api(make_user("county_official", region="440106")).get("/verify").content.decode()
    sidebar = html[html.index('id="jn-sidebar"') : html.index("</nav>")]
    for link in PUBLIC_LINKS[:4]:
        assert link in sidebar


def test_the_certificate_check_leads_to_both_credential_checks(client):
    # a third party holding a credit transcript found no way to /credits/verify/ without typing it
    html = client.get("/verify").content.decode()
    assert 'href="/verify/credential"' in html and 'href="/credits/verify/"' in html
