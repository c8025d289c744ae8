"""The places this project drew by hand: lake shores traced for Jinji and Dushu lakes, Lotus
Island, and where the article's carrier parks, industrial areas, service districts, consumption
scenes, innovation platforms and cooperation parks are (lon/lat degrees, EPSG:4326).

Every vertex and point was placed for this project against the public reference points and
figures in data/SOURCES.md; nothing here is copied from another dataset.
"""

from __future__ import annotations

from shapely.geometry import Polygon

JINJI_TRACE = Polygon([
    (120.6845, 31.3305), (120.6880, 31.3335), (120.6920, 31.3342), (120.6965, 31.3330),
    (120.6990, 31.3315), (120.7010, 31.3290), (120.7040, 31.3275), (120.7070, 31.3250),
    (120.7085, 31.3215), (120.7080, 31.3190), (120.7095, 31.3160), (120.7088, 31.3125),
    (120.7070, 31.3095), (120.7060, 31.3060), (120.7040, 31.3035), (120.7010, 31.3010),
    (120.6985, 31.2975), (120.6955, 31.2945), (120.6925, 31.2940), (120.6900, 31.2958),
    (120.6875, 31.2985), (120.6845, 31.3005), (120.6825, 31.3035), (120.6812, 31.3070),
    (120.6805, 31.3110), (120.6815, 31.3140), (120.6806, 31.3165), (120.6812, 31.3195),
    (120.6818, 31.3235), (120.6825, 31.3270), (120.6832, 31.3292),
])  # fmt: skip
# 李公堤 Ligong Causeway runs east from the south-west shore into the lake.
LIGONG_CAUSEWAY = Polygon([
    (120.6825, 31.3041), (120.6905, 31.3044), (120.6925, 31.3052), (120.6923, 31.3060),
    (120.6903, 31.3055), (120.6822, 31.3053),
])  # fmt: skip

DUSHU_TRACE = Polygon([
    (120.6965, 31.2790), (120.7030, 31.2792), (120.7085, 31.2770), (120.7120, 31.2745),
    (120.7165, 31.2755), (120.7215, 31.2750), (120.7265, 31.2725), (120.7305, 31.2685),
    (120.7330, 31.2635), (120.7338, 31.2585), (120.7322, 31.2540), (120.7335, 31.2500),
    (120.7305, 31.2460), (120.7255, 31.2430), (120.7200, 31.2420), (120.7160, 31.2440),
    (120.7120, 31.2470), (120.7075, 31.2465), (120.7030, 31.2480), (120.6990, 31.2510),
    (120.6960, 31.2555), (120.6945, 31.2605), (120.6950, 31.2655), (120.6940, 31.2705),
    (120.6945, 31.2750),
])  # fmt: skip

YANGCHENG_TRACE = Polygon([
    (120.712, 31.512), (120.730, 31.510), (120.746, 31.496), (120.758, 31.484),
    (120.768, 31.488), (120.790, 31.486), (120.810, 31.480), (120.832, 31.476),
    (120.855, 31.470), (120.874, 31.455), (120.882, 31.430), (120.878, 31.405),
    (120.866, 31.388), (120.850, 31.378), (120.832, 31.384), (120.818, 31.396),
    (120.810, 31.410), (120.806, 31.424), (120.795, 31.430), (120.782, 31.428),
    (120.772, 31.420), (120.760, 31.418), (120.752, 31.428), (120.745, 31.440),
    (120.736, 31.452), (120.726, 31.466), (120.716, 31.482), (120.706, 31.498),
])  # fmt: skip
LOTUS_ISLAND = Polygon([
    (120.8185, 31.4340), (120.8230, 31.4330), (120.8262, 31.4352), (120.8240, 31.4380),
    (120.8195, 31.4375),
])  # fmt: skip


CARRIER_PARKS = [
    ("carrier-biotech-island", "中新生物技术岛", "Sino-Singapore Biotech Island",
     (120.7410, 31.2580, 120.7520, 31.2665), "生物医药", "biomedicine",
     "专业特色楼宇;垂直产业楼宇", "specialty;vertical-industry"),
    ("carrier-hq-base", "企业总部基地", "Enterprise HQ Base",
     (120.7230, 31.3040, 120.7305, 31.3115), "总部经济;高端商务", "headquarters;business services",
     "总部楼宇;智慧楼宇", "headquarters;smart"),
    ("carrier-jinguang", "金光科技产业园", "Jinguang Sci-Tech Industrial Park",
     (120.7600, 31.3305, 120.7705, 31.3375), "电子信息制造;人工智能", "electronics;AI",
     "垂直产业楼宇;智慧楼宇", "vertical-industry;smart"),
    ("carrier-listed-companies", "上市企业产业园", "Listed Companies Industrial Park",
     (120.7750, 31.2900, 120.7850, 31.2980), "纳米技术;电子信息制造", "nanotech;electronics",
     "总部楼宇;垂直产业楼宇", "headquarters;vertical-industry"),
    ("carrier-modern-services", "现代服务业产业园", "Modern Services Industrial Park",
     (120.7380, 31.3180, 120.7480, 31.3260), "专业服务;信息服务", "professional;information services",
     "智慧楼宇;专业特色楼宇", "smart;specialty"),
]  # fmt: skip


# Industrial areas of the park (lon/lat bounds) where the illustrative parcels are laid out.
INDUSTRIAL_AREAS = [
    ("SH", "苏虹路片区", "Suhong Road area", (120.7250, 31.3285, 120.7560, 31.3440)),
    ("XL", "星龙街片区", "Xinglong Street area", (120.7600, 31.3100, 120.7900, 31.3290)),
    ("WT", "唯亭片区", "Weiting area", (120.7950, 31.3420, 120.8350, 31.3700)),
    ("SP", "胜浦片区", "Shengpu area", (120.8050, 31.2850, 120.8380, 31.3060)),
    ("LF", "娄葑片区", "Loufeng area", (120.6540, 31.2960, 120.6690, 31.3150)),
]  # fmt: skip
CURRENT_USES = [("1001", "一类工业用地", "Class-1 industrial", "M1"),
                ("1002", "二类工业用地", "Class-2 industrial", "M2")]  # fmt: skip
PLANNED_USES = [
    ("1001", "一类工业用地（新型产业）", "Class-1 industrial (new industry)", "M1", (2.0, 3.5)),
    ("080403", "科研用地", "Research and development", "A35", (2.0, 3.0)),
    ("0502", "商务金融用地", "Business and finance", "B2", (3.0, 5.0)),
    ("0501", "商业用地", "Commercial", "B1", (2.0, 3.5)),
    ("1401", "公园绿地", "Park and green space", "G1", (0.1, 0.2)),
    ("0701", "城镇住宅用地", "Urban residential", "R2", (2.0, 2.5)),
]  # fmt: skip
STATUSES = ["identified", "vacating", "vacated", "redeveloping", "completed"]


SERVICE_TYPES = {
    "finance": "金融", "exhibition": "会展", "logistics": "现代物流",
    "human_resources": "人力资源", "business": "高端商务", "tech_services": "科技服务",
    "information": "信息服务", "testing": "检验检测", "accounting": "会计",
    "consulting": "咨询", "legal": "法务",
}  # fmt: skip
SERVICE_DISTRICTS = [
    ("svc-lake-west-cbd", "湖西CBD金融商务区", "Lake West CBD finance and business district",
     (120.6640, 31.3100, 120.6790, 31.3270), "finance;business;accounting;consulting;legal"),
    ("svc-lake-east-cbd", "湖东CBD商务区", "Lake East CBD business district",
     (120.7095, 31.3165, 120.7220, 31.3280), "business;information;consulting"),
    ("svc-expo", "金鸡湖国际会展区", "Jinji Lake international exhibition district",
     (120.7100, 31.3030, 120.7220, 31.3130), "exhibition;business"),
    ("svc-hr-park", "人力资源服务产业园", "Human resources services park",
     (120.7250, 31.3140, 120.7330, 31.3220), "human_resources;consulting"),
    ("svc-science-park", "国际科技园科技服务区", "International Science Park tech services district",
     (120.7330, 31.2920, 120.7450, 31.3020), "tech_services;information"),
    ("svc-bonded-logistics", "综合保税区物流功能区", "Bonded zone logistics district",
     (120.7900, 31.3250, 120.8100, 31.3380), "logistics;testing"),
    ("svc-dushu-testing", "独墅湖检验检测服务区", "Dushu Lake testing and inspection district",
     (120.7480, 31.2680, 120.7600, 31.2800), "testing;tech_services;legal"),
]  # fmt: skip


SCENE_KINDS = {"commercial": "商业业态", "street": "街区形态", "night": "夜间消费",
               "online": "网络/信息消费", "culture_tourism": "商旅文融合"}  # fmt: skip
CONSUMPTION_SCENES = [
    ("scene-suzhou-center", "苏州中心", "Suzhou Center", "jinji", (120.6765, 31.3215),
     "commercial;online;night"),
    ("scene-gate-east", "东方之门", "Gate to the East", "jinji", (120.6790, 31.3170),
     "culture_tourism;commercial"),
    ("scene-ligong", "李公堤", "Ligong Causeway", "jinji", (120.6880, 31.3049),
     "street;night;culture_tourism"),
    ("scene-moon-pier", "月光码头", "Moonlight Pier", "jinji", (120.6803, 31.3105),
     "night;street"),
    ("scene-eslite", "诚品书店", "Eslite Bookstore", "jinji", (120.7105, 31.3175),
     "culture_tourism;commercial"),
    ("scene-harmony-city", "圆融时代广场", "Harmony City", "jinji", (120.7150, 31.3215),
     "commercial;street;night"),
    ("scene-arts-center", "苏州文化艺术中心", "Suzhou Culture and Arts Centre", "jinji",
     (120.7095, 31.3140), "culture_tourism;night"),
    ("scene-olympic", "苏州奥林匹克体育中心", "Suzhou Olympic Sports Centre", "jinji",
     (120.7360, 31.3120), "culture_tourism;commercial"),
    ("scene-moon-bay", "月亮湾", "Moon Bay", "dushu", (120.7368, 31.2680),
     "commercial;street;night"),
    ("scene-dushu-library", "独墅湖图书馆", "Dushu Lake Library", "dushu", (120.7400, 31.2745),
     "culture_tourism;online"),
    ("scene-dushu-park", "独墅湖公园", "Dushu Lake Park", "dushu", (120.7120, 31.2795),
     "culture_tourism;street"),
    # On the peninsula as GSHHG draws it (placed 2026-11 when the real lake replaced the hand-drawn
    # one, which lay 5 km north-east; the earlier points fell in GSHHG's water).
    ("scene-yangcheng-peninsula", "阳澄湖半岛", "Yangcheng Lake Peninsula", "yangcheng",
     (120.7750, 31.4040), "culture_tourism;commercial"),
    ("scene-chongyuan", "重元寺", "Chongyuan Temple", "yangcheng", (120.7700, 31.4020),
     "culture_tourism"),
    ("scene-lotus-island", "莲花岛", "Lotus Island", "yangcheng", (120.8225, 31.4355),
     "culture_tourism;online"),
    ("scene-weiting-street", "唯亭老街", "Weiting Old Street", "yangcheng", (120.8120, 31.3780),
     "street;night;commercial"),
]  # fmt: skip


INNOVATION_PLATFORMS = [
    ("inno-biologics", "国家生物药技术创新中心", "National Biologics Technology Innovation Centre",
     (120.7455, 31.2630), "生物医药", "biomedicine"),
    ("inno-semiconductor", "国家第三代半导体技术创新中心（苏州）",
     "National Third-Generation Semiconductor Technology Innovation Centre (Suzhou)",
     (120.7600, 31.2920), "纳米技术", "nanotech"),
    ("inno-ai-zone", "国家新一代人工智能创新发展试验区", "National New-Generation AI Pilot Zone",
     (120.7450, 31.3040), "人工智能", "AI"),
    ("inno-gusu-lab", "姑苏实验室", "Gusu Laboratory", (120.7450, 31.2790), "材料科学",
     "materials science"),
    ("inno-nano-vacuum", "纳米真空互联实验站", "Nano-X Vacuum Interconnected Workstation",
     (120.7420, 31.2705), "纳米技术", "nanotech"),
]  # fmt: skip
COOPERATION_PARKS = [
    ("coop-suqian", "苏宿工业园区", "Suzhou-Suqian Industrial Park", (118.3300, 33.9300), "宿迁"),
    ("coop-chuzhou", "中新苏滁高新区", "China-Singapore Suzhou-Chuzhou Hi-tech Zone",
     (118.3700, 32.2800), "滁州"),
    ("coop-jiashan", "中新嘉善现代产业园", "China-Singapore Jiashan Modern Industrial Park",
     (120.9500, 30.8700), "嘉善"),
    ("coop-suxiang", "苏相合作区", "Suzhou-Xiangcheng Cooperation Zone", (120.5500, 31.4900),
     "相城"),
    ("coop-dushu-demo", "独墅湖开放创新协同发展示范区",
     "Dushu Lake Open Innovation Coordinated Development Demonstration Zone", (120.6600, 31.2400),
     "吴中"),
]  # fmt: skip
