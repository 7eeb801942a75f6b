"""The three demo sites of the cluster and what identifies them (all fictional)."""

# The 党政机关网站标识 every site's footer shows: a drawn stand-in with this label.
GOV_MARK = {"title": "党政机关网站标识", "label": "党政机关"}

SITES = [
    {
        "key": "main",
        "hostname": "localhost",
        "is_default": True,
        "home_slug": "home",
        "collection": "示例省税务局",
        "identity": {
            "site_name": "国家税务总局示例省税务局",
            "logo_text": "示例省税务局",
            "english_name": "Shili Provincial Tax Service, State Taxation Administration",
            "sponsor": "国家税务总局示例省税务局",
            "organiser": "国家税务总局示例省税务局办公室",
            "site_code": "bm29000001",
            "organisation_code": "11990000MB0000001A",  # numbers its 公开目录 (索引号)
            "icp_number": "示ICP备20260001号",
            "police_number": "示公网安备 99000002000001号",
            "address": "示例省示例市政务路100号",
            "postcode": "999001",
            "phone": "12366",
            "email": "bgs@tax-shili.example",
            "description": "国家税务总局示例省税务局门户网站：税务要闻、通知公告、政府信息公开、纳税服务。",
            "keywords": "示例省税务局,纳税服务,办税指南,政府信息公开",
        },
        "banner": {
            "title": "便民办税春风行动 2026",
            "text": "推行“非接触式”办税，多数事项可在电子税务局全程网上办理。",
            "image": "hero-main",
        },
        "notice_column": "tzgg",
        "featured_columns": [("swyw", 6), ("zcwj", 6), ("zcjd", 5), ("jcdt", 5), ("bszy", 5), ("xcy2026", 4)],
        "quick_links": [
            {"title": "电子税务局", "description": "在线申报、缴税、开票", "url": "https://etax.tax-shili.example/"},
            {"title": "办事指南", "description": "要带什么、去哪办、多久办结", "page": "bszn"},
            {"title": "表格下载", "description": "空白表格与填写样表", "page": "bgxz"},
            {"title": "办税服务厅", "description": "地址与办公时间", "page": "bsfwt"},
            {"title": "信息公开", "description": "指南、机构、年报", "page": "xxgk"},
            {"title": "联系我们", "description": "12366 纳税服务热线", "page": "contact"},
        ],
    },
    {
        "key": "jia",
        "hostname": "jia.localhost",
        "parent": "localhost",
        "is_default": False,
        "home_slug": "jia",
        "collection": "甲市税务局",
        "identity": {
            "site_name": "国家税务总局甲市税务局",
            "logo_text": "甲市税务局",
            "english_name": "Jia City Tax Service",
            "sponsor": "国家税务总局甲市税务局",
            "organiser": "国家税务总局甲市税务局办公室",
            "site_code": "bm29000101",
            "organisation_code": "11990100MB0000101B",  # numbers its 公开目录 (索引号)
            "icp_number": "示ICP备20260001号-1",
            "police_number": "示公网安备 99010002000101号",
            "address": "示例省甲市东湖区明德路88号",
            "postcode": "999101",
            "phone": "12366；（0000）8612 3300",
            "email": "bgs@jia.tax-shili.example",
            "description": "国家税务总局甲市税务局网站：工作动态、通知公告、信息公开、纳税服务。",
            "keywords": "甲市税务局,纳税服务,办税服务厅",
        },
        "banner": {
            "title": "甲市税务：办税更便捷",
            "text": "全市各办税服务厅工作日连续办公，延时服务至18:00。",
            "image": "jia-hero",
        },
        "notice_column": "tzgg",
        "featured_columns": [("gzdt", 6), ("bsfwt", 4)],
        "quick_links": [
            {"title": "电子税务局", "description": "在线申报、缴税、开票", "url": "https://etax.tax-shili.example/"},
            {"title": "办事指南", "description": "在本市到哪里办、几点办", "page": "bszn"},
            {"title": "表格下载", "description": "空白表格与填写样表", "page": "bgxz"},
            {"title": "办税服务厅", "description": "地址与办公时间", "page": "bsfwt"},
            {"title": "信息公开目录", "description": "主动公开的信息", "page": "xxgkml"},
            {"title": "联系我们", "description": "12366 纳税服务热线", "page": "contact"},
        ],
    },
    {
        "key": "yi",
        "hostname": "yi.localhost",
        "parent": "localhost",
        "is_default": False,
        "home_slug": "yi",
        "collection": "乙市税务局",
        "identity": {
            "site_name": "国家税务总局乙市税务局",
            "logo_text": "乙市税务局",
            "english_name": "Yi City Tax Service",
            "sponsor": "国家税务总局乙市税务局",
            "organiser": "国家税务总局乙市税务局办公室",
            "site_code": "bm29000201",
            "organisation_code": "11990200MB0000201C",  # numbers its 公开目录 (索引号)
            "icp_number": "示ICP备20260001号-2",
            "police_number": "示公网安备 99020002000201号",
            "address": "示例省乙市北城区人民路168号",
            "postcode": "999201",
            "phone": "12366；（0001）8715 0001",
            "email": "bgs@yi.tax-shili.example",
            "description": "国家税务总局乙市税务局网站：工作动态、通知公告、信息公开、纳税服务。",
            "keywords": "乙市税务局,纳税服务,办税服务厅",
        },
        "banner": {
            "title": "乙市税务：服务企业发展",
            "text": "“一企一策”走访重点企业，税费优惠政策直达快享。",
            "image": "yi-hero",
        },
        "notice_column": "tzgg",
        "featured_columns": [("gzdt", 6), ("bsfwt", 4)],
        "quick_links": [
            {"title": "电子税务局", "description": "在线申报、缴税、开票", "url": "https://etax.tax-shili.example/"},
            {"title": "办事指南", "description": "在本市到哪里办、几点办", "page": "bszn"},
            {"title": "表格下载", "description": "空白表格与填写样表", "page": "bgxz"},
            {"title": "办税服务厅", "description": "地址与办公时间", "page": "bsfwt"},
            {"title": "信息公开目录", "description": "主动公开的信息", "page": "xxgkml"},
            {"title": "联系我们", "description": "12366 纳税服务热线", "page": "contact"},
        ],
    },
]

# County sites opened the way staff open one (站点开通, cluster/services.py), from the
# "county" site template: an empty but complete site for its editors to fill.
COUNTY_SITES = [
    {
        "name": "国家税务总局临江县税务局",
        "hostname": "linjiang.localhost",
        "parent": "jia.localhost",
        "template": "county",
        "organisation_code": "11999001MB0000111X",
        "site_code": "bm29000111",
        "email": "bgs@linjiang.tax-shili.example",
        "phone": "12366；（0000）8633 1200",
        "address": "示例省甲市临江县滨江路16号",
        "postcode": "999111",
        "icp_number": "示ICP备20260001号-3",
        "police_number": "示公网安备 99010002000111号",
    },
]

# Accounts for trying the admin (README "Demo accounts"). Passwords are for the demo only.
USERS = [
    {"username": "admin", "password": "demo-admin-2026", "superuser": True, "first_name": "管理员"},
]
