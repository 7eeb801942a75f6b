"""Load the demo cluster: three sites, their columns, articles, pages, images,
attachments, identity settings and demo accounts.

Idempotent: every object is found by a stable key (site hostname, page slug under
its parent, image/document title in the site's collection, username) and created
only when missing, so running it twice changes nothing and duplicates nothing.
Existing objects are never overwritten: edits made in the admin survive a re-run.
"""

from __future__ import annotations

import io
import json
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, Page, Site

from editorial.demo import EditorialLoader
from home.models import (
    ArticleAttachment,
    ArticlePage,
    ArticleRelatedLink,
    ColumnPage,
    HomeFeaturedColumn,
    HomePage,
    SitemapPage,
    StandardPage,
)
from participation.demo import ParticipationLoader
from portal.models import PortalDocument, PortalImage, SiteIdentity, SiteText
from taxservice.demo import TaxServiceLoader

from . import content_cities, content_main, content_policies, files
from .interviews import InterviewsLoader
from .letters import LettersLoader
from .sites import SITES, USERS

SITE_TEXT_FIELDS = {field.name for field in SiteText._meta.get_fields()}

IMAGES = {**content_main.IMAGES, **content_cities.IMAGES, **content_policies.IMAGES}
DOCUMENTS = {**content_main.DOCUMENTS, **content_cities.DOCUMENTS, **content_policies.DOCUMENTS}
SITE_CONTENT = {**content_main.SITES, **content_cities.SITES}

STANDARD_PAGES = [
    ("about", "关于本站"),
    ("contact", "联系我们"),
    ("accessibility", "无障碍声明"),
    ("privacy", "隐私声明"),
]


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0

    # ---- generic helpers -------------------------------------------------------------
    def _note(self, what: str) -> None:
        self.created += 1
        self.log(f"  + {what}")

    def child(self, parent: Page, slug: str):
        return parent.get_children().filter(slug=slug).specific().first()

    def add_page(self, parent: Page, page: Page, first_published_at=None) -> Page:
        existing = self.child(parent, page.slug)
        if existing:
            return existing
        if first_published_at:
            page.first_published_at = first_published_at
        parent.add_child(instance=page)
        page.save_revision().publish()
        self._note(f"{page._meta.verbose_name} {page.title}")
        return page

    def collection(self, name: str) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        if existing:
            return existing
        self._note(f"collection {name}")
        return root.add_child(name=name)

    def image(self, key: str, collection: Collection) -> PortalImage:
        spec = IMAGES[key]
        existing = PortalImage.objects.filter(collection=collection, title=spec["title"]).first()
        if existing:
            return existing
        # Banners are wide; body images are drawn at the size the page shows them.
        width, height = (1200, 400) if "hero" in key else (960, 540)
        data = files.make_image(
            spec.get("label") or spec["title"],
            palette=spec.get("palette", "blue"),
            seed=key,
            width=width,
            height=height,
        )
        image = PortalImage(
            title=spec["title"],
            description=spec["alt"],
            collection=collection,
            file=ImageFile(io.BytesIO(data), name=f"demo-{key}.png"),
        )
        image._set_image_file_metadata()  # size and hash, as an admin upload sets them
        image.save()
        self._note(f"image {spec['title']}")
        return image

    def document(self, key: str, collection: Collection, issuer: str) -> PortalDocument:
        spec = DOCUMENTS[key]
        return self.generated_document(
            spec["title"], spec["format"], spec["paragraphs"], collection, issuer, f"demo-{key}", spec.get("date", "")
        )

    def generated_document(
        self, title: str, fmt: str, paragraphs: list[str], collection: Collection, issuer: str, stem: str, date=""
    ) -> PortalDocument:
        """A real PDF or DOCX file in the site's collection, found again by its title."""
        existing = PortalDocument.objects.filter(collection=collection, title=title).first()
        if existing:
            return existing
        make = files.make_docx if fmt == "docx" else files.make_pdf
        data = make(title, paragraphs, issuer=issuer, date=date)
        document = PortalDocument(title=title, collection=collection, file=ContentFile(data, name=f"{stem}.{fmt}"))
        document._set_document_file_metadata()  # size and hash, as an admin upload sets them
        document.save()
        self._note(f"document {title}")
        return document

    def body(self, blocks: list[dict], collection: Collection) -> str:
        stream = []
        for block in blocks:
            kind = block["type"]
            if kind == "paragraph":
                stream.append({"type": "paragraph", "value": block["html"]})
            elif kind == "heading":
                stream.append(
                    {"type": "heading", "value": {"text": block["text"], "level": f"h{block.get('level', 2)}"}}
                )
            elif kind == "table":
                stream.append(
                    {
                        "type": "table",
                        "value": {
                            "data": [block["header"], *block["rows"]],
                            "table_caption": block["caption"],
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "table_header_choice": "row",
                        },
                    }
                )
            elif kind == "image":
                image = self.image(block["image"], collection)
                spec = IMAGES[block["image"]]
                stream.append(
                    {
                        "type": "image",
                        "value": {
                            "image": {"image": image.pk, "decorative": False, "alt_text": spec["alt"]},
                            "caption": spec.get("caption", ""),
                        },
                    }
                )
            else:
                raise ValueError(f"unknown demo block type {kind!r}")
        return json.dumps(stream, ensure_ascii=False)

    # ---- sites -----------------------------------------------------------------------
    def remove_wagtail_welcome_page(self) -> None:
        """Wagtail's initial migration creates a plain "Welcome" page (slug "home") and a
        default site on it; replace them, but only while that page is untouched."""
        welcome = Page.objects.filter(depth=2, slug="home").exact_type(Page).first()
        if welcome is not None and welcome.numchild == 0:
            Site.objects.filter(root_page=welcome).delete()
            welcome.delete()
            self._note("removed Wagtail's welcome page")

    def site(self, spec: dict) -> Site:
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).filter(slug=spec["home_slug"]).first()
        if home is None:
            home = self.add_page(
                root,
                HomePage(
                    title=spec["identity"]["site_name"],
                    slug=spec["home_slug"],
                    banner_title=spec["banner"]["title"],
                    banner_text=spec["banner"]["text"],
                ),
            )
        site = Site.objects.filter(hostname=spec["hostname"]).first()
        if site is None:
            site = Site.objects.create(
                hostname=spec["hostname"],
                port=settings.DEMO_PORT,
                root_page=home,
                site_name=spec["identity"]["site_name"],
                is_default_site=spec["is_default"],
            )
            self._note(f"site {site.hostname}:{site.port}")
        return site

    def identity(self, site: Site, spec: dict, collection: Collection, pages: dict) -> None:
        if SiteIdentity.objects.filter(site=site).exists():
            return
        mark = PortalImage.objects.filter(collection=collection, title="党政机关网站标识").first()
        if mark is None:
            data = files.make_logo("党政机关", width=160, height=64, palette="red")
            mark = PortalImage(
                title="党政机关网站标识",
                description="党政机关网站标识",
                collection=collection,
                file=ImageFile(io.BytesIO(data), name="demo-gov-mark.png"),
            )
            mark._set_image_file_metadata()
            mark.save()
        texts = {name: value for name, value in spec["identity"].items() if name in SITE_TEXT_FIELDS}
        fields = {name: value for name, value in spec["identity"].items() if name not in SITE_TEXT_FIELDS}
        SiteIdentity.objects.create(
            site=site,
            text=SiteText.objects.create(**texts),
            gov_mark=mark,
            sitemap_page=pages.get("sitemap"),
            accessibility_page=pages.get("accessibility"),
            contact_page=pages.get("contact"),
            privacy_page=pages.get("privacy"),
            **fields,
        )
        self._note(f"identity for {site.hostname}")

    def columns(self, parent: Page, columns: list[dict], collection: Collection, issuer: str, index: dict) -> None:
        for spec in columns:
            column = self.add_page(
                parent,
                ColumnPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    intro=spec.get("intro", ""),
                    column_type=spec["column_type"],
                    department=spec.get("department", ""),
                    update_period_days=spec.get("update_days", 30),
                    show_in_menus=parent.depth == 2,
                ),
            )
            index[spec["slug"]] = column
            self.columns(column, spec.get("children", []), collection, issuer, index)
            for article in spec.get("articles", []):
                self.article(column, article, collection, issuer)

    def article(self, column: ColumnPage, spec: dict, collection: Collection, issuer: str) -> None:
        if self.child(column, spec["slug"]):
            return
        date = timezone.make_aware(datetime.strptime(spec["date"], "%Y-%m-%d %H:%M"))
        page = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            date=date,
            source=spec.get("source", ""),
            author=spec.get("author", ""),
            editor=spec.get("editor", ""),
            summary=spec.get("summary", ""),
            keywords=spec.get("keywords", ""),
            body=self.body(spec["body"], collection),
        )
        for key in spec.get("attachments", []):
            page.attachments.add(ArticleAttachment(document=self.document(key, collection, issuer)))
        for link in spec.get("related", []):
            page.related_links.add(ArticleRelatedLink(title=link["title"], link_url=link["url"]))
        self.add_page(column, page, first_published_at=date)

    def home_extras(self, home: HomePage, spec: dict, collection: Collection, index: dict) -> None:
        changed = False
        if not home.banner_image_id and spec["banner"].get("image"):
            home.banner_image = self.image(spec["banner"]["image"], collection)
            changed = True
        if not home.notice_column_id and spec.get("notice_column") in index:
            home.notice_column = index[spec["notice_column"]]
            changed = True
        if not home.featured_columns.exists():
            for slug, count in spec["featured_columns"]:
                home.featured_columns.add(HomeFeaturedColumn(column=index[slug], count=count))
            changed = True
        if not home.quick_links:
            links = []
            for link in spec["quick_links"]:
                value = {"title": link["title"], "description": link.get("description", ""), "page": None, "url": ""}
                if "page" in link:
                    value["page"] = index[link["page"]].pk
                else:
                    value["url"] = link["url"]
                links.append({"type": "link", "value": value})
            home.quick_links = json.dumps(links, ensure_ascii=False)
            changed = True
        if changed:
            home.save_revision().publish()
            self._note(f"home page blocks for {home.title}")

    def user(self, username: str, password: str, *, superuser=False, group=None, first_name="") -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return
        user = User(
            username=username,
            first_name=first_name,
            email=f"{username}@tax-shili.example",
            is_staff=True,
            is_superuser=superuser,
        )
        user.set_password(password)
        user.save()
        if group:
            user.groups.add(group)
        self._note(f"user {username}")

    # ---- entry point -----------------------------------------------------------------
    @transaction.atomic
    def run(self) -> int:
        self.remove_wagtail_welcome_page()
        for spec in SITES:
            content = SITE_CONTENT[spec["key"]]
            collection = self.collection(spec["collection"])
            site = self.site(spec)
            home = site.root_page.specific
            issuer = spec["identity"]["site_name"]
            index: dict[str, Page] = {}
            self.columns(home, content["columns"], collection, issuer, index)
            for key, title in STANDARD_PAGES:
                page_spec = content["pages"][key]
                index[key] = self.add_page(
                    home,
                    StandardPage(
                        title=page_spec.get("title", title),
                        slug=key,
                        intro=page_spec.get("intro", ""),
                        body=self.body(page_spec["body"], collection),
                        updated=timezone.localdate(),
                    ),
                )
            index["sitemap"] = self.add_page(home, SitemapPage(title="网站地图", slug="sitemap"))
            if spec["key"] == "main":
                from .services import ServicesLoader

                ServicesLoader(self).run(home, collection, issuer, index)
                InterviewsLoader(self).run(home, collection)
            TaxServiceLoader(self).run(spec["key"], home)  # 征期日历 and 办税地图 under 纳税服务
            self.home_extras(home, spec, collection, index)
            self.identity(site, spec, collection, index)
            group = EditorialLoader(self).run(spec["key"], site)  # roles, workflow and their demo accounts
            LettersLoader(self).run(spec, site, home, group)
            ParticipationLoader(self).run(spec["key"], home, collection, issuer)
        from faq.demo import FAQLoader

        FAQLoader(self).run()
        from monitoring.demo import MonitoringLoader

        MonitoringLoader(self).run()  # 负责人邮箱 and periods of the demo columns
        from .english import EnglishLoader

        EnglishLoader(self).run(Site.objects.get(is_default_site=True).root_page)
        EditorialLoader(self).cover_translations()  # the English tree gets the main site's roles and workflow
        for user in USERS:
            self.user(user["username"], user["password"], superuser=user["superuser"], first_name=user["first_name"])
        from submission.demo import SubmissionLoader

        SubmissionLoader(self).run()  # 信息报送: a 甲市 article taken up by the main site, a 乙市 one in review
        return self.created
