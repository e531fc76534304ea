"""Large-neighbourhood search over the SAT model, and time-reversal symmetry breaking.

``NeighbourhoodSearch`` keeps one incremental SAT solver holding the whole B2BSOP model.  From
the current schedule it frees the meetings of a neighbourhood (the participants with breaks and
their partners, or every meeting in a few slots), pins every other meeting to its slot through
assumptions, and asks for fewer breaks among the participants whose agendas can change (a
guarded cardinality constraint switched on by one more assumption).  Each call has a conflict
budget, so a neighbourhood that is too hard is simply abandoned.  The pinned part keeps the
calls small: this is what finds good schedules on the instances where "any schedule" from the
plain solver has tens of breaks and asking for the optimum directly takes minutes.

``reversal_symmetric`` recognises events that look the same when time runs backwards (one day,
every meeting's allowed slots symmetric, no precedences): a schedule and its mirror image have
the same breaks, so one meeting may be confined to the first half of the day.  That halves the
space the refutations ("no schedule with at most K breaks") have to cover.
"""

from __future__ import annotations

import random

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from .compiled import CompiledInstance
from .sat_encoding import BreakEncoding
from .verifier import count_breaks


def reversal_symmetric(compiled: CompiledInstance) -> bool:
    last = compiled.n_slots - 1
    if len(set(compiled.day_of_slot)) != 1 or any(compiled.predecessors):
        return False
    return all(sorted(last - t for t in allowed) == allowed for allowed in compiled.allowed)


def symmetry_clauses(compiled: CompiledInstance, encoding: BreakEncoding) -> list[list[int]]:
    """Unit clauses confining one meeting of the busiest participant to the first half."""
    if compiled.n_meetings == 0 or not reversal_symmetric(compiled):
        return []
    busiest = max(range(compiled.n_participants), key=lambda p: len(compiled.meetings_of[p]))
    meeting = max(compiled.meetings_of[busiest], key=lambda m: len(compiled.allowed[m]))
    last = compiled.n_slots - 1
    return [[-encoding.placement_literals[meeting, t]] for t in compiled.allowed[meeting] if t > last - t]


def breaks_per_participant(encoding: BreakEncoding, model: list[int]) -> list[int]:
    true = {literal for literal in model if literal > 0}
    return [sum(1 for literal in gaps if literal in true) for gaps in encoding.gaps_of]


class NeighbourhoodSearch:
    """LNS state around one incremental solver (see the module docstring)."""

    def __init__(
        self,
        solver: Solver,
        encoding: BreakEncoding,
        compiled: CompiledInstance,
        own_bounds: list[int],
        seed: int = 0,
        patience: int = 20,
    ) -> None:
        self.solver = solver
        self.encoding = encoding
        self.compiled = compiled
        self.own_bounds = own_bounds
        self.random = random.Random(seed)  # noqa: S311 - search diversification, not security  # nosec B311
        self.budget = 2000
        # One small counter per participant, built once: "p has at most k breaks" is then a
        # single assumption literal.
        top = encoding.top
        self.at_least: list[list[int]] = []
        for gaps in encoding.gaps_of:
            if not gaps:
                self.at_least.append([])
                continue
            counter = ITotalizer(lits=gaps, ubound=len(gaps), top_id=top)
            top = counter.top_id
            solver.append_formula(counter.cnf.clauses)
            self.at_least.append(list(counter.rhs))
        self.pool = IDPool(start_from=top + 1)
        self.positions: list[int] = []
        self.breaks: list[int] = []
        self.stale = 0
        """Steps since the last improvement."""
        self.patience = patience

    def adopt(self, model: list[int]) -> int:
        self.positions = self.encoding.decode(model, self.compiled.n_meetings)
        self.breaks = breaks_per_participant(self.encoding, model)
        return sum(self.breaks)

    def start_from(self, positions: list[int], fairness: int | None, budget: int = 1000) -> list[int] | None:
        """A complete schedule close to ``positions`` (a greedy schedule that may leave meetings
        out or break the fairness rule): the meetings of the participants concerned and of their
        partners are freed, every other meeting keeps its slot.  Returns the model, or None."""
        compiled = self.compiled
        counts = [0] * compiled.n_participants
        busy: list[list[int]] = [[] for _ in range(compiled.n_participants)]
        for meeting, position in enumerate(positions):
            for participant in compiled.pairs[meeting]:
                if position >= 0:
                    busy[participant].append(position)
                else:
                    counts[participant] += 1
        day = compiled.day_of_slot
        breaks = [count_breaks(sorted(slots), day) for slots in busy]
        with_meetings = [breaks[p] for p in range(compiled.n_participants) if compiled.meetings_of[p]]
        ceiling = min(with_meetings, default=0) + (fairness if fairness is not None else len(day))
        concerned = {p for p in range(compiled.n_participants) if counts[p] or breaks[p] > ceiling}
        freed = {m for p in concerned for m in compiled.meetings_of[p]}
        for _ in range(2):
            assumptions = [
                self.encoding.placement_literals[m, t]
                for m, t in enumerate(positions)
                if m not in freed and t >= 0
            ]
            self.solver.conf_budget(budget)
            if self.solver.solve_limited(assumptions=assumptions):
                return self.solver.get_model()
            # Too tight: free the meetings of the partners as well.
            partners = {p for m in freed for p in compiled.pairs[m]}
            freed |= {m for p in partners for m in compiled.meetings_of[p]}
        return None

    def _excess(self) -> list[int]:
        return [p for p in range(self.compiled.n_participants) if self.breaks[p] > self.own_bounds[p]]

    def _large_neighbourhood(self) -> set[int]:
        """Meetings of participants with breaks and of their partners, or of a few slots."""
        compiled = self.compiled
        limit = max(8, compiled.n_meetings // 3)
        excess = self._excess()
        freed: set[int] = set()
        if excess and self.random.random() < 0.6:
            self.random.shuffle(excess)
            for participant in excess:
                partners = [participant]
                for meeting in compiled.meetings_of[participant]:
                    partners += compiled.pairs[meeting]
                for other in partners:
                    freed.update(compiled.meetings_of[other])
                if len(freed) >= limit:
                    break
        else:
            start = self.random.randrange(compiled.n_slots)
            width = self.random.randint(2, max(2, min(5, compiled.n_slots // 3)))
            freed = {m for m, t in enumerate(self.positions) if start <= t < start + width}
            if excess:
                freed.update(self.compiled.meetings_of[self.random.choice(excess)])
        if len(freed) > limit:
            freed = set(self.random.sample(sorted(freed), limit))
        return freed

    def _small_neighbourhood(self) -> set[int]:
        """The meetings of one to three participants with breaks."""
        excess = self._excess()
        chosen = self.random.sample(excess, min(len(excess), self.random.randint(1, 3)))
        return {m for p in chosen for m in self.compiled.meetings_of[p]}

    def step(self) -> int | None:
        """One neighbourhood; returns the new total when it improved, else None.

        Alternates two questions: on a large neighbourhood "nobody gets more breaks and somebody
        gets fewer" (only assumptions on the per-participant counters: cheap), and on a small
        one "fewer breaks in total among the participants concerned" (a guarded cardinality
        constraint over their counters), which allows trading one break for two.  After
        ``patience`` steps without improvement, some steps are sideways instead: "no more breaks
        for anybody concerned, and some freed meeting changes slot", a walk
        on the plateau of equally good schedules that moves the search out of neighbourhoods
        that have all been refuted.
        """
        compiled = self.compiled
        sideways = self.stale >= self.patience and self.random.random() < 0.5
        total_mode = not sideways and self.random.random() < 0.5
        freed = self._small_neighbourhood() if total_mode else self._large_neighbourhood()
        touched = sorted({p for m in freed for p in compiled.pairs[m]})
        current = sum(self.breaks[p] for p in touched)
        if not freed or (not sideways and current <= sum(self.own_bounds[p] for p in touched)):
            self.stale += 1
            return None
        guard = self.pool.id(("guard", self.pool.top))
        assumptions = [guard]
        if sideways:
            self.solver.add_clause(
                [-guard, *(-self.encoding.placement_literals[m, self.positions[m]] for m in freed)]
            )
        elif total_mode:
            counts = [lit for p in touched for lit in self.at_least[p][:current]]
            bound = CardEnc.atmost(counts, current - 1, vpool=self.pool, encoding=EncType.seqcounter)
            self.solver.append_formula([[-guard, *clause] for clause in bound.clauses])
        else:
            better = [
                -self.at_least[p][self.breaks[p] - 1] for p in touched if self.breaks[p] > self.own_bounds[p]
            ]
            self.solver.add_clause([-guard, *better])
        if not total_mode:
            assumptions += [
                -self.at_least[p][self.breaks[p]] for p in touched if self.breaks[p] < len(self.at_least[p])
            ]
        assumptions += [
            self.encoding.placement_literals[m, t] for m, t in enumerate(self.positions) if m not in freed
        ]
        self.solver.conf_budget(self.budget)
        outcome = self.solver.solve_limited(assumptions=assumptions)
        model = self.solver.get_model() if outcome else None
        self.solver.add_clause([-guard])
        if not outcome:
            if not sideways:
                self.budget = (
                    min(20000, int(self.budget * 1.3))
                    if outcome is None
                    else max(500, int(self.budget * 0.9))
                )
            self.stale += 1
            return None
        before = sum(self.breaks)
        total = self.adopt(model)
        if total < before:
            self.stale = 0
            return total
        self.stale += 1
        return None
