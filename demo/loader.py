"""Load the demo cluster: three sites with their columns, pages, files, images, identity,
editorial roles, mailboxes, interviews, consultations, filing calendars, FAQ, the English
edition and the demo accounts.

This module holds what every app's demo loader shares (finding or creating pages, images
and documents, accounts) and the order in which the apps' loaders run; each app owns its
content and loader (``home/demo/``, ``guides/demo/``, ``correspondence/demo/``,
``interviews/demo/``, ``taxservice/demo.py``, ``participation/demo.py`` …). The app loaders
receive this ``DemoLoader`` and call its helpers; they never import this package.

Idempotent: every object is found by a stable key (site hostname, page slug under
its parent, image/document title in the site's collection, username) and created
only when missing, so running it twice changes nothing and duplicates nothing.
Existing objects are never overwritten: edits made in the admin survive a re-run.
"""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from post_office.models import Email
from wagtail.models import Collection, Page, Site

from annualreports.demo import AnnualReportsLoader
from cluster.models import SiteTemplate
from cluster.services import SiteSpec, open_site
from correspondence.demo.letters import LettersLoader
from disclosure.demo import DisclosureLoader
from editorial.demo import EditorialLoader, demo_accounts
from editorial.roles import site_group
from faq.demo import FAQLoader
from guides.demo.loader import GuidesLoader
from home.demo.loader import HomeLoader
from home.models import HomePage
from inforequests.demo.loader import ApplicationsLoader
from interviews.demo.interviews import InterviewsLoader
from monitoring.demo import MonitoringLoader
from participation.demo import ParticipationLoader
from portal.models import PortalDocument, PortalImage, SiteIdentity, SiteText
from registers.demo import RegistersLoader
from signin import demo as two_factor_demo
from submission.demo import SubmissionLoader
from taxservice.demo import TaxServiceLoader
from visits.demo import VisitsLoader

from . import files
from .english import EnglishLoader
from .sites import COUNTY_SITES, GOV_MARK, SITES, USERS

SITE_TEXT_FIELDS = {field.name for field in SiteText._meta.get_fields()}


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0
        # Image and attachment specs by key (see home/demo/FORMAT.md), added by the app loaders.
        self.images: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self._new_identities: set[int] = set()

    # ---- what the app loaders share ---------------------------------------------------
    def note(self, what: str) -> None:
        """Count and log one object created."""
        self.created += 1
        self.log(f"  + {what}")

    def child(self, parent: Page, slug: str):
        return parent.get_children().filter(slug=slug).specific().first()

    def add_page(self, parent: Page, page: Page, first_published_at=None) -> Page:
        """``page`` published under ``parent``, or the page already there with its slug."""
        existing = self.child(parent, page.slug)
        if existing:
            return existing
        if first_published_at:
            page.first_published_at = first_published_at
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.note(f"{page._meta.verbose_name} {page.title}")
        return page

    def collection(self, name: str) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        if existing:
            return existing
        self.note(f"collection {name}")
        return root.add_child(name=name)

    def generated_image(
        self, title: str, alt: str, label: str, collection: Collection, *, palette="blue", seed="", filename="",
        width=960, height=540,
    ) -> PortalImage:  # fmt: skip
        """A drawn illustration with ``label`` on it, found again by its title in the collection."""
        existing = PortalImage.objects.filter(collection=collection, title=title).first()
        if existing:
            return existing
        data = files.make_image(label, palette=palette, seed=seed or title, width=width, height=height)
        image = PortalImage(
            title=title,
            description=alt,
            collection=collection,
            file=ImageFile(io.BytesIO(data), name=filename or f"demo-{seed or 'image'}.png"),
        )
        image._set_image_file_metadata()  # size and hash, as an admin upload sets them
        image.save()
        self.note(f"image {title}")
        return image

    def image(self, key: str, collection: Collection) -> PortalImage:
        """The image ``key`` of ``self.images``: banners are wide, body images drawn at the
        size the page shows them."""
        spec = self.images[key]
        width, height = (1200, 400) if "hero" in key else (960, 540)
        return self.generated_image(
            spec["title"],
            spec["alt"],
            spec.get("label") or spec["title"],
            collection,
            palette=spec.get("palette", "blue"),
            seed=key,
            filename=f"demo-{key}.png",
            width=width,
            height=height,
        )

    def document(self, key: str, collection: Collection, issuer: str) -> PortalDocument:
        spec = self.documents[key]
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
        self.note(f"document {title}")
        return document

    def body(self, blocks: list[dict], collection: Collection) -> str:
        """A body StreamField's JSON from the demo's block specs (home/demo/FORMAT.md)."""
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
                spec = self.images[block["image"]]
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
        self.note(f"user {username}")

    # ---- sites ------------------------------------------------------------------------
    def remove_wagtail_welcome_page(self) -> None:
        """Wagtail's initial migration creates a plain "Welcome" page (slug "home") and a
        default site on it; replace them, but only while that page is untouched."""
        welcome = Page.objects.filter(depth=2, slug="home").exact_type(Page).first()
        if welcome is not None and welcome.numchild == 0:
            Site.objects.filter(root_page=welcome).delete()
            welcome.delete()
            self.note("removed Wagtail's welcome page")

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
            self.note(f"site {site.hostname}:{site.port}")
        return site

    def identity(self, site: Site, spec: dict, collection: Collection) -> None:
        """The site's identity, before its pages: the first publication of a disclosed item
        numbers it with the organisation code (disclosure/services.py)."""
        if SiteIdentity.objects.filter(site=site).exists():
            return
        mark = PortalImage.objects.filter(collection=collection, title=GOV_MARK["title"]).first()
        if mark is None:
            data = files.make_logo(GOV_MARK["label"], width=160, height=64, palette="red")
            mark = PortalImage(
                title=GOV_MARK["title"],
                description=GOV_MARK["title"],
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
            **fields,
        )
        self._new_identities.add(site.pk)
        self.note(f"identity for {site.hostname}")

    def link_identity(self, site: Site, pages: dict) -> None:
        """The footer's page links of an identity this run created (staff's edits stay)."""
        if site.pk not in self._new_identities:
            return
        identity = SiteIdentity.for_site(site)
        for name in ("sitemap", "accessibility", "contact", "privacy"):
            setattr(identity, f"{name}_page", pages.get(name))
        identity.save(update_fields=["sitemap_page", "accessibility_page", "contact_page", "privacy_page"])

    def place(self, site: Site, spec: dict) -> None:
        """The site's parent in the cluster (the province's for a city), where still unset."""
        identity = SiteIdentity.for_site(site)
        if spec.get("parent") and identity.parent_site_id is None:
            identity.parent_site = Site.objects.get(hostname=spec["parent"])
            identity.save(update_fields=["parent_site"])
            self.note(f"{site.hostname} placed under {spec['parent']}")

    def county_sites(self) -> list[Site]:
        """The county sites, opened through 站点开通 as staff would (nothing new on a re-run)."""
        sites = []
        for spec in COUNTY_SITES:
            fields = {name: value for name, value in spec.items() if name not in ("parent", "template")}
            opened = open_site(
                SiteSpec(
                    template=SiteTemplate.objects.get(key=spec["template"]),
                    parent=Site.objects.get(hostname=spec["parent"]),
                    **fields,
                )
            )
            if opened.done:
                self.note(f"site {spec['hostname']} opened from the {spec['template']} template")
            sites.append(opened.site)
        return sites

    # ---- entry point -----------------------------------------------------------------
    @transaction.atomic
    def run(self) -> int:
        queued_before = Email.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.remove_wagtail_welcome_page()
        guides = GuidesLoader(self)
        guides.taxonomy_entries()  # themes and departments: the guides' and the policies'
        site_admin_groups = []
        for spec in SITES:
            collection = self.collection(spec["collection"])
            site = self.site(spec)
            home = site.root_page.specific
            issuer = spec["identity"]["site_name"]
            self.identity(site, spec, collection)
            index: dict[str, Page] = {}
            pages = HomeLoader(self)
            pages.run(spec["key"], home, collection, issuer, index)  # columns, articles, standard pages
            if spec["key"] == "main":
                policies = pages.policies(home, collection, issuer, index)
                guides.run(index["nsfw"], collection, issuer, policies, index)
                InterviewsLoader(self).run(home, collection)
            else:  # the province's guides with the city's halls, hours and phones; its forms
                guides.run_city(spec["key"], index["nsfw"], index)
            TaxServiceLoader(self).run(spec["key"], home)  # 征期日历 and 办税地图 under 纳税服务
            pages.home_extras(home, spec, collection, index)
            self.link_identity(site, index)
            self.place(site, spec)
            group = EditorialLoader(self).run(spec["key"], site)  # roles, workflow and their demo accounts
            site_admin_groups.append(site_group(site, "admin"))
            # 局长信箱's replies are signed off by the site's 审核 group (content_letters.py: "signoff").
            LettersLoader(self).run(spec, site, home, group, approvers=site_group(site, "reviewer"))
            ParticipationLoader(self).run(spec["key"], home, collection, issuer)
        site_admin_groups += [site_group(site, "admin") for site in self.county_sites()]
        FAQLoader(self).run()  # the shared FAQ, and its page on every site (the county's too)
        MonitoringLoader(self).run()  # 负责人邮箱 and periods of the demo columns
        DisclosureLoader(self).run()  # 政府信息公开目录 pages; the main site's notices put into the catalogue
        ApplicationsLoader(self).run()  # 政府信息公开申请 pages and a year of applications on every site
        RegistersLoader(self).run()  # 欠税公告, 失信主体, A级纳税人, 双公示 under 政府信息公开, a few hundred entries
        AnnualReportsLoader(self).run()  # the 2025 政府信息公开工作年度报告 of the three sites, generated
        EnglishLoader(self).run(Site.objects.get(is_default_site=True).root_page)
        EditorialLoader(self).cover_translations()  # the English tree gets the main site's roles and workflow
        for user in USERS:
            self.user(user["username"], user["password"], superuser=user["superuser"], first_name=user["first_name"])
        # Second factor: the 站点管理员 groups must use it; the demo accounts that must get the
        # published demo authenticator key (signin/demo.py, README "Demo accounts").
        usernames = [user["username"] for user in USERS]
        usernames += [name for spec in SITES for name, _password, _role in demo_accounts(spec["key"])]
        two_factor_demo.run(self, site_admin_groups, usernames)
        SubmissionLoader(self).run()  # 信息报送: a 甲市 article taken up by the main site, a 乙市 one in review
        # 网站访问量: daily views and visitors of the three sites since 2025 (the county's start empty).
        VisitsLoader(self).run([Site.objects.get(hostname=spec["hostname"]) for spec in SITES])
        # The sample submissions queued Wagtail's workflow notices to the demo accounts' fictional
        # addresses: nobody waits for them, and left in the outbox they would be reported as
        # undelivered on a laptop where the sender (cron) does not run.
        Email.objects.filter(pk__gt=queued_before).delete()
        return self.created
