"""Every chapter of the built site has a Binder launch link to itself and a download of itself.

The links come from ``launch_buttons`` and ``repository`` in _config.yml (sphinx-book-theme).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from test_site import HTML, NOTEBOOKS, REPO

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())

pytestmark = pytest.mark.site


def test_binder_is_configured_from_the_repository_url():
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert CONFIG["repository"]["url"].startswith("https://github.com/")


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_a_chapter_page_launches_itself_on_binder_and_offers_its_download(doc):
    soup = BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    owner_repo = urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    binder = [
        a["href"]
        for a in soup.find_all("a", href=True)
        if a["href"].startswith("https://mybinder")
    ]
    assert binder, f"{doc} has no Binder launch link"
    url = urlparse(binder[0])
    assert url.path == f"/v2/gh/{owner_repo}/{branch}"
    assert parse_qs(url.query)["urlpath"] == [f"lab/tree/{doc}.md"]
    downloads = {a["href"] for a in soup.select("a[href*='_sources/']")}
    name = Path(doc).name
    assert any(h.endswith(f"_sources/{doc}.md") or h.endswith(f"/{name}.md") for h in downloads)
    assert (HTML / "_sources" / f"{doc}.md").is_file()
