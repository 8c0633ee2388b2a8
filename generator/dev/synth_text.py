"""Word pools for :mod:`generator.synth`: place-name syllables, document kinds, issuers, publishers
and the phrases summaries are made of. Data only; every choice among them is made by the seeded
generator there.
"""

from __future__ import annotations

#: China's provincial-level divisions: (id, English, Chinese, ISO 3166-2, GB/T 2260 code of MCA 2019-04).
PROVINCES = (
    ("cn-beijing", "Beijing", "北京市", "CN-BJ", "110000"),
    ("cn-tianjin", "Tianjin", "天津市", "CN-TJ", "120000"),
    ("cn-hebei", "Hebei", "河北省", "CN-HE", "130000"),
    ("cn-shanxi", "Shanxi", "山西省", "CN-SX", "140000"),
    ("cn-inner-mongolia", "Inner Mongolia", "内蒙古自治区", "CN-NM", "150000"),
    ("cn-liaoning", "Liaoning", "辽宁省", "CN-LN", "210000"),
    ("cn-jilin", "Jilin", "吉林省", "CN-JL", "220000"),
    ("cn-heilongjiang", "Heilongjiang", "黑龙江省", "CN-HL", "230000"),
    ("cn-shanghai", "Shanghai", "上海市", "CN-SH", "310000"),
    ("cn-jiangsu", "Jiangsu", "江苏省", "CN-JS", "320000"),
    ("cn-zhejiang", "Zhejiang", "浙江省", "CN-ZJ", "330000"),
    ("cn-anhui", "Anhui", "安徽省", "CN-AH", "340000"),
    ("cn-fujian", "Fujian", "福建省", "CN-FJ", "350000"),
    ("cn-jiangxi", "Jiangxi", "江西省", "CN-JX", "360000"),
    ("cn-shandong", "Shandong", "山东省", "CN-SD", "370000"),
    ("cn-henan", "Henan", "河南省", "CN-HA", "410000"),
    ("cn-hubei", "Hubei", "湖北省", "CN-HB", "420000"),
    ("cn-hunan", "Hunan", "湖南省", "CN-HN", "430000"),
    ("cn-guangdong", "Guangdong", "广东省", "CN-GD", "440000"),
    ("cn-guangxi", "Guangxi Zhuang Autonomous Region", "广西壮族自治区", "CN-GX", "450000"),
    ("cn-hainan", "Hainan", "海南省", "CN-HI", "460000"),
    ("cn-chongqing", "Chongqing", "重庆市", "CN-CQ", "500000"),
    ("cn-sichuan", "Sichuan", "四川省", "CN-SC", "510000"),
    ("cn-guizhou", "Guizhou", "贵州省", "CN-GZ", "520000"),
    ("cn-yunnan", "Yunnan", "云南省", "CN-YN", "530000"),
    ("cn-tibet", "Tibet (Xizang)", "西藏自治区", "CN-XZ", "540000"),
    ("cn-shaanxi", "Shaanxi", "陕西省", "CN-SN", "610000"),
    ("cn-gansu", "Gansu", "甘肃省", "CN-GS", "620000"),
    ("cn-qinghai", "Qinghai", "青海省", "CN-QH", "630000"),
    ("cn-ningxia", "Ningxia Hui Autonomous Region", "宁夏回族自治区", "CN-NX", "640000"),
    ("cn-xinjiang", "Xinjiang Uygur Autonomous Region", "新疆维吾尔自治区", "CN-XJ", "650000"),
)

#: Places outside China: (id, English, Chinese, local name, level, parent, country, ISO 3166-2, language, host).
ABROAD = (
    ("eu", "European Union", "欧盟", None, "supranational", None, None, None, "en", "digital-strategy.ec.europa.eu"),
    ("kr", "Republic of Korea", "韩国", "대한민국", "national", None, "KR", None, "ko", "www.msit.go.kr"),
    ("kr-seoul", "Seoul", "首尔特别市", "서울특별시", "state-or-region", "kr", "KR", "KR-11", "ko", "news.seoul.go.kr"),
    ("ae", "United Arab Emirates", "阿联酋", "الإمارات العربية المتحدة", "national", None, "AE", None, "en", "u.ae"),
    ("ae-dubai", "Dubai", "迪拜", "دبي", "state-or-region", "ae", "AE", "AE-DU", "en", "www.dubai.gov.ae"),
    ("jp", "Japan", "日本", "日本", "national", None, "JP", None, "ja", "www.soumu.go.jp"),
    ("jp-tokyo", "Tokyo", "东京都", "東京都", "state-or-region", "jp", "JP", "JP-13", "ja", "www.metro.tokyo.lg.jp"),
)

#: Money units by country (None: supranational); the first is the most common.
MONEY_UNITS = {
    "CN": ("yi-yuan", "wan-yuan", "wan-yi-yuan"),
    "KR": ("krw-billion", "krw-trillion"),
    "AE": ("aed-billion", "usd-billion", "usd-million", "usd"),
    "JP": ("jpy-oku",),
    None: ("eur-million", "usd-billion"),
}

#: Syllables of fictional place names: (ASCII pinyin, toned pinyin, character).
SYLLABLES = (
    ("qing", "qīng", "青"),
    ("shan", "shān", "山"),
    ("hai", "hǎi", "海"),
    ("he", "hé", "河"),
    ("jiang", "jiāng", "江"),
    ("lin", "lín", "林"),
    ("an", "ān", "安"),
    ("ning", "níng", "宁"),
    ("yang", "yáng", "阳"),
    ("chang", "cháng", "长"),
    ("xing", "xīng", "兴"),
    ("hua", "huá", "华"),
    ("dong", "dōng", "东"),
    ("xi", "xī", "西"),
    ("nan", "nán", "南"),
    ("bei", "běi", "北"),
    ("ping", "píng", "平"),
    ("feng", "fēng", "丰"),
    ("yun", "yún", "云"),
    ("tai", "tài", "泰"),
    ("kang", "kāng", "康"),
    ("fu", "fú", "福"),
    ("long", "lóng", "龙"),
    ("quan", "quán", "泉"),
    ("shui", "shuǐ", "水"),
    ("tian", "tiān", "天"),
    ("jin", "jīn", "金"),
    ("yu", "yù", "玉"),
    ("bao", "bǎo", "宝"),
    ("de", "dé", "德"),
    ("shun", "shùn", "顺"),
    ("guang", "guāng", "光"),
    ("ming", "míng", "明"),
    ("rui", "ruì", "瑞"),
    ("chun", "chūn", "春"),
    ("song", "sōng", "松"),
    ("mei", "méi", "梅"),
    ("zhou", "zhōu", "州"),
    ("cheng", "chéng", "城"),
    ("hu", "hú", "湖"),
    ("ling", "líng", "陵"),
    ("yuan", "yuán", "源"),
    ("wu", "wǔ", "武"),
    ("jia", "jiā", "嘉"),
    ("shao", "sháo", "韶"),
)

#: Document kinds: kind → (weight, id part, Chinese title, English title, focus, period years, numbered).
#: Titles take {zh} and {en} (the place), {tz} and {te} (the topic), {y} and {y2} (years).
KINDS = {
    "government-work-report": (
        16,
        "gwr",
        "{y}年{zh}政府工作报告",
        "{y} {en} Government Work Report",
        "mention",
        0,
        False,
    ),
    "action-plan": (
        20,
        "action-plan",
        "{zh}{tz}产业创新发展行动计划（{y}—{y2}年）",
        "{en} Action Plan for the Innovative Development of the {te} Industry ({y}–{y2})",
        "dedicated",
        3,
        True,
    ),
    "support-measures": (
        10,
        "measures",
        "{zh}关于支持{tz}产业发展的若干措施",
        "Measures of {en} to Support the Development of the {te} Industry",
        "dedicated",
        0,
        True,
    ),
    "guiding-opinions": (
        6,
        "opinions",
        "{zh}关于加快推进{tz}产业发展的指导意见",
        "Guiding Opinions of {en} on Accelerating the {te} Industry",
        "dedicated",
        0,
        True,
    ),
    "five-year-plan": (
        8,
        "fyp",
        "{zh}数字经济发展“十四五”规划",
        "{en} 14th Five-Year Plan for the Development of the Digital Economy",
        "chapter",
        5,
        True,
    ),
    "development-plan": (
        5,
        "devplan",
        "{zh}{tz}生态产业发展规划（{y}—{y2}年）",
        "{en} Development Plan for the {te} Ecosystem Industry ({y}–{y2})",
        "dedicated",
        4,
        True,
    ),
    "work-points": (
        6,
        "points",
        "{y}年{zh}数字经济工作要点",
        "{en} Key Points of Digital Economy Work for {y}",
        "chapter",
        0,
        True,
    ),
    "party-report": (
        3,
        "party",
        "中共{zh}委员会全体会议报告（{y}年）",
        "{y} Plenary Report of the {en} Party Committee",
        "mention",
        0,
        False,
    ),
    "white-paper": (
        4,
        "white-paper",
        "{zh}{tz}产业发展白皮书（{y}）",
        "{en} White Paper on the {te} Industry ({y})",
        "dedicated",
        0,
        False,
    ),
    "meeting": (12, "meeting", "{zh}{tz}产业发展座谈会", "{en} Symposium on the {te} Industry", "mention", 0, False),
    "event": (5, "event", "{y}{zh}{tz}产业大会", "{y} {en} {te} Industry Conference", "dedicated", 0, False),
    "announcement": (
        3,
        "announcement",
        "{zh}关于征集{tz}应用场景的公告",
        "{en} Call for {te} Application Scenarios",
        "dedicated",
        0,
        False,
    ),
    "strategy": (1, "strategy", "{zh}{tz}发展战略", "{en} {te} Strategy", "dedicated", 5, False),
    "standard-work": (
        1,
        "standards",
        "{zh}{tz}标准体系建设指南",
        "{en} Guide to Building the {te} Standards System",
        "dedicated",
        0,
        True,
    ),
}

#: Topics in titles and themes: (Chinese, English, themes).
TOPICS = (
    ("元宇宙", "Metaverse", ("xr", "digital-twins", "digital-humans")),
    ("虚拟现实", "Virtual Reality", ("xr", "culture-tourism", "education")),
    ("数字孪生", "Digital Twin", ("digital-twins", "smart-city", "industrial-metaverse")),
    ("工业元宇宙", "Industrial Metaverse", ("industrial-metaverse", "digital-twins", "computing-infrastructure")),
    ("数字人", "Digital Human", ("digital-humans", "ai", "commerce")),
    ("未来产业", "Future Industries", ("future-industries", "ai", "blockchain")),
)
THEMES = (
    "xr",
    "digital-twins",
    "digital-humans",
    "industrial-metaverse",
    "digital-collectibles",
    "blockchain",
    "ai",
    "computing-infrastructure",
    "culture-tourism",
    "smart-city",
    "education",
    "healthcare",
    "commerce",
    "standards",
    "regulation",
    "talent",
    "finance",
    "industrial-parks",
    "future-industries",
    "digital-economy",
)

#: National ministries of China as issuers: (Chinese, English, host).
MINISTRIES = (
    ("工业和信息化部", "Ministry of Industry and Information Technology", "www.miit.gov.cn"),
    ("教育部", "Ministry of Education", "www.moe.gov.cn"),
    ("文化和旅游部", "Ministry of Culture and Tourism", "www.mct.gov.cn"),
    ("国家广播电视总局", "National Radio and Television Administration", "www.nrta.gov.cn"),
)

#: Government bodies of a Chinese place, by level group: (Chinese suffix, English suffix).
BODIES = {
    "province": (
        ("人民政府", "Provincial People's Government"),
        ("工业和信息化厅", "Department of Industry and Information Technology"),
        ("发展和改革委员会", "Development and Reform Commission"),
    ),
    "city": (
        ("人民政府", "Municipal People's Government"),
        ("经济和信息化局", "Municipal Bureau of Economy and Information Technology"),
        ("科学技术局", "Municipal Science and Technology Bureau"),
    ),
    "district": (
        ("人民政府", "People's Government"),
        ("科技和经济委员会", "Science, Technology and Economy Commission"),
    ),
    "zone": (("管理委员会", "Administrative Committee"), ("经济发展局", "Economic Development Bureau")),
}

#: Foreign issuers by jurisdiction: (name in the original language, English name).
FOREIGN_ISSUERS = {
    "eu": ("European Commission", "European Commission"),
    "kr": ("과학기술정보통신부", "Ministry of Science and ICT"),
    "kr-seoul": ("서울특별시", "Seoul Metropolitan Government"),
    "ae": ("UAE Cabinet", "UAE Cabinet"),
    "ae-dubai": ("Dubai Future Foundation", "Dubai Future Foundation"),
    "jp": ("総務省", "Ministry of Internal Affairs and Communications"),
    "jp-tokyo": ("東京都", "Tokyo Metropolitan Government"),
}

#: Foreign document titles by language: (original, English, Chinese); {y} is the year.
FOREIGN_TITLES = {
    "ko": (
        ("메타버스 기본계획 {y}", "Basic Plan for the Metaverse {y}", "元宇宙基本计划{y}"),
        ("메타버스 산업 진흥 전략", "Strategy to Promote the Metaverse Industry", "元宇宙产业振兴战略"),
    ),
    "ja": (
        ("メタバース推進戦略 {y}", "Metaverse Promotion Strategy {y}", "元宇宙推进战略{y}"),
        ("仮想空間の利活用に関する指針", "Guidelines on the Use of Virtual Spaces", "虚拟空间利用指南"),
    ),
    "en": (
        ("Metaverse Strategy {y}", "Metaverse Strategy {y}", "元宇宙战略{y}"),
        (
            "An Initiative on Web 4.0 and Virtual Worlds",
            "An Initiative on Web 4.0 and Virtual Worlds",
            "关于Web 4.0与虚拟世界的倡议",
        ),
    ),
}

#: Secondary publishers: (id part, English name, host, kind, original publisher for reposts).
PUBLISHERS = (
    ("xinhua", "Xinhua News Agency (新华社)", "www.news.cn", "state-media", None),
    ("people", "People's Daily Online (人民网)", "www.people.com.cn", "state-media", None),
    ("thepaper", "The Paper (澎湃新闻)", "www.thepaper.cn", "press", None),
    ("cls", "Cailian Press (财联社)", "www.cls.cn", "press", None),
    ("eastmoney", "Eastmoney Caifuhao (东方财富财富号)", "caifuhao.eastmoney.com", "self-media", None),
    ("sohu", "Sohu (搜狐)", "www.sohu.com", "repost", "Xinhua News Agency (新华社)"),
    ("sina", "Sina Finance (新浪财经)", "finance.sina.com.cn", "repost", "China Securities Journal (中国证券报)"),
    ("vrtuoluo", "VR Tuoluo (VR陀螺)", "www.vrtuoluo.cn", "secondary", None),
)

#: Metrics by kind of figure: money, count, people (count or 万人) and percent, with weights.
METRICS = (
    ("industry-scale", "money", 14),
    ("core-industry-scale", "money", 8),
    ("related-industry-scale", "money", 3),
    ("output-value", "money", 4),
    ("revenue", "money", 3),
    ("fund-size", "money", 3),
    ("subsidy-cap", "money", 3),
    ("gdp-contribution", "money", 1),
    ("leading-enterprises", "count", 8),
    ("enterprises", "count", 6),
    ("specialized-enterprises", "count", 4),
    ("listed-enterprises", "count", 2),
    ("demonstration-scenarios", "count", 8),
    ("industrial-parks", "count", 4),
    ("innovation-platforms", "count", 4),
    ("patents", "count", 2),
    ("standards", "count", 2),
    ("products", "count", 2),
    ("talent", "people", 3),
    ("jobs", "people", 1),
    ("users", "people", 1),
    ("digital-economy-share", "percent", 2),
    ("growth-rate", "percent", 2),
    ("other", "count", 1),
)
#: Chinese measure word and English noun of count metrics.
COUNTERS = {
    "leading-enterprises": ("家", "leading firms"),
    "enterprises": ("家", "firms"),
    "specialized-enterprises": ("家", "specialized SMEs"),
    "listed-enterprises": ("家", "listed firms"),
    "demonstration-scenarios": ("个", "demonstration scenarios"),
    "industrial-parks": ("个", "industrial parks"),
    "innovation-platforms": ("个", "innovation platforms"),
    "patents": ("项", "patents"),
    "standards": ("项", "standards"),
    "products": ("款", "products"),
    "other": ("项", "items"),
    "talent": ("名", "specialists"),
    "jobs": ("个", "jobs"),
    "users": ("户", "users"),
}

LOCATORS = (
    "第二部分（一）",
    "第三条",
    "主要目标",
    "二、发展目标",
    "Article 3",
    "Section 2.1",
    "paragraph 4",
    "第四部分第（二）项",
)

#: Summary sentences; {name}: place, {topic}: topic in English, {y}: year, {goal}: a target in words.
EN_OPENINGS = (
    "{name}'s {kind} sets out how the city means to grow its {topic} industry by {y2}.",
    "The {kind} of {name} names the {topic} among the future industries it will back.",
    "{name} issued this {kind} to build a {topic} ecosystem around local manufacturers and platforms.",
    "In this {kind}, {name} puts the {topic} next to artificial intelligence and blockchain as priorities.",
)
EN_DETAILS = (
    "It promises support for **XR terminals**, rendering engines and digital-human platforms.",
    "Pilot scenarios are listed for *culture and tourism*, education, healthcare and industrial design.",
    "A dedicated fund and rent subsidies are offered to firms that move into the designated park.",
    "The text asks districts to report progress every quarter and names a leading group.",
    "Standards work and a public computing platform are to be set up with local universities.",
    "It mentions the metaverse only once, in a list of new tracks for the coming year.",
)
ZH_SENTENCES = (
    "提出加快布局{tz}产业，打造具有全国影响力的产业集聚区。",
    "明确支持虚拟现实终端、数字人和渲染引擎等关键技术攻关。",
    "围绕文旅、教育、医疗、工业等领域开放一批应用场景。",
    "设立产业基金，对入驻园区的重点企业给予租金补贴。",
    "要求各区县按季度报送工作进展，建立工作专班推进机制。",
)
RESEARCH_NOTES = (
    "The issue date was not seen on the government page; the date of the press conference is recorded instead.",
    "A secondary compilation gives a different year for the deadline; the official text was followed.",
    "The document number comes from the repost; the original page no longer loads.",
    "Only an excerpt of the plan was read; the targets are those the excerpt quotes.",
)
