"""The open datasets, declared as data.

A dataset is a ``Dataset``: its code (the file and URL name), its title and
description in Vietnamese and English, its theme in the EU data-theme
vocabulary, keywords, its columns (the shared spreadsheet ``Column``, so the
XLSX writes numbers as numbers), the function producing its rows, and for
spatial datasets the row key holding the GeoJSON geometry. ``datasets.py``
declares the ones of today; adding one (tourism sites…) is one more
``register(Dataset(...))`` there.

Nothing here knows about personal data: a dataset's rows hold only what
may be published, and tests/opendata scans every file against the
household register.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The EU data-theme vocabulary DCAT-AP asks dcat:theme to use.
DATA_THEMES = "http://publications.europa.eu/resource/authority/data-theme"
THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "GOVE": "Government and public sector",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
}
# The vocabulary has no Vietnamese labels: these are ours, for the pages.
THEME_LABELS_VI = {
    "AGRI": _("Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm"),
    "ECON": _("Kinh tế và tài chính"),
    "EDUC": _("Giáo dục, văn hóa và thể thao"),
    "GOVE": _("Chính phủ và khu vực công"),
    "REGI": _("Vùng và đô thị"),
    "SOCI": _("Dân số và xã hội"),
    "TECH": _("Khoa học và công nghệ"),
}


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str
    title_en: str
    description: str
    description_en: str
    theme: str
    columns: list
    # rows() -> iterable of dicts keyed by column key (plus ``geometry``
    # and ``id`` for spatial datasets), in the order they are published.
    rows: object
    keywords: tuple = ()
    spatial: bool = False
    # Models whose rows feed the dataset: their count and latest change
    # make the data version and the "modified" date (see versions.py).
    sources: tuple = ()
    # temporal(rows) -> (first day, last day) or None.
    temporal: object = None
    # Why the dataset leaves out what it leaves out (shown on its page).
    privacy_note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def theme_uri(self):
        return f"{DATA_THEMES}/{self.theme}"

    @property
    def theme_label(self):
        return THEME_LABELS[self.theme]

    @property
    def theme_label_vi(self):
        return THEME_LABELS_VI[self.theme]

    @property
    def formats(self):
        return ("csv", "xlsx", "geojson") if self.spatial else ("csv", "xlsx")


_DATASETS = {}


def register(dataset):
    """Add ``dataset`` to the catalogue; a code is registered once."""
    if dataset.code in _DATASETS:
        raise ValueError(f"Dataset {dataset.code!r} is already registered.")
    if dataset.theme not in THEME_LABELS:
        raise ValueError(f"Unknown data theme {dataset.theme!r}.")
    _DATASETS[dataset.code] = dataset
    return dataset


def all_datasets():
    _load()
    return list(_DATASETS.values())


def get_dataset(code):
    """The dataset of ``code``, or None."""
    _load()
    return _DATASETS.get(code)


def spatial_datasets():
    return [dataset for dataset in all_datasets() if dataset.spatial]


def _load():
    # The declarations import the domain apps' models: loaded on first use,
    # after the app registry is ready.
    from . import datasets  # noqa: F401
