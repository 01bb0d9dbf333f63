"""The public page listing the OCDS downloads, empty and with processes, in both languages."""
from __future__ import annotations

import pytest

from tests.factories import budget_item, new_tender
from tests.probes import untranslated


@pytest.mark.parametrize("language", ["zh", "en"])
def test_page_without_any_tender(app, client, session, language):
    """An empty database (the demo publishes tenders)."""
    assert untranslated(app, session, [(None, "/ocds/")], language) == []
    client.post(f"/language/{language}", data={"next": "/"})
    text = client.get("/ocds/").get_data(as_text=True)
    assert {"zh": "尚无已发布的采购项目。", "en": "No tender has been published yet."}[
        language] in text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_page_lists_years_and_processes(app, client, demo, session, clock, language):
    published = new_tender(session, clock, item=budget_item(session))
    draft = new_tender(session, clock, publish=False)  # on a demo 2026 item
    assert untranslated(app, session, [(None, "/ocds/"), ("dept", "/ocds/")], language) == []
    client.post(f"/language/{language}", data={"next": "/"})
    text = client.get("/ocds/").get_data(as_text=True)
    assert "/ocds/years/2028.json" in text
    assert f"/ocds/{published.reference}/record.json" in text
    assert f"/ocds/{published.reference}/releases.json" in text
    assert draft.reference not in text  # a draft is not public
    assert {"zh": "按财政年度下载数据包", "en": "Packages by fiscal year"}[language] in text
    # Every link on the page opens for the public.
    for url in (f"/ocds/{published.reference}/record.json", "/ocds/years/2028.json"):
        assert client.get(url).status_code == 200
