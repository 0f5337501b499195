"""No personal data in any published file: every file of every dataset,
the catalogue and the OGC API, built on the demo district, scanned against
the household register (and the people named in the OCOP and cooperative
registers)."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ntm.cooperatives.models import Cooperative
from ntm.households.models import Household
from ntm.ocop.models import Entity
from ntm.opendata.registry import all_datasets


def personal_strings():
    """Every head of household's name and phone, the people named in the
    OCOP and cooperative registers, and each household's exact point."""
    found = set()
    households = Household._base_manager.values_list("head_name", "phone", "lat", "lon")
    for head_name, phone, lat, lon in households:
        found |= {head_name, phone}
        if lat is not None and lon is not None:
            found |= {f"{_plain(lat)},{_plain(lon)}", f"{_plain(lon)},{_plain(lat)}"}
    for name, phone in Entity.objects.values_list(
        "representative", "representative_phone"
    ):
        found |= {name, phone}
    for name, phone in Cooperative.objects.values_list("representative", "phone"):
        found |= {name, phone}
    return {text for text in found if text}


def _plain(number):
    text = format(Decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text_of(content, fmt):
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if value is None else str(value) for value in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8-sig")


def leaks(text, secrets):
    """The secrets found in ``text``, whatever their letter case (one pass
    of one pattern: a thousand names over forty files)."""
    folded = {secret.casefold(): secret for secret in secrets}
    pattern = re.compile(
        "|".join(re.escape(s) for s in sorted(folded, key=len, reverse=True))
    )
    return sorted({folded[m] for m in pattern.findall(text.casefold())})


def published(client):
    """(name, text) of every file, page and document the open data serves."""
    yield "catalog.jsonld", client.get(reverse("opendata:catalogue-jsonld")).content
    yield "catalogue page", client.get(reverse("opendata:catalogue")).content
    for dataset in all_datasets():
        page = client.get(reverse("opendata:dataset-detail", args=[dataset.code]))
        yield f"{dataset.code} page", page.content
        for fmt in dataset.formats:
            url = reverse("opendata:dataset-file", args=[dataset.code, fmt])
            response = client.get(url)
            assert response.status_code == 200
            yield f"{dataset.code}.{fmt}", text_of(response.content, fmt).encode()
        if dataset.spatial:
            url = reverse("opendata:ogc-items", args=[dataset.code])
            response = client.get(url, {"limit": 1000})
            yield f"OGC {dataset.code}", response.content


def test_no_published_file_holds_a_head_of_household_or_a_phone(client, demo):
    secrets = personal_strings()
    heads = set(Household._base_manager.values_list("head_name", flat=True))
    assert len(heads) > 100
    # The demo's household businesses are OCOP producers and growing-area
    # holders, represented by their heads: the scan has something to find.
    assert Entity.objects.filter(
        kind=Entity.Kind.HOUSEHOLD_BUSINESS, representative__in=heads
    ).exists()
    files = 0
    for name, content in published(client):
        text = content.decode("utf-8")
        assert not leaks(text, secrets), name
        files += 1
    assert files > 30
    # And the files of the demo say what they are.
    url = reverse("opendata:dataset-file", args=["hop-tac-xa", "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    info = {row[0].value: row[1].value for row in book["Thông tin"].iter_rows()}
    assert "Dữ liệu minh họa" in info


@pytest.mark.django_db
def test_the_scan_finds_a_name_or_a_phone_in_a_file():
    secrets = {"Nguyễn Văn An", "0905123456"}
    assert leaks("code,name\r\n1,NGUYỄN VĂN AN\r\n", secrets) == ["Nguyễn Văn An"]
    assert leaks(json.dumps({"phone": "0905123456"}), secrets) == ["0905123456"]
