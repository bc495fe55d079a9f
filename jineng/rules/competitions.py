"""竞赛奖励规则 — what a rank at a competition brings: a title (技术能手) and a level promotion (晋升职业技能等级).

Pure Python (no Django, no database). A region's rule set is a list of lines; each line says: at an event of this
level (and class, where the level has classes), a contestant ranked ``rank_max`` or better earns ``title`` and, if
they hold ``prerequisite`` (or higher) and less than ``grants``, is promoted to ``grants``. ``grants`` is a level
code or ``next`` (one rung above the prerequisite). The ladder is the certificate ladder (五级/初级工 … 一级/高级技师),
ordered by rank; a rule that would promote past its top, or to a level not above its prerequisite, is refused when
the rules are read (``rules_from_data``), never discovered at decision time.

``decide`` explains itself line by line (``CheckLine``), as subsidy decisions do: which lines matched the event and
rank, which title was earned, and why a promotion was or was not granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NEXT = "next"
PASS = "pass"  # noqa: S105 - an outcome, not a password
FAIL = "fail"
INFO = "info"

EVENT_LEVELS = ("enterprise", "industry", "city", "province", "national", "world_selection")
EVENT_CLASSES = ("", "class1", "class2")
RANK_MAX_LIMIT = 1000
TITLE_MAX = 60


class RuleError(ValueError):
    """A rule set that cannot be applied: names the line (1-based), the field and the reason."""

    def __init__(self, line: int, field: str, code: str, message: str) -> None:
        super().__init__(f"第 {line} 条 {field}: {message}")
        self.line = line
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rung:
    code: str
    rank: int
    name: str


@dataclass(frozen=True)
class RuleLine:
    event_level: str
    event_class: str
    rank_max: int
    title: str = ""
    prerequisite: str = ""  # level code; "" = no promotion on this line
    grants: str = ""  # level code or NEXT

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_level": self.event_level,
            "event_class": self.event_class,
            "rank_max": self.rank_max,
            "title": self.title,
            "prerequisite": self.prerequisite,
            "grants": self.grants,
        }


@dataclass(frozen=True)
class AwardRules:
    lines: tuple[RuleLine, ...]
    ladder: tuple[Rung, ...]

    def rung(self, code: str) -> Rung:
        return next(r for r in self.ladder if r.code == code)

    def granted(self, line: RuleLine) -> Rung | None:
        """The rung a line promotes to (None when the line promotes no one)."""
        if not line.prerequisite:
            return None
        if line.grants == NEXT:
            prereq = self.rung(line.prerequisite)
            return next(r for r in self.ladder if r.rank > prereq.rank)
        return self.rung(line.grants)


@dataclass(frozen=True)
class CheckLine:
    code: str
    outcome: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "outcome": self.outcome, "message": self.message}


@dataclass(frozen=True)
class AwardFacts:
    event_level: str
    event_class: str
    rank: int
    held_level: str = ""  # the highest valid level the contestant holds in the event's occupation ("" = none)


@dataclass(frozen=True)
class AwardDecision:
    title: str
    promote_to: str  # level code, "" = no promotion
    lines: tuple[CheckLine, ...] = field(default_factory=tuple)

    @property
    def awards_anything(self) -> bool:
        return bool(self.title or self.promote_to)


def ladder_from(rows: Iterable[tuple[str, int, str]]) -> tuple[Rung, ...]:
    return tuple(sorted((Rung(code, rank, name) for code, rank, name in rows), key=lambda r: r.rank))


def rules_from_data(data: Sequence[Mapping[str, Any]], ladder: Sequence[Rung]) -> AwardRules:
    """Read and check a rule set: every line's fields bounded, levels on the ladder, promotions upward and within it."""
    ladder = tuple(sorted(ladder, key=lambda r: r.rank))
    codes = {r.code: r for r in ladder}
    if not ladder:
        raise RuleError(0, "ladder", "empty_ladder", "等级阶梯为空")
    top = ladder[-1]
    lines: list[RuleLine] = []
    seen: set[tuple[str, str, int, str]] = set()
    for n, raw in enumerate(data, start=1):
        level = str(raw.get("event_level") or "")
        if level not in EVENT_LEVELS:
            raise RuleError(n, "event_level", "bad_event_level", f"赛事级别不正确：{level or '（空）'}")
        klass = str(raw.get("event_class") or "")
        if klass not in EVENT_CLASSES:
            raise RuleError(n, "event_class", "bad_event_class", f"赛事类别不正确：{klass}")
        try:
            rank_max = int(raw.get("rank_max") or 0)
        except (TypeError, ValueError):
            rank_max = 0
        if not 1 <= rank_max <= RANK_MAX_LIMIT:
            raise RuleError(n, "rank_max", "bad_rank_max", f"名次须为 1–{RANK_MAX_LIMIT}")
        title = " ".join(str(raw.get("title") or "").split())
        if len(title) > TITLE_MAX:
            raise RuleError(n, "title", "title_too_long", f"称号不超过 {TITLE_MAX} 字")
        prereq = str(raw.get("prerequisite") or "")
        grants = str(raw.get("grants") or "")
        if bool(prereq) != bool(grants):
            raise RuleError(n, "grants", "promotion_incomplete", "晋升须同时写明前提等级和晋升等级")
        if prereq:
            if prereq not in codes:
                raise RuleError(n, "prerequisite", "level_not_on_ladder", f"前提等级不在等级阶梯上：{prereq}")
            if grants == NEXT:
                if codes[prereq].rank >= top.rank:
                    raise RuleError(n, "grants", "past_ladder_top",
                                    f"{codes[prereq].name}已是等级阶梯最高级（{top.name}），不能再晋升")  # fmt: skip
            elif grants not in codes:
                raise RuleError(n, "grants", "level_not_on_ladder", f"晋升等级不在等级阶梯上：{grants}")
            elif codes[grants].rank <= codes[prereq].rank:
                raise RuleError(n, "grants", "promotion_not_upward", "晋升等级须高于前提等级")
        if not title and not prereq:
            raise RuleError(n, "title", "line_awards_nothing", "该条既无称号也无晋升")
        key = (level, klass, rank_max, prereq)
        if key in seen:
            raise RuleError(n, "rank_max", "duplicate_line", "与前面的一条重复（同级别、类别、名次和前提等级）")
        seen.add(key)
        lines.append(RuleLine(level, klass, rank_max, title, prereq, grants))
    return AwardRules(tuple(lines), ladder)


def _matches(line: RuleLine, facts: AwardFacts) -> bool:
    return line.event_level == facts.event_level and line.event_class in ("", facts.event_class)


def decide(rules: AwardRules, facts: AwardFacts) -> AwardDecision:
    """The title and promotion a rank earns, explained. Of the lines for the event's level and class that the rank
    reaches, the title is the one of the narrowest line (smallest ``rank_max``); the promotion is the highest rung
    granted by a line whose prerequisite the contestant holds and whose rung is above what they hold."""
    out: list[CheckLine] = []
    if facts.rank < 1:
        return AwardDecision("", "", (CheckLine("no_rank", FAIL, "无有效名次，不予奖励"),))
    candidates = [ln for ln in rules.lines if _matches(ln, facts)]
    if not candidates:
        out.append(CheckLine("no_rule", INFO, "本地区奖励规则未对该级别、类别的赛事规定奖励"))
        return AwardDecision("", "", tuple(out))
    reached = sorted((ln for ln in candidates if facts.rank <= ln.rank_max), key=lambda ln: ln.rank_max)
    if not reached:
        best = min(ln.rank_max for ln in candidates)
        out.append(CheckLine("rank_not_reached", INFO, f"第 {facts.rank} 名未达到奖励名次（前 {best} 名）"))
        return AwardDecision("", "", tuple(out))
    title = next((ln.title for ln in reached if ln.title), "")
    if title:
        out.append(CheckLine("title", PASS, f"第 {facts.rank} 名，授予“{title}”称号"))
    held = rules.rung(facts.held_level) if facts.held_level in {r.code for r in rules.ladder} else None
    held_text = held.name if held else "无等级证书"
    promote: Rung | None = None
    already: list[CheckLine] = []  # said only when nothing is granted: a higher promotion makes them moot
    for ln in reached:
        target = rules.granted(ln)
        if target is None:
            continue
        prereq = rules.rung(ln.prerequisite)
        if held is None or held.rank < prereq.rank:
            out.append(CheckLine("prerequisite_not_held", INFO,
                                 f"晋升{target.name}须持有{prereq.name}及以上证书，现持：{held_text}"))  # fmt: skip
            continue
        if held.rank >= target.rank:
            already.append(CheckLine("already_held", INFO, f"已持有{held.name}，不低于{target.name}，不再晋升"))
            continue
        if promote is None or target.rank > promote.rank:
            promote = target
    if promote is not None:
        out.append(CheckLine("promotion", PASS, f"持有{held_text}，晋升为{promote.name}"))
    else:
        out.extend(already)
    return AwardDecision(title, promote.code if promote else "", tuple(out))


def rank_contradiction(results: Iterable[tuple[Any, Any, int]]) -> tuple[Any, Any] | None:
    """The first pair ``(better, worse)`` of ``(key, score, rank)`` whose ranks contradict their scores, or None.

    A higher score must have a better (smaller) rank. Equal scores may share a rank or be ordered by the event's
    tie-break (用时, 实操成绩 …), so any ranks among them agree."""
    by_score = sorted(results, key=lambda r: r[1], reverse=True)
    best_above: tuple[Any, Any, int] | None = None  # the worst-ranked result with a strictly higher score
    group: list[tuple[Any, Any, int]] = []
    for r in by_score:
        if group and r[1] != group[0][1]:
            worst = max(group, key=lambda g: g[2])
            if best_above is None or worst[2] > best_above[2]:
                best_above = worst
            group = []
        if best_above is not None and r[2] <= best_above[2]:
            return best_above[0], r[0]
        group.append(r)
    return None


def tied_first(firsts: Iterable[tuple[str, str]]) -> list[str]:
    """The names sharing rank 1 across more than one team, or ``[]``: ``firsts`` are ``(name, team)`` of the results
    ranked 1, ``team`` being the team's name, or a key of the contestant's own for an individual.

    The rule (docs/competitions.md): rank 1 is one contestant's, or one team's — its members share it. Equal scores
    at the top are ordered by the event's tie-break (用时, 实操成绩 …) before the results are reviewed, so two
    individuals (or two teams) never both take the first prize and the promotion it brings."""
    rows = list(firsts)
    return [name for name, _team in rows] if len({team for _name, team in rows}) > 1 else []
