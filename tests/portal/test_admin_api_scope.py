"""The admin API lists only what the user may see (issue 24, item 8): a city's editor gets
their city's images and documents, not 乙市's nor the main site's."""

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.helpers import staff_client

pytestmark = pytest.mark.django_db


def listed(client, endpoint) -> list[dict]:
    """Every item of a listing, page by page (the API answers 20 at most at a time)."""
    items, offset = [], 0
    while True:
        response = client.get(f"/admin/api/main/{endpoint}/", {"limit": 20, "offset": offset})
        assert response.status_code == 200
        data = response.json()
        items += data["items"]
        offset += 20
        if offset >= data["meta"]["total_count"]:
            return items


@pytest.mark.parametrize("endpoint, model", [("documents", get_document_model), ("images", get_image_model)])
def test_a_city_editor_sees_only_the_citys_collection(endpoint, model):
    jia = Collection.objects.get(name="甲市税务局")
    own = set(model().objects.filter(collection=jia).values_list("pk", flat=True))
    others = model().objects.exclude(collection=jia)
    assert own and others.filter(collection__name="乙市税务局").exists()
    editor = staff_client("jia_editor")
    items = listed(editor, endpoint)
    assert {item["id"] for item in items} == own
    other = others.filter(collection__name="乙市税务局").first()
    assert editor.get(f"/admin/api/main/{endpoint}/{other.pk}/").status_code == 404
    assert editor.get(f"/admin/api/main/{endpoint}/{min(own)}/").status_code == 200
    # a superuser still sees everything
    assert len(listed(staff_client("admin"), endpoint)) == model().objects.count()


def test_the_pages_endpoint_lists_only_pages_the_editor_may_explore():
    from wagtail.models import Site

    editor = staff_client("jia_editor")
    yi_root = Site.objects.get(hostname="yi.localhost").root_page
    ids = {item["id"] for item in listed(editor, "pages")}
    assert yi_root.pk not in ids
    assert editor.get(f"/admin/api/main/pages/{yi_root.pk}/").status_code == 404
