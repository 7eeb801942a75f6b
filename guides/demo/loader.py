"""Demo service guides, forms and their taxonomy (themes, departments) for the provincial site,
and the city sites' 办事指南 and 表格下载 with their local guides.

Content in ``content_guides.py`` (shape: ``FORMAT_SERVICES.md``) and ``content_local.py``.
Same rules as the rest of the demo: found by stable keys (slug, form code), created only when
missing. ``loader`` is the demo's ``DemoLoader`` (``demo/loader.py``)."""

from __future__ import annotations

from datetime import date

from wagtail.models import Locale

from ..models import (
    Department,
    FormItem,
    FormLibraryPage,
    GuideLegalBasis,
    GuideMaterial,
    LocalGuidePage,
    ServiceGuideIndexPage,
    ServiceGuidePage,
    Theme,
)
from . import content_guides, content_local

THEMES = [
    ("fpbl", "发票办理"),
    ("sbns", "申报纳税"),
    ("swdj", "税务登记"),
    ("yhbl", "优惠办理"),
    ("zmkj", "证明开具"),
    ("grsds", "个人所得税"),
    ("sbf", "社保费缴纳"),
]
DEPARTMENTS = [
    ("nsfwc", "纳税服务处"),
    ("zgkfc", "征管和科技发展处"),
    ("hwlwsc", "货物和劳务税处"),
    ("sdsc", "所得税处"),
    ("cxswc", "财产和行为税处"),
    ("shbxfc", "社会保险费处"),
    ("zcfgc", "政策法规处"),
]


class GuidesLoader:
    def __init__(self, loader):
        self.loader = loader
        self.locale = Locale.get_default()

    def taxonomy(self, model, entries):
        found = {}
        for position, (slug, name) in enumerate(entries):
            item = model.objects.filter(slug=slug, locale=self.locale).first()
            if item is None:
                item = model.objects.create(slug=slug, name=name, sort_order=position, locale=self.locale)
                self.loader.note(f"{model._meta.verbose_name} {name}")
            found[slug] = item
        return found

    def taxonomy_entries(self) -> None:
        """Themes and departments (shared by the cluster; policies use the themes too)."""
        self.themes = self.taxonomy(Theme, THEMES)
        self.departments = self.taxonomy(Department, DEPARTMENTS)

    def run(self, service_column, collection, issuer: str, policies: dict, index: dict) -> None:
        """The guide index and the form library under 纳税服务, the forms and the guides;
        ``policies`` (slug → policy page) are the guides' legal basis."""
        self.policies = policies
        guide_index = self.loader.add_page(
            service_column,
            ServiceGuideIndexPage(
                title="办事指南",
                slug="bszn",
                intro="按服务对象、办事主题和实施部门查找办事指南：要带什么材料、到哪里办、多长时间办结。",
            ),
        )
        library = self.loader.add_page(
            service_column,
            FormLibraryPage(
                title="表格下载",
                slug="bgxz",
                intro="办理涉税事项所需的空白表格和填写样表，可按主题、部门和文件格式筛选。",
            ),
        )
        index.update(bszn=guide_index, bgxz=library)
        self.forms = self.load_forms(collection, issuer)
        self.load_guides(guide_index)
        self.province_guides = {guide.slug: guide for guide in ServiceGuidePage.objects.child_of(guide_index)}

    def run_city(self, site_key: str, service_column, index: dict) -> None:
        """A city's 办事指南 (its local guides of the province's items) and 表格下载 (the
        province's forms) under its 纳税服务; after ``run`` on the provincial site."""
        spec = content_local.CITY_INDEXES[site_key]
        guide_index = self.loader.add_page(
            service_column, ServiceGuideIndexPage(title="办事指南", slug="bszn", intro=spec["guides_intro"])
        )
        library = self.loader.add_page(
            service_column, FormLibraryPage(title="表格下载", slug="bgxz", intro=spec["forms_intro"])
        )
        index.update(bszn=guide_index, bgxz=library)
        for local in content_local.LOCAL_GUIDES[site_key]:
            guide = self.province_guides[local["guide"]]
            self.loader.add_page(
                guide_index,
                LocalGuidePage(
                    title=guide.title,
                    slug=guide.slug,
                    guide=guide,
                    local_place=local["place"],
                    local_hours=local["hours"],
                    local_phone=local["phone"],
                    local_notes=local["notes"],
                ),
            )

    # ---- forms and guides -------------------------------------------------------------
    def load_forms(self, collection, issuer) -> dict:
        found = {}
        for spec in content_guides.FORMS:
            form = FormItem.objects.filter(code=spec["code"], locale=self.locale).first()
            if form is None:
                stem = f"form-{spec['code'].lower()}"
                documents = [
                    self.loader.generated_document(
                        f"{spec['code']} {spec['title']}（{fmt.upper()}）", fmt, spec["lines"], collection, issuer, stem
                    )
                    for fmt in spec["formats"]
                ]
                sample = None
                if spec.get("sample_lines"):
                    sample = self.loader.generated_document(
                        f"{spec['code']} {spec['title']}（样表）",
                        spec["formats"][0],
                        spec["sample_lines"],
                        collection,
                        issuer,
                        f"{stem}-sample",
                    )
                form = FormItem.objects.create(
                    code=spec["code"],
                    title=spec["title"],
                    theme=self.themes.get(spec.get("theme")),
                    department=self.departments.get(spec.get("department")),
                    document=documents[0],
                    alt_document=documents[1] if len(documents) > 1 else None,
                    sample=sample,
                    updated=date.fromisoformat(spec["updated"]),
                    locale=self.locale,
                )
                self.loader.note(f"form {form}")
            found[spec["code"]] = form
        return found

    def load_guides(self, guide_index) -> None:
        for spec in content_guides.GUIDES:
            if guide_index.get_children().filter(slug=spec["slug"]).exists():
                continue
            page = ServiceGuidePage(
                title=spec["title"],
                slug=spec["slug"],
                item_code=spec.get("code", ""),
                theme=self.themes.get(spec.get("theme")),
                department=self.departments.get(spec.get("department")),
                for_individuals="individual" in spec["audience"],
                for_enterprises="enterprise" in spec["audience"],
                summary=spec.get("summary", ""),
                conditions=[("condition", text) for text in spec.get("conditions", [])],
                steps=[
                    ("step", {"title": step["title"], "description": step.get("description", "")})
                    for step in spec.get("steps", [])
                ],
                statutory_days=spec.get("statutory_days"),
                promised_days=spec.get("promised_days"),
                fees=spec.get("fees") or "不收费",
                place=spec.get("place", ""),
                hours=spec.get("hours", ""),
                phone=spec.get("phone", ""),
                visits=spec.get("visits", 1),
                online_url=spec.get("online_url", ""),
                faq=[("faq", {"question": item["question"], "answer": item["answer"]}) for item in spec.get("faq", [])],
            )
            for basis in spec.get("legal_basis", []):
                page.legal_basis.add(
                    GuideLegalBasis(policy=self.policies.get(basis.get("policy")), text=basis.get("text", ""))
                )
            for material in spec.get("materials", []):
                page.materials.add(
                    GuideMaterial(
                        name=material["name"],
                        kind=material.get("kind", "original"),
                        count=material.get("count", 1),
                        requirement=material.get("requirement", "required"),
                        form=self.forms.get(material.get("form")),
                        notes=material.get("notes", ""),
                    )
                )
            self.loader.add_page(guide_index, page)
