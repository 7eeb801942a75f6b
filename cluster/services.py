"""站点开通 and 站点关停: the writes of this app (``manage.py open_site``/``close_site`` and the
admin's 站点管理 views call these).

``open_site`` makes a complete site in one transaction: the home page, the template's column
tree (with maintaining departments and update periods), standard pages and mailboxes, the
site identity and footer links, a 承办部门 for the mailboxes, and the per-site groups,
collection and 发布审核 workflow (``editorial.roles``). It finds what is already there by
hostname and slug and creates only what is missing, so running it again changes nothing; a
hostname, organisation code or 网站标识码 held by another site is refused before anything
is written. The English edition stays off (``SiteIdentity.english_edition``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Site

from correspondence.models import LetterDepartment, MailboxCategory, MailboxKind
from disclosure import checks
from disclosure.models import StatutoryChecklist
from editorial.roles import setup_roles, site_group
from home.models import ColumnPage, HomeFeaturedColumn, HomePage
from portal.models import SiteIdentity, SiteText
from portal.permissions import site_full_name
from signin.models import TwoFactorPolicy

from .models import FOOTER_PAGES, PAGE_TYPES, SiteTemplate

HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
NATIONAL_PREFIX = "国家税务总局"


class Refused(Exception):
    """What stops a site from being opened, in words for staff (one message per problem)."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass
class SiteSpec:
    """What staff give to open a site."""

    name: str  # the full name: 国家税务总局丙县税务局
    hostname: str
    template: SiteTemplate
    parent: Site | None = None
    organisation_code: str = ""
    site_code: str = ""  # 网站标识码
    short_name: str = ""  # the header's 标志文字; the name without 国家税务总局 when blank
    port: int | None = None  # the parent's port (the default site's without one) when None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    icp_number: str = ""
    police_number: str = ""

    def __post_init__(self):
        self.name = self.name.strip()
        self.hostname = self.hostname.strip().lower()
        self.organisation_code = self.organisation_code.strip()
        self.site_code = self.site_code.strip()
        self.short_name = self.short_name.strip() or self.name.removeprefix(NATIONAL_PREFIX) or self.name
        if self.port is None:
            model = self.parent or Site.objects.filter(is_default_site=True).first()
            self.port = model.port if model else 80


@dataclass
class Opened:
    site: Site
    done: list[str] = field(default_factory=list)  # what was created; empty: it was all there


def check(spec: SiteSpec) -> Site | None:
    """The problems that refuse ``spec`` (raises ``Refused``), else the site already opened
    with this hostname (None for a new one)."""
    problems = []
    if not spec.name:
        problems.append("请填写网站名称。")
    if not spec.organisation_code:
        problems.append("请填写机构代码：再次开通时凭域名和机构代码确认是同一站点。")
    if not HOSTNAME.match(spec.hostname):
        problems.append(f"域名“{spec.hostname}”格式不正确：只能包含小写字母、数字、连字符和点。")
    existing = Site.objects.filter(hostname=spec.hostname, port=spec.port).first()
    identity = SiteIdentity.objects.filter(site=existing).first() if existing else None
    if existing is not None and (identity is None or identity.organisation_code != spec.organisation_code):
        problems.append(f"域名 {spec.hostname} 已由“{site_full_name(existing)}”使用。")
    if spec.organisation_code:
        holder = SiteIdentity.objects.filter(organisation_code=spec.organisation_code).exclude(site=existing).first()
        if holder:
            problems.append(f"机构代码 {spec.organisation_code} 已由“{site_full_name(holder.site)}”使用。")
    if spec.site_code:
        holder = SiteIdentity.objects.filter(site_code=spec.site_code).exclude(site=existing).first()
        if holder:
            problems.append(f"网站标识码 {spec.site_code} 已由“{site_full_name(holder.site)}”使用。")
    if spec.parent is not None and existing is not None and spec.parent.pk == existing.pk:
        problems.append("上级网站不能是本站。")
    problems += template_problems(spec.template)
    if problems:
        raise Refused(problems)
    return existing


def template_problems(template: SiteTemplate) -> list[str]:
    """What in a template would stop a site being built from it."""
    problems = []
    types = dict(PAGE_TYPES)
    seen = {""}
    for node in template.nodes.all():
        where = f"模板“{template.name}”的页面 {node.slug}"
        if node.page_type not in types:
            problems.append(f"{where}：不支持的页面类型 {node.page_type}。")
        if node.parent_slug not in seen:
            problems.append(f"{where}：上级页面 {node.parent_slug} 不存在或排在其后。")
        if node.slug in seen:
            problems.append(f"{where}：代号重复。")
        if node.page_type == "home.ColumnPage" and node.column_type not in ColumnPage.ColumnType.values:
            problems.append(f"{where}：栏目类型 {node.column_type or '（空）'} 不正确。")
        if node.page_type == "correspondence.MailboxPage":
            if node.mailbox_kind not in MailboxKind.values:
                problems.append(f"{where}：信箱类型 {node.mailbox_kind or '（空）'} 不正确。")
            if not _categories(node.categories):
                problems.append(f"{where}：信箱至少要有一个来信类别。")
        seen.add(node.slug)
    if len(seen) == 1:
        problems.append(f"模板“{template.name}”没有页面。")
    return problems


def _categories(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[、,，;；\n]", text) if name.strip()]


class SiteBuilder:
    def __init__(self, spec: SiteSpec, note=None):
        self.spec = spec
        self.done: list[str] = []
        self.note = note or (lambda what: None)
        parent_identity = SiteIdentity.objects.filter(site=spec.parent).select_related("text", "gov_mark").first()
        self.parent_identity = parent_identity
        self.values = {
            "site_name": spec.name,
            "short_name": spec.short_name,
            "address": spec.address,
            "phone": spec.phone or "12366",
            "email": spec.email,
            "parent_name": site_full_name(spec.parent, parent_identity) if spec.parent else spec.name,
        }

    def _note(self, what: str) -> None:
        self.done.append(what)
        self.note(what)

    def fill(self, text: str) -> str:
        """A template text with the site's values in its placeholders (unknown ones kept)."""
        return re.sub(r"\{(\w+)\}", lambda m: self.values.get(m.group(1), m.group(0)), text)

    def paragraphs(self, text: str) -> list[str]:
        return [f"<p>{escape(part.strip())}</p>" for part in re.split(r"\n\s*\n", self.fill(text)) if part.strip()]

    # ---- the tree ----------------------------------------------------------------------
    def home(self, existing: Site | None) -> HomePage:
        if existing is not None:
            return existing.root_page.specific
        root = Page.get_first_root_node()
        base = re.sub(r"[^a-z0-9-]", "", self.spec.hostname.split(".")[0]) or "site"
        slug, number = base, 1
        while root.get_children().filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        home = HomePage(
            title=self.spec.name,
            slug=slug,
            banner_title=self.spec.short_name,
            banner_text=self.fill(self.spec.template.banner_text)[:255],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        self._note(f"首页 {home.title}")
        return home

    def site(self, home: HomePage, existing: Site | None) -> Site:
        if existing is not None:
            return existing
        site = Site.objects.create(
            hostname=self.spec.hostname, port=self.spec.port, root_page=home, site_name=self.spec.name
        )
        self._note(f"站点 {site.hostname}:{site.port}")
        return site

    def pages(self, home: HomePage) -> dict[str, Page]:
        index: dict[str, Page] = {"": home}
        for node in self.spec.template.nodes.all():
            parent = index[node.parent_slug]
            found = parent.get_children().filter(slug=node.slug).specific().first()
            index[node.slug] = found if found is not None else self.page(parent, node)
        return index

    def page(self, parent: Page, node) -> Page:
        model = apps.get_model(node.page_type)
        fields = {"title": self.fill(node.title), "slug": node.slug, "show_in_menus": node.show_in_menus}
        wanted = {
            "intro": self.fill(node.intro),
            "column_type": node.column_type,
            "department": node.department,
            "update_period_days": node.update_period_days,
            "monitored": node.monitored,
            "kind": node.mailbox_kind,
            "updated": timezone.localdate(),
        }
        for name, value in wanted.items():
            if _has_field(model, name) and not model._meta.get_field(name).is_relation:
                fields[name] = value
        if node.body and _has_field(model, "body"):  # a text page's StreamField
            fields["body"] = json.dumps(
                [{"type": "paragraph", "value": html} for html in self.paragraphs(node.body)], ensure_ascii=False
            )
        if _has_field(model, "rules"):  # a mailbox's 受理须知 (rich text)
            fields["rules"] = "".join(self.paragraphs(node.body))
        page = model(**fields)
        if node.page_type == "correspondence.MailboxPage":
            page.department = self.department(node.department)
            for name in _categories(node.categories):
                page.categories.add(MailboxCategory(name=name))
        parent.add_child(instance=page)
        page.save_revision().publish()
        self._note(f"{model._meta.verbose_name} {page.title}")
        return page

    def department(self, name: str) -> LetterDepartment | None:
        if not name:
            return None
        full = f"{self.spec.short_name}{name}"
        department, created = LetterDepartment.objects.get_or_create(
            site=self.site_obj, name=full, defaults={"email": self.spec.email}
        )
        if created:
            self._note(f"承办部门 {full}")
        return department

    def home_blocks(self, home: HomePage, index: dict[str, Page]) -> None:
        """The notice column, the featured columns and the quick links, where still unset."""
        nodes = list(self.spec.template.nodes.all())
        changed = []
        if not home.notice_column_id:
            notice = next(
                (index[n.slug] for n in nodes if n.home_notice and isinstance(index[n.slug], ColumnPage)), None
            )
            if notice is not None:
                home.notice_column = notice
                changed.append("通知公告栏")
        if not home.featured_columns.exists():
            featured = [n for n in nodes if n.home_featured and isinstance(index[n.slug], ColumnPage)]
            for node in featured:
                home.featured_columns.add(HomeFeaturedColumn(column=index[node.slug], count=node.home_featured))
            if featured:
                changed.append("首页栏目")
        if not home.quick_links:
            links = [
                {
                    "type": "link",
                    "value": {
                        "title": index[n.slug].title,
                        "description": n.quick_link,
                        "page": index[n.slug].pk,
                        "url": "",
                    },
                }
                for n in nodes
                if n.quick_link
            ]
            if links:
                home.quick_links = json.dumps(links, ensure_ascii=False)
                changed.append("快捷入口")
        if changed:
            home.save_revision().publish()
            self._note(f"首页{'、'.join(changed)}")

    def identity(self, site: Site, index: dict[str, Page]) -> SiteIdentity:
        identity = SiteIdentity.objects.filter(site=site).first()
        if identity is None:
            text = SiteText.objects.create(
                site_name=self.spec.name,
                logo_text=self.spec.short_name,
                sponsor=self.spec.name,
                organiser=f"{self.spec.name}办公室",
                address=self.spec.address,
                description=f"{self.spec.name}网站：工作动态、通知公告、信息公开、纳税服务、互动交流。",
                keywords=f"{self.spec.short_name},纳税服务,信息公开",
            )
            identity = SiteIdentity.objects.create(
                site=site,
                text=text,
                site_code=self.spec.site_code,
                icp_number=self.spec.icp_number,
                police_number=self.spec.police_number,
                postcode=self.spec.postcode,
                phone=self.spec.phone or "12366",
                email=self.spec.email,
                parent_site=self.spec.parent,
                organisation_code=self.spec.organisation_code,
                english_edition=False,
                # The 党政机关网站标识 image the parent shows, until the site's own is uploaded.
                gov_mark=self.parent_identity.gov_mark if self.parent_identity else None,
                **{attribute: index.get(slug) for slug, attribute in FOOTER_PAGES.items()},
            )
            self._note(f"网站标识与页脚 {self.spec.name}")
        return identity

    @transaction.atomic
    def run(self, existing: Site | None) -> Site:
        home = self.home(existing)
        self.site_obj = site = self.site(home, existing)
        index = self.pages(home)
        self.home_blocks(home, index)
        self.identity(site, index)
        self.statutory_checklist(site, index)
        self.done += setup_roles([site], note=self.note)
        self.second_factor(site)
        return site

    def statutory_checklist(self, site: Site, index: dict[str, Page]) -> None:
        """The parent's 法定主动公开 checklist, each category's columns taken to the new site's
        columns of the same slug (the template's tree), so the new site is checked as its parent
        is; without a parent's checklist the statutory defaults apply. Made once: staff's edits stay."""
        if self.spec.parent is None or StatutoryChecklist.objects.filter(site=site).exists():
            return
        source = StatutoryChecklist.objects.filter(site=self.spec.parent).first()
        if source is None:
            return
        rows = [dict(block["value"]) for block in source.categories.raw_data]
        column_ids = {pk for row in rows for pk in checks.column_ids(row)}
        slugs = dict(ColumnPage.objects.filter(pk__in=column_ids).values_list("pk", "slug"))
        for row in rows:
            own = (index.get(slugs.get(pk)) for pk in checks.column_ids(row))
            row["columns"] = [page.pk for page in own if isinstance(page, ColumnPage)]
        StatutoryChecklist.objects.create(site=site, categories=[{"type": "category", "value": row} for row in rows])
        self._note(f"法定主动公开内容 {self.spec.name}")

    def second_factor(self, site: Site) -> None:
        """The site's 站点管理员 must use a second factor when its parent's must."""
        policy = TwoFactorPolicy.objects.first()  # not load(): that would save an empty one
        if policy is None:
            return
        parent_admins = site_group(self.spec.parent, "admin") if self.spec.parent else None
        admins = site_group(site, "admin")
        required = policy.groups.filter(pk=parent_admins.pk).exists() if parent_admins else False
        if required and admins and not policy.groups.filter(pk=admins.pk).exists():
            policy.groups.add(admins)
            self._note(f"双因素认证：{admins.name}")


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def open_site(spec: SiteSpec, note=None) -> Opened:
    """Open (or complete) the site ``spec`` describes; ``Refused`` when it cannot be."""
    existing = check(spec)
    builder = SiteBuilder(spec, note=note)
    site = builder.run(existing)
    return Opened(site=site, done=builder.done)


def close_site(site: Site, notice: str = "") -> bool:
    """站点关停: every public address of the site shows ``notice`` (410); its pages, letters and
    records stay. False when it was closed already."""
    identity = SiteIdentity.for_site(site)
    if identity.closed:
        return False
    if site.is_default_site:
        raise Refused(["默认站点（省局网站）不能关停。"])
    identity.closed = True
    identity.closed_notice = notice.strip()
    identity.save(update_fields=["closed", "closed_notice"])
    return True


def reopen_site(site: Site) -> bool:
    identity = SiteIdentity.for_site(site)
    if not identity.closed:
        return False
    identity.closed = False
    identity.save(update_fields=["closed"])
    return True
