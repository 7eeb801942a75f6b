"""The 政府网站工作年度报表 (the national template of the 政府网站发展指引, 国办发〔2017〕47号): its
rows in the template's order and wording, and ``compute(site, year)``, the figures the portal's
own records give. What the portal holds no data for (安全防护, 移动新媒体, 办件量, 注册用户数,
媒体评论, 回应热点, 智能问答) are fields of the report page that staff fill in; each row says which.

Counting rules (each row's help in the admin repeats them):
- 独立用户访问总量 / 网站总访问量: the visit counter (``visits.queries.totals``): the year's page
  views, and the sum of each day's distinct visitors.
- 信息发布: articles (news, notices, policies, interpretations, reports …) first published in the
  year; of them, those in 工作动态 columns (政务动态). 概况类: the year's publications of the
  site's standalone pages (机构概况, 联系我们 …) in Wagtail's log. 信息公开目录: items that entered
  the site's 公开目录 in the year.
- 专栏专题: live 专题专栏 columns (维护), of them first published in the year (新开设).
- 解读信息: 政策解读 pages first published in the year; 解读材料 is the text ones, 解读产品 the
  graphics, videos and interviews; the total adds the 媒体评论 staff enter.
- 办事服务: live guides (a city's local pages of the province's guides included); 全程在线 is
  "0次跑动".
- 留言办理: letters received in the year, of them answered, the average working days from receipt
  to answer, and the answers published. 征集调查: consultations and surveys opened in the year,
  the comments and answers they received (other channels included), those whose result is public.
  在线访谈: interviews held in the year, the questions sent, the answers given.
- 创新发展: 搜索即服务 (search answers with service cards: the site has live guides), 多语言版本
  (the English edition is on), 无障碍浏览 (every page meets WCAG 2.1 AA and the site has its
  accessibility statement), 千人千网 (not offered: no personalised pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from correspondence.models import Letter
from correspondence.stats import Row as LetterRow
from disclosure.models import CatalogueEntry
from guides.models import LocalGuidePage, ServiceGuideIndexPage, ServiceGuidePage
from home.models import ArticlePage, ColumnPage, PolicyInterpretationPage, StandardPage
from interviews.models import Entry, InterviewPage, Question
from participation.models import Comment, ConsultationPage, SurveyPage, SurveyResponse
from portal.models import SiteIdentity
from portal.permissions import site_full_name
from portal.workdays import WorkCalendar
from visits import queries as visits


@dataclass(frozen=True)
class Row:
    key: str  # a key of the computed figures, or a field of the report page (``entered``)
    label: str
    group: str = ""
    subgroup: str = ""
    kind: str = "int"  # int, yesno, text, days
    entered: bool = False


PUBLISHING = _("信息发布")
TOPICS = _("专栏专题")
INTERPRETATION = _("解读回应")
INTERPRETATIONS = _("解读信息发布")
SERVICES = _("办事服务")
CASES = _("办件量")
INTERACTION = _("互动交流")
LETTERS = _("留言办理")
CONSULTATIONS = _("征集调查")
INTERVIEWS = _("在线访谈")
SECURITY = _("安全防护")
MEDIA = _("移动新媒体")
WEIBO = _("微博")
WECHAT = _("微信")
INNOVATION = _("创新发展")

ROWS = (
    Row("site_name", _("网站名称"), kind="text"),
    Row("home_url", _("首页网址"), kind="text"),
    Row("sponsor", _("主办单位"), kind="text"),
    Row("site_type", _("网站类型"), kind="text", entered=True),
    Row("site_code", _("政府网站标识码"), kind="text"),
    Row("icp_number", _("ICP备案号"), kind="text"),
    Row("police_number", _("公安机关备案号"), kind="text"),
    Row("visitors", _("独立用户访问总量（单位：个）")),
    Row("views", _("网站总访问量（单位：次）")),
    Row("published", _("总数"), PUBLISHING),
    Row("overview", _("概况类信息更新量"), PUBLISHING),
    Row("news", _("政务动态信息更新量"), PUBLISHING),
    Row("catalogue", _("信息公开目录信息更新量"), PUBLISHING),
    Row("topics", _("维护数量"), TOPICS),
    Row("topics_new", _("新开设数量"), TOPICS),
    Row("interpretations", _("总数"), INTERPRETATION, INTERPRETATIONS),
    Row("materials", _("解读材料数量"), INTERPRETATION, INTERPRETATIONS),
    Row("products", _("解读产品数量"), INTERPRETATION, INTERPRETATIONS),
    Row("media_comments", _("媒体评论数量"), INTERPRETATION, INTERPRETATIONS, entered=True),
    Row("hot_responses", _("回应公众关注热点或重大舆情数量（单位：次）"), INTERPRETATION, entered=True),
    Row("service_catalogue", _("是否发布服务事项目录"), SERVICES, kind="yesno"),
    Row("registered_users", _("注册用户数（单位：个）"), SERVICES, entered=True),
    Row("services", _("政务服务事项数量（单位：项）"), SERVICES),
    Row("online_services", _("可全程在线办理政务服务事项数量（单位：项）"), SERVICES),
    Row("cases", _("总数"), SERVICES, CASES),
    Row("cases_person", _("自然人办件量"), SERVICES, CASES, entered=True),
    Row("cases_organisation", _("法人办件量"), SERVICES, CASES, entered=True),
    Row("unified_platform", _("是否使用统一平台"), INTERACTION, kind="yesno"),
    Row("letters_received", _("收到留言数量（单位：条）"), INTERACTION, LETTERS),
    Row("letters_answered", _("办结留言数量（单位：条）"), INTERACTION, LETTERS),
    Row("letters_days", _("平均办理时间（单位：工作日）"), INTERACTION, LETTERS, kind="days"),
    Row("letters_published", _("公开答复数量（单位：条）"), INTERACTION, LETTERS),
    Row("consultations", _("征集调查期数（单位：期）"), INTERACTION, CONSULTATIONS),
    Row("opinions", _("收到意见数量（单位：条）"), INTERACTION, CONSULTATIONS),
    Row("consultation_results", _("公布调查结果期数（单位：期）"), INTERACTION, CONSULTATIONS),
    Row("interviews", _("访谈期数（单位：期）"), INTERACTION, INTERVIEWS),
    Row("questions", _("网民留言数量（单位：条）"), INTERACTION, INTERVIEWS),
    Row("answers", _("答复网民提问数量（单位：条）"), INTERACTION, INTERVIEWS),
    Row("smart_qa", _("是否提供智能问答"), INTERACTION, kind="yesno", entered=True),
    Row("security_checks", _("安全检测评估次数（单位：次）"), SECURITY, entered=True),
    Row("problems_found", _("发现问题数量（单位：个）"), SECURITY, entered=True),
    Row("problems_fixed", _("问题整改数量（单位：个）"), SECURITY, entered=True),
    Row("security_monitoring", _("是否建立安全监测预警机制"), SECURITY, kind="yesno", entered=True),
    Row("security_drills", _("是否开展应急演练"), SECURITY, kind="yesno", entered=True),
    Row("security_officer", _("是否明确网站安全责任人"), SECURITY, kind="yesno", entered=True),
    Row("new_media", _("是否有移动新媒体"), MEDIA, kind="yesno", entered=True),
    Row("weibo_name", _("名称"), MEDIA, WEIBO, kind="text", entered=True),
    Row("weibo_posts", _("信息发布量（单位：条）"), MEDIA, WEIBO, entered=True),
    Row("weibo_followers", _("关注量（单位：个）"), MEDIA, WEIBO, entered=True),
    Row("wechat_name", _("名称"), MEDIA, WECHAT, kind="text", entered=True),
    Row("wechat_posts", _("信息发布量（单位：条）"), MEDIA, WECHAT, entered=True),
    Row("wechat_subscribers", _("订阅数（单位：个）"), MEDIA, WECHAT, entered=True),
    Row("other_media", _("其他"), MEDIA, kind="text", entered=True),
    Row("search_service", _("搜索即服务"), INNOVATION, kind="yesno"),
    Row("multilingual", _("多语言版本"), INNOVATION, kind="yesno"),
    Row("accessible", _("无障碍浏览"), INNOVATION, kind="yesno"),
    Row("personalised", _("千人千网"), INNOVATION, kind="yesno"),
    Row("innovation_other", _("其他"), INNOVATION, kind="text", entered=True),
)
ENTERED = tuple(row.key for row in ROWS if row.entered)
SIGNATURES = (
    ("head", _("单位负责人")),
    ("reviewer", _("审核人")),
    ("filler", _("填报人")),
    ("contact_phone", _("联系电话")),
    ("filled_on", _("填报日期")),
)


def _span(year: int) -> tuple[datetime, datetime]:
    """The year as aware datetimes [start, end) in the portal's time zone."""
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    return start, timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))


def identity(site) -> dict:
    found = SiteIdentity.for_site(site)
    text = found.text
    return {
        "site_name": site_full_name(site),
        "home_url": site.root_url + "/",
        "sponsor": text.sponsor if text else "",
        "site_code": found.site_code,
        "icp_number": found.icp_number,
        "police_number": found.police_number,
        "multilingual": found.english_edition,
    }


def publishing(site, year: int) -> dict:
    start, end = _span(year)
    root = site.root_page
    articles = ArticlePage.objects.live().descendant_of(root).filter(first_published_at__gte=start)
    articles = articles.filter(first_published_at__lt=end)
    news_paths = ColumnPage.objects.live().descendant_of(root).filter(column_type=ColumnPage.ColumnType.NEWS)
    in_news = Q()
    for path in news_paths.values_list("path", flat=True):
        in_news |= Q(path__startswith=path)
    standalone = StandardPage.objects.descendant_of(root).values("pk")
    overview = PageLogEntry.objects.filter(
        action="wagtail.publish", page__in=standalone, timestamp__gte=start, timestamp__lt=end
    )
    catalogue = CatalogueEntry.objects.filter(
        site=site, published_date__range=(date(year, 1, 1), date(year, 12, 31)), withdrawn=False
    )
    topics = ColumnPage.objects.live().descendant_of(root).filter(column_type=ColumnPage.ColumnType.TOPIC)
    interpretations = PolicyInterpretationPage.objects.live().descendant_of(root)
    interpretations = interpretations.filter(first_published_at__gte=start, first_published_at__lt=end)
    by_kind = dict(interpretations.values_list("kind").annotate(n=Count("pk")))
    text = PolicyInterpretationPage.Kind.TEXT
    return {
        "published": articles.count(),
        "overview": overview.count(),
        "news": articles.filter(in_news).count() if in_news else 0,
        "catalogue": catalogue.count(),
        "topics": topics.count(),
        "topics_new": topics.filter(first_published_at__gte=start, first_published_at__lt=end).count(),
        "materials": by_kind.get(text, 0),
        "products": sum(n for kind, n in by_kind.items() if kind != text),
    }


def services(site) -> dict:
    root = site.root_page
    guides = ServiceGuidePage.objects.live().descendant_of(root)
    local = LocalGuidePage.objects.live().descendant_of(root)
    return {
        "service_catalogue": ServiceGuideIndexPage.objects.live().descendant_of(root).exists(),
        "services": guides.count() + local.count(),
        "online_services": guides.filter(visits=ServiceGuidePage.Visits.ZERO).count()
        + local.filter(guide__visits=ServiceGuidePage.Visits.ZERO).count(),
    }


def interaction(site, year: int) -> dict:
    start, end = _span(year)
    letters = Letter.objects.filter(site=site, received_at__gte=start, received_at__lt=end)
    row = LetterRow(label=str(year))
    calendar, today = WorkCalendar.load(), timezone.localdate()
    for letter in letters.values("received_at", "answered_at", "due_date"):
        row.add(letter, calendar, today)
    root = site.root_page
    consultations = ConsultationPage.objects.live().descendant_of(root).filter(opens_at__gte=start, opens_at__lt=end)
    surveys = SurveyPage.objects.live().descendant_of(root).filter(opens_at__gte=start, opens_at__lt=end)
    comments = Comment.objects.filter(page__in=consultations).count()  # not in one aggregate: the
    offline = consultations.aggregate(n=Sum("offline_count"))["n"] or 0  # join would repeat offline_count
    responses = SurveyResponse.objects.filter(page__in=surveys).count()
    interviews = InterviewPage.objects.live().descendant_of(root)
    interviews = interviews.filter(scheduled_start__gte=start, scheduled_start__lt=end)
    now = timezone.now()
    return {
        "letters_received": row.received,
        "letters_answered": row.answered,
        "letters_days": row.average_workdays,
        "letters_published": letters.filter(is_published=True).count(),
        "consultations": consultations.count() + surveys.count(),
        "opinions": comments + offline + responses,
        "consultation_results": consultations.exclude(outcome_summary="").count()
        + surveys.filter(results_public=True, closes_at__lte=now).count(),
        "interviews": interviews.count(),
        "questions": Question.objects.filter(interview__in=interviews).count(),
        "answers": Entry.objects.filter(interview__in=interviews, kind=Entry.Kind.ANSWER, hidden=False).count(),
    }


def compute(site, year: int) -> dict:
    """The computed rows of the 政府网站工作年度报表 of ``site`` for ``year`` (a JSON-ready snapshot)."""
    views, visitors = visits.totals(site, date(year, 1, 1), date(year, 12, 31))
    figures = {
        "year": year,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        **identity(site),
        "visitors": visitors,
        "views": views,
        **publishing(site, year),
        **services(site),
        **interaction(site, year),
        "unified_platform": True,  # every site of the cluster runs on this one platform
        "accessible": True,
        "personalised": False,
    }
    figures["search_service"] = figures["services"] > 0
    return figures


def value(page, row: Row):
    """A row's value on a report page: its figure, or what staff entered; totals add both."""
    figures = page.figures or {}
    if row.key == "site_type":
        return page.get_site_type_display()
    if row.entered:
        return getattr(page, row.key)
    if row.key == "interpretations":
        return figures.get("materials", 0) + figures.get("products", 0) + page.media_comments
    if row.key == "cases":
        return page.cases_person + page.cases_organisation
    return figures.get(row.key, "" if row.kind == "text" else 0)


def display(row: Row, raw) -> str:
    if row.kind == "yesno":
        return str(_("是") if raw else _("否"))
    if row.kind == "days":
        return "—" if raw is None else f"{raw:g}"
    return str(raw if raw not in (None, "") else "—")
