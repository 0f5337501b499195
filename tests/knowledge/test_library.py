"""The know-how library: diacritic-insensitive full-text search on both
databases, public reading without personal data, keepers' editing, counted
downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.knowledge.models import Guide
from ntm.knowledge.services import (
    KnowledgeError,
    create_guide,
    delete_guide,
    update_guide,
)
from tests.factories import make_member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def guide(units):
    def make(title="Tài liệu", body="Nội dung hướng dẫn.", **fields):
        fields.setdefault("publisher", units["district"])
        return create_guide(title=title, body=body, by=None, **fields)

    return make


@pytest.fixture
def keeper(units):
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa")


def titles(guides):
    return [g.title for g in guides]


# --- search ----------------------------------------------------------------


def test_search_without_marks_finds_the_marked_title(guide):
    guide("Kỹ thuật trồng lúa vụ Đông Xuân")
    guide("Nuôi bò vỗ béo")
    assert titles(Guide.objects.search("ky thuat trong lua")) == [
        "Kỹ thuật trồng lúa vụ Đông Xuân"
    ]
    # "đ" is a letter of its own: folded to "d" on both sides.
    assert titles(Guide.objects.search("dong xuan")) == [
        "Kỹ thuật trồng lúa vụ Đông Xuân"
    ]
    assert titles(Guide.objects.search("ĐÔNG")) == ["Kỹ thuật trồng lúa vụ Đông Xuân"]


def test_a_title_match_ranks_above_a_body_match(guide):
    # Created first, so date order alone would put it first.
    guide("Sổ tay nhà nông", body="Chương 3: kỹ thuật trồng lúa trên chân ruộng trũng.")
    guide("Kỹ thuật trồng lúa", body="Làm đất, gieo sạ, bón phân.")
    assert titles(Guide.objects.search("ky thuat trong lua")) == [
        "Kỹ thuật trồng lúa",
        "Sổ tay nhà nông",
    ]


def test_every_word_must_match_and_the_last_may_be_a_prefix(guide):
    guide("Kỹ thuật trồng lúa")
    guide("Kỹ thuật nuôi gà")
    assert titles(Guide.objects.search("ky thuat lu")) == ["Kỹ thuật trồng lúa"]
    assert titles(Guide.objects.search("lua ga")) == []


def test_search_follows_edits_and_deletions(guide):
    rice = guide("Kỹ thuật trồng lúa")
    update_guide(rice, title="Kỹ thuật trồng ngô", by=None)
    assert titles(Guide.objects.search("lua")) == []
    assert titles(Guide.objects.search("ngo")) == ["Kỹ thuật trồng ngô"]
    delete_guide(rice, by=None)
    assert titles(Guide.objects.search("ngo")) == []


@pytest.mark.parametrize("text", ['"', "lua OR", "lua*)(", "NEAR(", "--", "'; drop"])
def test_query_syntax_typed_in_the_box_is_only_text(guide, text):
    guide("Kỹ thuật trồng lúa")
    # No engine error whatever is typed; operators are words or dropped.
    list(Guide.objects.search(text))


def test_subject_and_field_are_searched_as_text(guide):
    guide("Sổ tay vỗ béo", subject="Bò", field=Guide.Field.LIVESTOCK)
    assert titles(Guide.objects.search("bo")) == ["Sổ tay vỗ béo"]
    assert titles(Guide.objects.search("chan nuoi")) == ["Sổ tay vỗ béo"]


# --- services --------------------------------------------------------------


def test_a_guide_needs_content_and_a_district_or_commune(guide, villages):
    with pytest.raises(KnowledgeError, match="Cần có nội dung"):
        guide(body="")
    with pytest.raises(KnowledgeError, match="huyện hoặc xã"):
        guide(publisher=villages["hn1"])
    assert not Guide.objects.exists()


def test_changes_are_in_the_audit_log(guide):
    entry = guide("Kỹ thuật trồng lúa")
    update_guide(entry, summary="Tóm tắt mới", by=None)
    actions = list(
        ActionLog.objects.for_object(entry)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["knowledge.guide.created", "knowledge.guide.changed"]


# --- pages -----------------------------------------------------------------


def test_anyone_reads_published_guides_and_searches_them(client, guide):
    guide("Kỹ thuật trồng lúa")
    guide("Bản nháp về bò", is_published=False)
    page = client.get(reverse("library:guide-list"), {"q": "ky thuat trong lua"})
    assert page.status_code == 200
    assert "Kỹ thuật trồng lúa" in page.content.decode()
    listing = client.get(reverse("library:guide-list")).content.decode()
    assert "Bản nháp về bò" not in listing


def test_a_draft_is_not_found_by_the_public_but_seen_by_its_keeper(
    client, guide, units, keeper
):
    draft = guide("Bản nháp", is_published=False, publisher=units["ha_nha"])
    url = reverse("library:guide-detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(keeper)
    assert client.get(url).status_code == 200


def test_a_download_is_counted_and_serves_the_file(client, guide):
    entry = guide(file=SimpleUploadedFile("huong-dan.pdf", PDF), body="")
    url = reverse("library:guide-download", args=[entry.pk])
    for _ in range(2):
        answer = client.get(url)
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == PDF
    entry.refresh_from_db()
    assert entry.downloads == 2


def test_a_keeper_publishes_with_a_file_and_bad_input_keeps_what_was_typed(
    client, keeper, units
):
    client.force_login(keeper)
    url = reverse("library:guide-create")
    bad = client.post(
        url,
        {
            "title": "Quy trình VietGAP",
            "kind": "document",
            "field": "crops",
            "publisher": units["ha_nha"].pk,
            "video_url": "javascript:alert(1)",
            "is_published": "on",
            "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"),
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Quy trình VietGAP" in body  # what was typed stays
    assert "chương trình chạy được" in body
    assert not Guide.objects.exists()
    good = client.post(
        url,
        {
            "title": "Quy trình VietGAP",
            "kind": "document",
            "field": "crops",
            "publisher": units["ha_nha"].pk,
            "is_published": "on",
            "file": SimpleUploadedFile("vietgap.pdf", PDF),
        },
    )
    created = Guide.objects.get()
    assert good.status_code == 302 and good["Location"] == created.get_absolute_url()
    assert created.file and created.publisher == units["ha_nha"]


def test_a_keeper_cannot_publish_for_or_edit_another_commune(
    client, keeper, guide, units
):
    other = guide("Của xã Vu Gia", publisher=units["vu_gia"])
    client.force_login(keeper)
    answer = client.post(
        reverse("library:guide-create"),
        {
            "title": "X",
            "kind": "document",
            "field": "crops",
            "body": "Y",
            "publisher": units["vu_gia"].pk,
        },
    )
    assert answer.status_code == 200 and not Guide.objects.filter(title="X").exists()
    edit = reverse("library:guide-edit", args=[other.pk])
    assert client.post(edit, {"title": "Đổi"}).status_code == 403
    assert (
        client.post(reverse("library:guide-delete", args=[other.pk])).status_code == 403
    )
    other.refresh_from_db()
    assert other.title == "Của xã Vu Gia"


def test_a_village_head_reads_but_does_not_publish(client, village_head):
    client.force_login(village_head)
    assert client.get(reverse("library:guide-list")).status_code == 200
    assert client.get(reverse("library:guide-create")).status_code == 403


# --- API -------------------------------------------------------------------


def test_the_api_lists_published_guides_best_first_to_anyone(client, guide):
    guide("Sổ tay nhà nông", body="Kỹ thuật trồng lúa trên chân ruộng trũng.")
    guide("Kỹ thuật trồng lúa")
    guide("Bản nháp lúa", is_published=False)
    answer = client.get("/api/v1/knowledge/guides", {"q": "trong lua"})
    assert answer.status_code == 200
    data = answer.json()
    assert [g["title"] for g in data["results"]] == [
        "Kỹ thuật trồng lúa",
        "Sổ tay nhà nông",
    ]
    assert data["count"] == 2
    draft = Guide.objects.get(title="Bản nháp lúa")
    assert client.get(f"/api/v1/knowledge/guides/{draft.pk}").status_code == 404
