"""The public registry: active organizations only, filterable, paginated, no login."""
from __future__ import annotations

from sqlalchemy import select

from market.accounts.models import Town
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization


def _org(session, name: str) -> Organization:
    return session.scalar(select(Organization).where(Organization.name == name))


def test_profile_of_an_active_organization(client, session, demo):
    org = _org(session, "昆山市阳光社工服务中心")
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    for text in ("昆山市阳光社工服务中心", "公益慈善类", "社会服务机构", "玉山镇",
                 str(org.registered_on), "年检结论", "合格"):
        assert text in html
    # Contact details and bank accounts are not published.
    assert org.bank_account not in html and org.contact_phone not in html


def test_profile_in_english(client, session, demo):
    org = _org(session, "昆山市阳光社工服务中心")
    client.post("/language/en", data={"next": "/"})
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    # the demo seeds a legacy grade: the profile shows it with its validity (issue 5 part 7)
    assert "Grade history" in html and "Public welfare and charity" in html
    assert "Yushan Town" in html


def test_non_active_organizations_are_not_public(client, session, demo):
    for status in (OrgStatus.PENDING, OrgStatus.SUSPENDED, OrgStatus.CLEARED):
        org = session.scalar(select(Organization).where(Organization.status == status))
        assert client.get(f"/organizations/{org.id}").status_code == 404, status
        assert "共 0 家组织" in client.get("/organizations/?q=" + org.name).get_data(
            as_text=True)
    assert client.get("/organizations/999999").status_code == 404


def test_list_filters_and_pages(client, session, demo):
    active = session.query(Organization).filter_by(status=OrgStatus.ACTIVE).count()
    first = client.get("/organizations/").get_data(as_text=True)
    assert f"共 {active} 家组织" in first and "第 1 页" in first
    assert client.get("/organizations/?page=2").status_code == 200

    industry = client.get("/organizations/?category=industry").get_data(as_text=True)
    assert "昆山市软件行业协会" in industry and "昆山市阳光社工服务中心" not in industry

    bacheng = session.scalar(select(Town.id).where(Town.code == "BC"))
    town_page = client.get(f"/organizations/?town={bacheng}").get_data(as_text=True)
    assert "巴城镇乐龄之家服务中心" in town_page and "昆山市软件行业协会" not in town_page

    found = client.get("/organizations/?q=阳光").get_data(as_text=True)
    assert "昆山市阳光社工服务中心" in found and "共 1 家组织" in found
    # Filed organizations carry their flag in the list.
    filed = client.get("/organizations/?q=朝阳社区文体队").get_data(as_text=True)
    assert "badge-filed" in filed


def test_bad_filters_are_ignored(client, demo):
    assert client.get("/organizations/?category=nope&town=x&page=-3").status_code == 200
    assert client.get("/organizations/?q=%25").status_code == 200
