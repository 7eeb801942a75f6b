"""Builders for unit tests of services and queries (factory-boy, wagtail-factories).

Integration tests, query counts and browser tests use the demo cluster (loaded once per
session); a unit test builds only what it needs, in a tree of its own under the root, so
the demo's content never changes what it counts::

    home = HomePageFactory(parent=None)          # a new site root beside the demo's
    column = ColumnPageFactory(parent=home)
    ArticlePageFactory.create_batch(3, parent=column)
"""

from datetime import date, timedelta

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from correspondence.models import Letter, MailboxCategory, MailboxIndexPage, MailboxPage
from guides.models import Department, ServiceGuideIndexPage, ServiceGuidePage, Theme
from home.models import ArticlePage, ColumnPage, HomePage, PolicyDocumentPage
from taxservice.models import FilingCalendarPage, FilingDeadline


class PortalPageFactory(wagtail_factories.PageFactory):
    """A live page; ``parent=None`` puts a home page at the top of a new tree."""

    title = factory.Sequence(lambda n: f"测试页面{n}")
    slug = factory.Sequence(lambda n: f"test-page-{n}")
    live = True

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            parent = Page.get_first_root_node()
        kwargs.setdefault("locale", Locale.get_default())
        return super()._create(model_class, *args, parent=parent, **kwargs)


class HomePageFactory(PortalPageFactory):
    title = factory.Sequence(lambda n: f"测试网站{n}")

    class Meta:
        model = HomePage


class SiteFactory(factory.django.DjangoModelFactory):
    """A site of its own (``test-N.localhost``) on a new home page."""

    hostname = factory.Sequence(lambda n: f"test-{n}.localhost")
    port = 80
    root_page = factory.SubFactory(HomePageFactory)
    site_name = factory.LazyAttribute(lambda site: site.root_page.title)

    class Meta:
        model = Site


class ColumnPageFactory(PortalPageFactory):
    title = factory.Sequence(lambda n: f"测试栏目{n}")
    column_type = ColumnPage.ColumnType.NEWS

    class Meta:
        model = ColumnPage


class ArticlePageFactory(PortalPageFactory):
    title = factory.Sequence(lambda n: f"测试文章{n}")
    date = factory.Sequence(lambda n: timezone.now() - timedelta(days=n))
    summary = "测试摘要"
    body = factory.LazyFunction(list)

    class Meta:
        model = ArticlePage


class PolicyDocumentPageFactory(ArticlePageFactory):
    title = factory.Sequence(lambda n: f"测试政策文件{n}")
    issuing_body = "国家税务总局示例省税务局"
    document_number = factory.Sequence(lambda n: f"示税发〔2026〕{n}号")

    class Meta:
        model = PolicyDocumentPage


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"测试主题{n}")
    slug = factory.Sequence(lambda n: f"test-theme-{n}")
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = Theme


class DepartmentFactory(ThemeFactory):
    name = factory.Sequence(lambda n: f"测试部门{n}")
    slug = factory.Sequence(lambda n: f"test-department-{n}")

    class Meta:
        model = Department


class ServiceGuideIndexPageFactory(PortalPageFactory):
    title = "办事指南"

    class Meta:
        model = ServiceGuideIndexPage


class ServiceGuidePageFactory(PortalPageFactory):
    title = factory.Sequence(lambda n: f"测试办事事项{n}")
    for_individuals = True
    conditions = factory.LazyFunction(list)
    steps = factory.LazyFunction(list)
    faq = factory.LazyFunction(list)

    class Meta:
        model = ServiceGuidePage


class MailboxIndexPageFactory(PortalPageFactory):
    title = "互动交流"

    class Meta:
        model = MailboxIndexPage


class MailboxPageFactory(PortalPageFactory):
    title = factory.Sequence(lambda n: f"测试信箱{n}")
    rules = "<p>受理须知</p>"
    categories = factory.LazyFunction(lambda: [MailboxCategory(name="咨询")])

    class Meta:
        model = MailboxPage


class LetterFactory(factory.django.DjangoModelFactory):
    """A letter as the public form leaves it (go through ``services.submit_letter`` to test
    the form's path; this is for the queries and statistics that read letters)."""

    mailbox = factory.SubFactory(MailboxPageFactory)
    site = factory.LazyAttribute(lambda letter: letter.mailbox.get_site() or Site.objects.get(is_default_site=True))
    password_hash = "!"
    name = "测试来信人"
    phone = "13900000000"
    subject = factory.Sequence(lambda n: f"测试来信{n}")
    category = "咨询"
    content = "来信内容"
    code = factory.Sequence(lambda n: f"XJTEST{n:06d}")
    received_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))

    class Meta:
        model = Letter


class FilingCalendarPageFactory(PortalPageFactory):
    title = "征期日历"

    class Meta:
        model = FilingCalendarPage


class FilingDeadlineFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(FilingCalendarPageFactory)
    date = factory.LazyFunction(date.today)
    tax_types = "增值税\n个人所得税"
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = FilingDeadline
