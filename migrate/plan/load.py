"""Read and write plan files (`kind: migrate/plan`); every problem names its file, key path and line."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from migrate.checkdigit import lg_code_valid
from migrate.errors import ConfigError
from migrate.i18n import t
from migrate.plan.model import Plan, dependency_key
from migrate.yamlfile import YamlDoc, check_kind, load_yaml, pydantic_error

PLAN_KIND = "migrate/plan"
Keys = tuple[str | int, ...]


@dataclass(frozen=True)
class PlanIssue:
    """One reason a plan is invalid, with the key path that locates it in the file."""

    code: str  # stable kebab-case
    message: str
    keys: Keys = ()
    hint: str | None = None

    def to_error(self, doc: YamlDoc | None) -> ConfigError:
        if doc is None:
            key = ".".join(map(str, self.keys)) or None
            return ConfigError(self.message, key=key, hint=self.hint)
        return doc.error(self.message, self.keys, hint=self.hint)


def lg_code_issues(plan: Plan) -> list[PlanIssue]:
    """The 団体コード's check digit (a plan-level check, cheap: the roll-up runs it on every plan)."""
    issues: list[PlanIssue] = []
    if not lg_code_valid(plan.municipality.lg_code):
        issues.append(
            PlanIssue(
                "lg-code-invalid",
                t(
                    "全国地方公共団体コード {c} の検査数字が正しくありません",
                    "the check digit of 全国地方公共団体コード {c} is wrong",
                    c=plan.municipality.lg_code,
                ),
                ("municipality", "lg_code"),
                t(
                    "6桁目は検査数字です。例: 千代田区 131016",
                    "the 6th digit is a check digit, e.g. 131016",
                ),
            )
        )
    return issues


def deadline_issues(plan: Plan, bi: int) -> list[PlanIssue]:
    """A business's deadline against its start and the national target (needs no milestone)."""
    b = plan.businesses[bi]
    where: Keys = ("businesses", bi)
    issues: list[PlanIssue] = []
    deadline = plan.deadline_of(b)
    start = b.start or plan.start
    if deadline < start:
        issues.append(
            PlanIssue(
                "deadline-before-start",
                t(
                    "{b} の期限 {d} が開始日 {s} より前です",
                    "the deadline {d} of {b} is before its start {s}",
                    b=b.id,
                    d=deadline,
                    s=start,
                ),
                (*where, "deadline") if b.deadline else ("start",),
            )
        )
    if deadline > plan.national_target and not b.deadline_reason:
        issues.append(
            PlanIssue(
                "deadline-reason-missing",
                t(
                    "{b} の期限 {d} は国の目標 {n} より後ですが理由 (deadline_reason) がありません",
                    "the deadline {d} of {b} is after the national target {n} but has no deadline_reason",
                    b=b.id,
                    d=deadline,
                    n=plan.national_target,
                ),
                (*where, "deadline") if b.deadline else ("default_deadline",),
                t(
                    "特定移行支援システムなら special_support: true と理由を書いてください",
                    "for a 特定移行支援システム set special_support: true and give the reason",
                ),
            )
        )
    return issues


def plan_issues(plan: Plan, known_businesses: Collection[str] | None = None) -> list[PlanIssue]:
    """Everything wrong with a structurally valid plan: codes, ids, references, dates, cycles."""
    issues: list[PlanIssue] = lg_code_issues(plan)
    seen_b: set[str] = set()
    milestone_ids: dict[str, set[str]] = {}
    for bi, b in enumerate(plan.businesses):
        where: Keys = ("businesses", bi)
        if b.id in seen_b:
            issues.append(
                PlanIssue(
                    "business-duplicate",
                    t("業務 {b} が重複しています", "duplicate business {b}", b=b.id),
                    (*where, "id"),
                )
            )
        seen_b.add(b.id)
        if known_businesses is not None and b.id not in known_businesses:
            issues.append(
                PlanIssue(
                    "business-unknown",
                    t("業務 {b} は知られていません", "unknown business {b}", b=b.id),
                    (*where, "id"),
                    t("使える業務: {l}", "known businesses: {l}", l=", ".join(known_businesses)),
                )
            )
        ids: set[str] = set()
        steps: set[int] = set()
        for mi, m in enumerate(b.milestones):
            mwhere: Keys = (*where, "milestones", mi)
            if m.id in ids:
                issues.append(
                    PlanIssue(
                        "milestone-duplicate",
                        t(
                            "{b} のマイルストーン {m} が重複しています",
                            "duplicate milestone {m} in {b}",
                            b=b.id,
                            m=m.id,
                        ),
                        (*mwhere, "id"),
                    )
                )
            ids.add(m.id)
            if m.step is not None:
                if m.step in steps:
                    issues.append(
                        PlanIssue(
                            "step-duplicate",
                            t(
                                "{b} の手順 {s} が重複しています",
                                "step {s} appears twice in {b}",
                                b=b.id,
                                s=m.step,
                            ),
                            (*mwhere, "step"),
                        )
                    )
                if m.step > plan.national_steps:
                    issues.append(
                        PlanIssue(
                            "step-out-of-range",
                            t(
                                "手順番号 {s} が手順数 {n} を超えています",
                                "step {s} exceeds the {n} national steps",
                                s=m.step,
                                n=plan.national_steps,
                            ),
                            (*mwhere, "step"),
                        )
                    )
                steps.add(m.step)
            if m.duration is None and (m.planned_start is None or m.planned_finish is None):
                issues.append(
                    PlanIssue(
                        "duration-missing",
                        t("{b}:{m} に期間がありません", "{b}:{m} has no duration", b=b.id, m=m.id),
                        mwhere,
                        t(
                            "duration (営業日) か planned_start と planned_finish を書いてください",
                            "give duration (working days) or planned_start and planned_finish",
                        ),
                    )
                )
            lo, hi, likely = m.optimistic, m.pessimistic, m.duration
            if (
                (lo is not None and hi is not None and lo > hi)
                or (lo is not None and likely is not None and lo > likely)
                or (hi is not None and likely is not None and hi < likely)
            ):
                issues.append(
                    PlanIssue(
                        "estimate-out-of-order",
                        t(
                            "{b}:{m} の見積が optimistic ≤ duration ≤ pessimistic になっていません",
                            "{b}:{m}: the estimate is not optimistic <= duration <= pessimistic",
                            b=b.id,
                            m=m.id,
                        ),
                        (*mwhere, "optimistic" if lo is not None else "pessimistic"),
                    )
                )
            for first, second, code in (
                ("planned_start", "planned_finish", "planned-dates-reversed"),
                ("actual_start", "actual_finish", "actual-dates-reversed"),
            ):
                a, z = getattr(m, first), getattr(m, second)
                if a is not None and z is not None and z < a:
                    issues.append(
                        PlanIssue(
                            code,
                            t("{s} が {f} より前です", "{s} is before {f}", s=second, f=first),
                            (*mwhere, second),
                        )
                    )
        milestone_ids[b.id] = ids
    for bi, b in enumerate(plan.businesses):
        where = ("businesses", bi)
        for mi, m in enumerate(b.milestones):
            for di, ref in enumerate(m.depends_on):
                target_b, _, target_m = dependency_key(b.id, ref).partition(":")
                if target_b not in milestone_ids:
                    msg = t(
                        "依存先の業務 {tb} が計画にありません ({r})",
                        "dependency {r} names business {tb}, which is not in the plan",
                        tb=target_b,
                        r=ref,
                    )
                elif target_m not in milestone_ids[target_b]:
                    msg = t(
                        "依存先 {r} が見つかりません", "unknown dependency {r}", r=dependency_key(b.id, ref)
                    )
                elif target_b == b.id and target_m == m.id:
                    msg = t("{r} が自分自身に依存しています", "{r} depends on itself", r=f"{b.id}:{m.id}")
                else:
                    continue
                issues.append(
                    PlanIssue("dependency-unknown", msg, (*where, "milestones", mi, "depends_on", di))
                )
        refs = b.deadline_milestones or ()
        for ref in refs:
            if ref not in milestone_ids[b.id]:
                issues.append(
                    PlanIssue(
                        "deadline-milestone-unknown",
                        t(
                            "期限の対象 {m} が {b} にありません",
                            "deadline milestone {m} is not in {b}",
                            m=ref,
                            b=b.id,
                        ),
                        (*where, "deadline_milestones"),
                    )
                )
        issues.extend(deadline_issues(plan, bi))
    if not issues:
        issues.extend(_cycle_issues(plan))
    return issues


def _acyclic(plan: Plan) -> bool:
    """Kahn's algorithm on plain dicts: the common case (no cycle) without building a graph."""
    succs: dict[str, list[str]] = {}
    indegree: dict[str, int] = {}
    for b in plan.businesses:
        for m in b.milestones:
            key = f"{b.id}:{m.id}"
            indegree[key] = indegree.get(key, 0) + len(m.depends_on)
            for ref in m.depends_on:
                succs.setdefault(dependency_key(b.id, ref), []).append(key)
    todo = [k for k, n in indegree.items() if n == 0]
    seen = 0
    while todo:
        key = todo.pop()
        seen += 1
        for v in succs.get(key, ()):
            indegree[v] -= 1
            if indegree[v] == 0:
                todo.append(v)
    return seen == len(indegree)


def _cycle_issues(plan: Plan) -> list[PlanIssue]:
    from migrate.plan.graph import build_graph, find_cycle

    if _acyclic(plan):
        return []
    cycle = find_cycle(build_graph(plan))
    if not cycle:
        return []
    # The edge cycle[-1] → cycle[0] closes the loop; locate cycle[0]'s dependency on cycle[-1].
    path = " → ".join([*cycle, cycle[0]])
    first_b, _, first_m = cycle[0].partition(":")
    bi = next(i for i, b in enumerate(plan.businesses) if b.id == first_b)
    business = plan.businesses[bi]
    mi = next(i for i, m in enumerate(business.milestones) if m.id == first_m)
    deps = [dependency_key(first_b, r) for r in business.milestones[mi].depends_on]
    keys: Keys = ("businesses", bi, "milestones", mi, "depends_on", deps.index(cycle[-1]))
    return [
        PlanIssue(
            "dependency-cycle",
            t("依存関係が循環しています: {p}", "the dependencies form a cycle: {p}", p=path),
            keys,
            t("この経路のどれかの depends_on を外してください", "remove one depends_on along this path"),
        )
    ]


def parse_plan(doc: YamlDoc) -> Plan:
    check_kind(doc, PLAN_KIND)
    try:
        return Plan.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


def _json_doc(path: Path) -> YamlDoc | None:
    """A plan written as JSON (a subset of YAML, what tools exporting plans write) read with the
    stdlib JSON parser, ~30× faster than YAML; None when it is not JSON (then it is read as YAML).

    Dates are strings here; the model reads them as dates. The document has no node tree, so a
    problem is located by reading the file again as YAML (line numbers), which only errors pay for.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(1)
            while head in (b" ", b"\n", b"\r", b"\t"):
                head = f.read(1)
            if head != b"{":
                return None
            text = (head + f.read()).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # the YAML reader gives the error (file not found, encoding) with its remedy

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            raise ValueError("duplicate key")
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except ValueError:
        return None  # not JSON after all, or a duplicate key: the YAML reader says where
    return YamlDoc(path, data, None)


def check_plan_file(
    path: str | Path, known_businesses: Collection[str] | None = None
) -> tuple[Plan, list[ConfigError]]:
    """Parse a plan and list every semantic problem (structural ones raise at once)."""
    p = Path(path)
    doc = _json_doc(p) if p.is_file() else None
    if doc is not None:
        try:
            plan = parse_plan(doc)
            issues = plan_issues(plan, known_businesses)
        except ConfigError:
            issues = [PlanIssue("", "")]
        if not issues:
            return plan, []
    doc = load_yaml(path)
    plan = parse_plan(doc)
    return plan, [issue.to_error(doc) for issue in plan_issues(plan, known_businesses)]


def load_plan(path: str | Path, known_businesses: Collection[str] | None = None) -> Plan:
    """Load a valid plan or raise ConfigError (exit 3) naming the first problem's file and line."""
    plan, errors = check_plan_file(path, known_businesses)
    if errors:
        first = errors[0]
        if len(errors) > 1:
            more = t(
                "他 {n} 件: migrate plan check で一覧できます",
                "{n} more: list them with migrate plan check",
                n=len(errors) - 1,
            )
            first.hint = f"{first.hint}; {more}" if first.hint else more
        raise first
    return plan


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain YAML-ready data: empty optional keys dropped, depends_on always written."""
    data = _plain(plan.model_dump(exclude_none=True))
    for b in data["businesses"]:
        for m in b["milestones"]:
            m.setdefault("depends_on", [])
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # a PMO edits the file: no &id001 anchors
        return True


def dump_plan(plan: Plan, header: str | None = None) -> str:
    body = yaml.dump(
        plan_to_data(plan),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=110,
    )
    if header:
        body = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + body
    return body
