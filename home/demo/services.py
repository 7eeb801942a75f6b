"""Demo service guides, forms, policies and interpretations for the provincial site.

Same rules as the rest of the loader: found by stable keys (slug, form code), created
only when missing."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from wagtail.models import Locale

from guides.models import (
    Department,
    FormItem,
    FormLibraryPage,
    GuideLegalBasis,
    GuideMaterial,
    ServiceGuideIndexPage,
    ServiceGuidePage,
    Theme,
)
from home.models import (
    ArticleAttachment,
    ColumnPage,
    InterpretationPolicy,
    PolicyDocumentPage,
    PolicyInterpretationPage,
)

from . import content_guides, content_policies

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


def _aware(value: str):
    return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d %H:%M"))


class ServicesLoader:
    def __init__(self, loader):
        self.loader = loader
        self.locale = Locale.get_default()

    def taxonomy(self, model, entries):
        found = {}
        for position, (slug, name) in enumerate(entries):
            item = model.objects.filter(slug=slug, locale=self.locale).first()
            if item is None:
                item = model.objects.create(slug=slug, name=name, sort_order=position, locale=self.locale)
                self.loader._note(f"{model._meta.verbose_name} {name}")
            found[slug] = item
        return found

    def run(self, home, collection, issuer, index) -> None:
        self.themes = self.taxonomy(Theme, THEMES)
        self.departments = self.taxonomy(Department, DEPARTMENTS)
        add = self.loader.add_page
        policy_column = add(
            home,
            ColumnPage(
                title="政策文件",
                slug="zcwj",
                column_type="policy",
                department="政策法规处",
                update_period_days=30,
                show_in_menus=True,
                intro="本局发布的规范性文件、公告和通知，标注文号、成文日期与有效性。",
            ),
        )
        interpretation_column = add(
            home,
            ColumnPage(
                title="政策解读",
                slug="zcjd",
                column_type="interpretation",
                department="政策法规处",
                update_period_days=30,
                show_in_menus=True,
                intro="对本局政策文件的文字解读、图解和在线访谈，与原文件相互链接。",
            ),
        )
        index.update(zcwj=policy_column, zcjd=interpretation_column)
        self.policies = self.load_policies(policy_column, collection, issuer)
        self.load_interpretations(interpretation_column, collection)

        service_column = index["nsfw"]
        guide_index = add(
            service_column,
            ServiceGuideIndexPage(
                title="办事指南",
                slug="bszn",
                intro="按服务对象、办事主题和实施部门查找办事指南：要带什么材料、到哪里办、多长时间办结。",
            ),
        )
        library = add(
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

    # ---- policies ---------------------------------------------------------------------
    def load_policies(self, column, collection, issuer) -> dict:
        found = {}
        # Replacements first, so an expired document can point at the one that replaced it.
        ordered = sorted(content_policies.POLICIES, key=lambda spec: spec.get("replaced_by") is not None)
        for spec in ordered:
            existing = column.get_children().filter(slug=spec["slug"]).specific().first()
            if existing:
                found[spec["slug"]] = existing
                continue
            page = PolicyDocumentPage(
                title=spec["title"],
                slug=spec["slug"],
                date=_aware(spec["date"]),
                source=spec["issuing_body"],
                issuing_body=spec["issuing_body"],
                document_number=spec.get("document_number", ""),
                index_number=spec.get("index_number", ""),
                written_date=date.fromisoformat(spec["written_date"]) if spec.get("written_date") else None,
                validity=spec["validity"],
                replaced_by=found.get(spec.get("replaced_by")),
                theme=self.themes.get(spec.get("theme")),
                summary=spec.get("summary", ""),
                keywords=spec.get("keywords", ""),
                body=self.loader.body(spec["body"], collection),
            )
            for key in spec.get("attachments", []):
                page.attachments.add(ArticleAttachment(document=self.loader.document(key, collection, issuer)))
            found[spec["slug"]] = self.loader.add_page(column, page, first_published_at=page.date)
        return found

    def load_interpretations(self, column, collection) -> None:
        for spec in content_policies.INTERPRETATIONS:
            if column.get_children().filter(slug=spec["slug"]).exists():
                continue
            page = PolicyInterpretationPage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                date=_aware(spec["date"]),
                source=spec.get("source", ""),
                author=spec.get("author", ""),
                summary=spec.get("summary", ""),
                keywords=spec.get("keywords", ""),
                body=self.loader.body(spec["body"], collection),
            )
            for slug in spec["policies"]:
                page.policy_links.add(InterpretationPolicy(policy=self.policies[slug]))
            self.loader.add_page(column, page, first_published_at=page.date)

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
                self.loader._note(f"form {form}")
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
