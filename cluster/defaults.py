"""The two site templates every install starts with (migration 0002 creates them once; staff
edit them in the admin afterwards, and this module is not read again).

The city template follows the demo's city sites: the 工作动态, 通知公告, 政府信息公开 and
纳税服务 columns, the 互动交流 mailboxes and the standard pages. The county template is the
same tree without the 常见问题, 办税地图 and 投诉 pages a county bureau seldom runs itself.
"""

from __future__ import annotations

ABOUT = """{site_name}网站是{parent_name}网站群中的子站，由{site_name}主办，是本局发布政府信息、提供纳税缴费服务、与公众互动交流的网上平台。

本站内容由各栏目的维护部门负责更新，经审核和保密审查后发布。"""

CONTACT = """地址：{address}

纳税缴费服务热线：12366

办公电话：{phone}

电子邮箱：{email}

对本站内容有意见或者建议，可以通过“互动交流”栏目的信箱留言，我们将在规定期限内答复。"""

ACCESSIBILITY = """本站按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668）和 WCAG 2.1 AA 级要求建设，所有页面不依赖脚本即可使用，支持键盘操作和主流读屏软件，提供字号、对比度调整和长者模式。

如遇到无法使用的内容，请通过“互动交流”栏目的纳税咨询信箱告诉我们，或者发送电子邮件至 {email}，我们将在3个工作日内答复。"""

PRIVACY = """本站不要求访问者注册或者登录。访问本站时，服务器按照网络安全法的规定保存访问日志，不用于识别个人身份。

通过信箱来信、在线申请等方式提交的姓名、证件号码、联系方式等个人信息，仅用于办理和答复相关事项，不在网站上公开，不向第三方提供，法律法规另有规定的除外。"""

DIRECTOR_RULES = """本信箱受理对本局税收工作、纳税缴费服务和干部队伍建设的意见和建议。具体涉税政策咨询请使用“纳税咨询”信箱。

已经或者依法应当通过诉讼、行政复议、仲裁等法定途径解决的事项，以及内容不清、没有具体诉求的来信，本信箱不予受理。

来信一般在7个工作日内答复；情况复杂需要延期的，可延长一次，最长不超过15个工作日，延期时告知来信人。

来信提交后生成查询码和密码，凭此可在本页查询办理进度和答复。来信人的个人信息仅用于办理本来信，公开信件时隐去。"""

CONSULTATION_RULES = """本信箱受理税收政策、发票使用、社会保险费缴纳等方面的咨询。请写明纳税人类型和具体情况，便于准确答复。

咨询答复仅对来信所述情况作出政策解释，不作为具体涉税事项的审批或者核定依据。

来信一般在7个工作日内答复；需要研究的，可延长一次，最长不超过15个工作日。

请妥善保存查询码和密码。个人信息仅用于办理答复，公开信件时隐去来信人姓名和联系方式。"""

COMPLAINT_RULES = """本信箱受理对本局及工作人员在办理涉税费事项中服务态度、办事效率等问题的投诉。请写明事情发生的时间、地点和具体情况。

对征税、处罚等具体行政行为不服的，应当依法申请行政复议或者提起行政诉讼，本信箱不予受理。

投诉一般在7个工作日内答复；需要调查核实的，可延长一次，最长不超过15个工作日。投诉人信息严格保密。"""

DISCLOSURE_RULES = """申请时请写明申请人姓名或者名称、联系方式，所需政府信息的名称、文号或者其他特征性描述，以及获取信息的方式。

本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；需要延长的，经负责人同意并告知申请人，延长期限最长不超过20个工作日。"""


def _column(slug, title, column_type, department, period, parent="", **extra) -> dict:
    return {
        "parent_slug": parent,
        "slug": slug,
        "title": title,
        "page_type": "home.ColumnPage",
        "column_type": column_type,
        "department": department,
        "update_period_days": period,
        "show_in_menus": not parent,
        **extra,
    }


def _page(slug, title, page_type, parent="", **extra) -> dict:
    return {"parent_slug": parent, "slug": slug, "title": title, "page_type": page_type, **extra}


def _mailbox(slug, title, kind, categories, rules, intro) -> dict:
    return _page(
        slug,
        title,
        "correspondence.MailboxPage",
        parent="hdjl",
        mailbox_kind=kind,
        categories=categories,
        body=rules,
        intro=intro,
        department="办公室",
    )


def _tree(county: bool) -> list[dict]:
    nodes = [
        _column("gzdt", "工作动态", "news", "办公室", 14, intro="发布{short_name}的重要工作动态。", home_featured=6),
        _column(
            "tzgg", "通知公告", "notice", "办公室", 30, intro="发布面向纳税人缴费人的通知和公告。", home_notice=True
        ),
        _column("xxgk", "政府信息公开", "disclosure", "办公室", 180, monitored=False, intro="本局主动公开的政府信息。"),
        _column(
            "xxgkml",
            "信息公开目录",
            "disclosure",
            "办公室",
            180,
            parent="xxgk",
            intro="按照《中华人民共和国政府信息公开条例》主动公开的信息。",
            quick_link="主动公开的信息",
        ),
        _page(
            "gkml",
            "政府信息公开目录",
            "disclosure.DisclosureCataloguePage",
            parent="xxgk",
            intro="本局主动公开的政府信息，每条附信息索引，可按主题分类、体裁分类、发布机构和年份查找。",
        ),
        _page(
            "ysqgk",
            "政府信息公开申请",
            "inforequests.ApplicationPage",
            parent="xxgk",
            intro="依照《中华人民共和国政府信息公开条例》，向{short_name}申请获取政府信息。",
            body=DISCLOSURE_RULES,
            quick_link="依申请公开",
        ),
        _column(
            "nsfw", "纳税服务", "service", "纳税服务科", 30, monitored=False, intro="办税指引、表格下载与办税服务厅。"
        ),
        _column(
            "bsfwt",
            "办税服务厅",
            "service",
            "纳税服务科",
            30,
            parent="nsfw",
            intro="办税服务厅的地址、办公时间和服务事项调整。",
            quick_link="地址与办公时间",
            home_featured=4,
        ),
        _page(
            "bszn",
            "办事指南",
            "guides.ServiceGuideIndexPage",
            parent="nsfw",
            intro="在本地到哪里办、几点办、要带什么。",
            quick_link="在本地到哪里办、几点办",
        ),
        _page(
            "bgxz",
            "表格下载",
            "guides.FormLibraryPage",
            parent="nsfw",
            intro="办理涉税事项常用的空白表格和填写样表。",
            quick_link="空白表格与填写样表",
        ),
        _page("zqrl", "征期日历", "taxservice.FilingCalendarPage", parent="nsfw", intro="本年度各月的申报纳税期限。"),
    ]
    if not county:
        nodes += [
            _page(
                "bsdt",
                "办税地图",
                "taxservice.ServiceHallIndexPage",
                parent="nsfw",
                intro="各办税服务厅的位置、办公时间和电话。",
            ),
            _page("cjwt", "常见问题", "faq.FAQIndexPage", parent="nsfw", intro="纳税人缴费人经常咨询的问题与解答。"),
        ]
    nodes += [
        _page("about", "关于本站", "home.StandardPage", body=ABOUT),
        _page("contact", "联系我们", "home.StandardPage", body=CONTACT, quick_link="12366 纳税服务热线"),
        _page("accessibility", "无障碍声明", "home.StandardPage", body=ACCESSIBILITY),
        _page("privacy", "隐私声明", "home.StandardPage", body=PRIVACY),
        _page("sitemap", "网站地图", "home.SitemapPage"),
        _page(
            "hdjl",
            "互动交流",
            "correspondence.MailboxIndexPage",
            show_in_menus=True,
            intro="写信给{short_name}：意见建议和纳税咨询。",
        ),
        _mailbox(
            "jzxx",
            "局长信箱",
            "director",
            "意见建议、纳税服务、其他",
            DIRECTOR_RULES,
            "听取纳税人、缴费人和社会公众对{short_name}工作的意见建议。",
        ),
        _mailbox(
            "zxxx",
            "纳税咨询",
            "consultation",
            "发票业务、个人所得税、社保费、税收优惠、其他涉税咨询",
            CONSULTATION_RULES,
            "解答办理涉税费事项中遇到的政策和操作问题。简单问题也可拨打12366。",
        ),
    ]
    if not county:
        nodes.append(
            _mailbox(
                "tsxx",
                "投诉信箱",
                "complaint",
                "服务态度、办税效率、其他投诉",
                COMPLAINT_RULES,
                "受理对{short_name}及其工作人员服务质量的投诉。",
            )
        )
    return nodes


TEMPLATES = [
    {
        "key": "city",
        "name": "市级税务局网站",
        "description": "市税务局子站：工作动态、通知公告、信息公开目录、纳税服务（办事指南、表格下载、征期日历、办税地图、常见问题）、政府信息公开申请、三个信箱。",
        "banner_text": "{short_name}网站：政务信息、办税指引和互动交流。",
        "nodes": _tree(county=False),
    },
    {
        "key": "county",
        "name": "县级税务局网站",
        "description": "县（区）税务局子站：工作动态、通知公告、信息公开目录、办税服务厅、办事指南、表格下载、征期日历、政府信息公开申请、两个信箱。",
        "banner_text": "{short_name}网站：办税服务厅、办事指南和互动交流。",
        "nodes": _tree(county=True),
    },
]
