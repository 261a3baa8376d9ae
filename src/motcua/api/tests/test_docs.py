"""The OpenAPI description and the interactive docs, which must work with no Internet access."""

import re

import pytest

ENDPOINTS = {
    "/api/v1/procedures",
    "/api/v1/procedures/{code}",
    "/api/v1/procedures/{code}/versions/{number}",
    "/api/v1/procedures/{code}/cpsv-ap",
    "/api/v1/domains",
    "/api/v1/units",
    "/api/v1/units/{edition}/{code}",
    "/api/v1/units/{code}/successors",
    "/api/v1/units/{code}/predecessors",
    "/api/v1/units/valid-at",
    "/api/v1/agencies",
    "/api/v1/agencies/{organ_code_or_slug}",
    "/api/v1/dossiers",
    "/api/v1/dossiers/{code}",
    "/api/v1/dossiers/{code}/actions/{action}",
    "/api/v1/dossiers/{code}/slips/{kind}.pdf",
    "/api/v1/verify",
    "/api/v1/indicators/{scope_kind}/{scope_code}/scorecard",
    "/api/v1/indicators/{scope_kind}/{scope_code}/headline",
    "/api/v1/indicators/{scope_kind}/{scope_code}/trend",
}


def test_openapi_lists_every_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "motcua API" and spec["info"]["version"] == "1"
    assert "thủ tục hành chính" in spec["info"]["description"] and "procedure" in spec["info"]["description"]
    assert set(spec["paths"]) == ENDPOINTS
    writes = {"/api/v1/dossiers", "/api/v1/dossiers/{code}/actions/{action}", "/api/v1/verify"}
    assert all("get" in ops for path, ops in spec["paths"].items() if path not in writes)
    assert all("post" in spec["paths"][path] for path in writes)


def test_openapi_documents_parameters_and_errors(client):
    spec = client.get("/api/openapi.json").json()
    listing = spec["paths"]["/api/v1/procedures"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert {"q", "level", "domain", "agency", "online_service", "include_abolished", "limit", "cursor"} <= set(params)
    assert params["limit"]["schema"]["maximum"] == 100
    detail = spec["paths"]["/api/v1/procedures/{code}"]["get"]
    assert "404" in detail["responses"]
    cpsv = spec["paths"]["/api/v1/procedures/{code}/cpsv-ap"]["get"]
    assert "application/ld+json" in cpsv["responses"]["200"]["content"]


def test_docs_page_loads_without_any_external_url(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "the docs page must work offline"
    assert '"validatorUrl": null' in html  # else Swagger UI calls validator.swagger.io
    assets = re.findall(r'(?:src|href)="(/api/docs/assets/[^"]+)"', html)
    assert {a.rsplit("/", 1)[1] for a in assets} >= {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"}
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content)


@pytest.mark.parametrize("name", ["../../__init__.py", "redoc.standalone.js", "nothing.js"])
def test_docs_assets_serve_nothing_else(client, name):
    assert client.get(f"/api/docs/assets/{name}").status_code == 404


@pytest.mark.browser
def test_swagger_ui_renders_offline_in_a_browser(live_server, page):
    """Chromium loads the docs page, renders every operation, and asks no other host for anything."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {p.replace("\u200b", "") for p in paths} == ENDPOINTS
    assert page.locator(".info .title").inner_text().startswith("motcua API")
    foreign = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert foreign == []
