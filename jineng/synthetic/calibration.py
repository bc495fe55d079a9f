"""校准 — the shares the synthetic province is drawn from, and where each figure comes from.

Group shares are shares of **training person-times** (补贴性培训人次), calibrated to ``shared/data/stats_reference.csv``:

- 企业职工 0.457 — 十四五实绩 (to 2025-09): 企业职工 4200万+ of 9200万+ subsidized person-times;
- 农民工 0.337 — the same source: 农民工 3100万+ of 9200万+ (2019–2021: 3000万+ of 8300万+ ≈ 0.36, consistent);
- 脱贫人口 0.076 — 2021 统计公报: 培训脱贫人口及脱贫家庭子女 211.2万 against ≈ 2767万 a year (8300万 over 2019–2021);
- 高校毕业生 0.05 — 2025H1: 农民工 + 高校毕业生 ≈ 210万 beside 企业职工 214万; with 农民工 at 0.337 of the
  total the residual graduates are a few percent; 0.05 is an assumption inside that bound;
- the rest (失业人员, 退役军人, 残疾人, 农村转移劳动力, 低保, 就业困难人员) share the remaining 0.08 — an assumption.

Outcome shares: 取得证书 4400万+ of 9200万+ person-times → 0.478 of trainees obtain a skill certificate; of the
certificates, 技师/高级技师 30.2万 of 898.8万 (2021) → 0.034.

Sexes, ages and city weights are not in the reference data; they are stated assumptions (see bench/README.md):
males 0.54 of trainees; ages by group (below); cities weighted by their 2020 census populations (第七次人口普查,
rounded to 0.1 million) and counties equally within a city. A migrant worker's ID number is issued, with the share
below, in a county of a neighbouring sending province (湖南, 广西, 江西, 四川, 湖北, 河南) — as real migrant workers'
are — and in Guangdong otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (group code, share of training person-times, birth-year range at the first training, share male)
GROUPS: list[tuple[str, float, tuple[int, int], float]] = [
    ("enterprise_employee", 0.457, (1968, 2004), 0.55),
    ("migrant_worker", 0.337, (1966, 2005), 0.58),
    ("poverty_alleviated", 0.076, (1966, 2006), 0.50),
    ("college_graduate", 0.050, (1998, 2004), 0.46),
    ("unemployed", 0.030, (1968, 2004), 0.52),
    ("rural_labor", 0.020, (1966, 2006), 0.56),
    ("veteran", 0.010, (1970, 2002), 0.95),
    ("disabled", 0.008, (1968, 2004), 0.60),
    ("low_income", 0.006, (1966, 2004), 0.48),
    ("employment_difficulty", 0.006, (1966, 1990), 0.45),
]
# Persons the registry holds who should not be trainees: the "ghost trainee" anomaly enrolls them.
GHOST_GROUPS: list[tuple[str, float, tuple[int, int], float]] = [
    ("retiree", 0.006, (1950, 1963), 0.50),  # 退休人员: past the retirement age
    ("student", 0.006, (2006, 2010), 0.50),  # 在校学生 (full-time, not a graduate)
]
CERTIFICATE_SHARE = 0.478
HIGH_LEVEL_SHARE = 0.034
MIGRANT_FROM_OUTSIDE = 0.6
SENDING_PROVINCES = ["430000", "450000", "360000", "510000", "420000", "410000"]

# 第七次全国人口普查 (2020) resident populations of Guangdong's cities, in units of 100k (approximate, rounded).
CITY_POPULATION = {
    "440100": 187,  # 广州
    "440300": 176,  # 深圳
    "441900": 105,  # 东莞
    "440600": 95,  # 佛山
    "440800": 70,  # 湛江
    "440900": 62,  # 茂名
    "441300": 60,  # 惠州
    "445200": 56,  # 揭阳
    "440500": 55,  # 汕头
    "440700": 48,  # 江门
    "442000": 44,  # 中山
    "441200": 41,  # 肇庆
    "441800": 40,  # 清远
    "441400": 39,  # 梅州
    "440200": 29,  # 韶关
    "441600": 28,  # 河源
    "441500": 27,  # 汕尾
    "441700": 26,  # 阳江
    "445100": 26,  # 潮州
    "440400": 24,  # 珠海
    "445300": 24,  # 云浮
}
# Approximate city centres (latitude, longitude) — venues are placed within ≈ 15 km of their city's centre.
CITY_CENTRE = {
    "440100": (23.13, 113.26),
    "440200": (24.81, 113.60),
    "440300": (22.54, 114.06),
    "440400": (22.27, 113.58),
    "440500": (23.35, 116.68),
    "440600": (23.02, 113.12),
    "440700": (22.58, 113.08),
    "440800": (21.27, 110.36),
    "440900": (21.66, 110.92),
    "441200": (23.05, 112.47),
    "441300": (23.11, 114.42),
    "441400": (24.29, 116.12),
    "441500": (22.79, 115.38),
    "441600": (23.74, 114.70),
    "441700": (21.86, 111.98),
    "441800": (23.68, 113.06),
    "441900": (23.02, 113.75),
    "442000": (22.52, 113.39),
    "445100": (23.66, 116.62),
    "445200": (23.55, 116.37),
    "445300": (22.92, 112.04),
}
# Occupations most trained in subsidized classes (names as in the 2022 大典); matched by name in refdata.
COMMON_OCCUPATIONS = [
    "电工", "焊工", "育婴员", "保育师", "中式烹调师", "中式面点师", "家政服务员", "养老护理员", "美容师", "美发师",
    "电子商务师", "互联网营销师", "计算机程序设计员", "汽车维修工", "叉车司机", "钳工", "车工", "电子设备装接工",
    "工业机器人系统操作员", "健康照护师", "农艺工", "茶艺师", "西式面点师", "物流服务师", "保安员", "餐厅服务员",
    "眼镜验光员", "保健按摩师", "快递员", "网约配送员", "制冷空调系统安装维修工", "电梯安装维修工",
]  # fmt: skip


@dataclass(frozen=True)
class Calibration:
    """The shares one run draws from; ``cities`` restricts the province (the demo keeps 广州 and 深圳)."""

    groups: list[tuple[str, float, tuple[int, int], float]] = field(default_factory=lambda: list(GROUPS))
    ghost_groups: list[tuple[str, float, tuple[int, int], float]] = field(default_factory=lambda: list(GHOST_GROUPS))
    cities: dict[str, int] = field(default_factory=lambda: dict(CITY_POPULATION))
    certificate_share: float = CERTIFICATE_SHARE
    high_level_share: float = HIGH_LEVEL_SHARE
    migrant_from_outside: float = MIGRANT_FROM_OUTSIDE
    enrolled_share: float = 0.9  # registered persons who train at least once
    second_share: float = 0.15  # of those, who train a second time (≈ half a year later)
    attendance_rate: float = 0.92  # sessions attended by a trainee
    min_rate_percent: int = 80  # attendance.min_rate_percent (the platform's default)

    def group_shares(self) -> dict[str, float]:
        total = sum(s for _g, s, _y, _m in self.groups)
        return {g: s / total for g, s, _y, _m in self.groups}


DEFAULT = Calibration()
DEMO = Calibration(cities={"440100": CITY_POPULATION["440100"], "440300": CITY_POPULATION["440300"]})
