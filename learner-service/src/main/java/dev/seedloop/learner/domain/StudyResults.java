package dev.seedloop.learner.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;

/**
 * What a study has learnt: its champion ({@code bestValue}, {@code championProposalId}) and their history, the
 * lineage of every proposal (one entry per proposal, kept for the study's life), the top-{@link
 * StudyState#ARCHIVE_SIZE} elite archive and the latest {@link StudyState#OBSERVATIONS_KEPT} observations (all a
 * StrategyUpdated ever shares; the full history is the lineage and the store). A fork starts with its source's
 * evaluated proposals in the lineage (marked {@link Lineage#inheritedFrom}) and the observations.
 *
 * <p>Champions: under AUTO promotion an evaluation with verdict NEW_CHAMPION crowns its proposal at once (the
 * evaluator's ChampionChanged follows and changes nothing). Under MANUAL promotion the same verdict only makes a
 * candidate ({@link StudyGovernance}); the champion changes when ChampionChanged arrives, which the evaluator sends
 * after a PromotionApproved (its causation), so the approver is known.
 */
public record StudyResults(Double bestValue, UUID championProposalId, List<ChampionEntry> championHistory,
                           Map<UUID, Lineage> lineage, List<Elite> archive, List<Observation> observations)
        implements Champions {

    public static final StudyResults EMPTY = new StudyResults(null, null, List.of(), Map.of(), List.of(), List.of());

    public StudyResults {
        championHistory = List.copyOf(championHistory);
        lineage = Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
        archive = List.copyOf(archive);
        observations = List.copyOf(observations);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable working copy: the lineage and the observations grow in place over a replay. */
    static final class Builder implements Champions {
        Double bestValue;
        UUID championProposalId;
        final List<ChampionEntry> championHistory;
        final LinkedHashMap<UUID, Lineage> lineage;
        List<Elite> archive;
        /** The latest {@link StudyState#OBSERVATIONS_KEPT}, oldest first. */
        final ArrayDeque<Observation> observations;

        Builder(StudyResults r) {
            bestValue = r.bestValue;
            championProposalId = r.championProposalId;
            championHistory = new ArrayList<>(r.championHistory);
            lineage = new LinkedHashMap<>(r.lineage);
            archive = r.archive;
            observations = new ArrayDeque<>(r.observations);
        }

        @Override
        public List<ChampionEntry> championHistory() {
            return championHistory;
        }

        StudyResults build() {
            return new StudyResults(bestValue, championProposalId, championHistory, lineage, archive,
                    List.copyOf(observations));
        }

        /**
         * Folds one event the study has not seen (and not a second StudyCreated). {@code spec} is the spec after the
         * event, {@code governance} and {@code requests} as they were before it, {@code sequence} the event's place
         * in the study.
         *
         * @return the champion the event crowned, or null
         */
        ChampionEntry apply(EventEnvelope event, StudySpec spec, StudyGovernance governance, StudyRequests requests,
                            long sequence) {
            switch (event.payload()) {
                case StudyCreated c when c.origin() != null -> inherit(c.origin());
                case ProposalCreated p -> {
                    lineage.putIfAbsent(p.proposalId(), new Lineage(p.proposalId(), p.ordinal(), p.operator(),
                            sharedParents(p.parents()), p.parameters()));
                    // Its evaluation came first (another topic): the proposal is evaluated already.
                    ResolvedOrdinals.Result early = requests.resolvedOrdinals().unplaced().get(p.proposalId());
                    Lineage made = lineage.get(p.proposalId());
                    if (early != null && made.verdict() == null) {
                        lineage.put(p.proposalId(), made.evaluated(early.verdict(), early.value()));
                    }
                }
                case EvaluationCompleted e -> {
                    return onEvaluation(event, e, spec, sequence);
                }
                case ChampionChanged c -> {
                    return crown(new ChampionEntry(c.proposalId(), c.evaluationId(), c.value(), sequence,
                            c.previousProposalId(), event.occurredAt(), governance.evidenceOf(c.evaluationId()),
                            event.causationId(), governance.approverOf(event.causationId())));
                }
                case PromotionApproved a -> nameApprover(event.eventId(), a.by());
                default -> {
                }
            }
            return null;
        }

        void observe(Observation observation) {
            if (observations.size() == StudyState.OBSERVATIONS_KEPT) {
                observations.removeFirst();
            }
            observations.addLast(observation);
        }

        /**
         * A fork knows what its source knew at the fork: the inherited proposals join the lineage (so the fork's
         * own proposals can name them as parents) and the history its strategy is sent.
         */
        private void inherit(StudyOrigin origin) {
            for (StudyOrigin.Proposal p : origin.proposals()) {
                lineage.putIfAbsent(p.proposalId(), Lineage.inherited(p, origin.studyId()));
                observe(p.observation());
            }
        }

        /**
         * The parents as the lineage already holds them: the same ids, but the instances of their own entries, so
         * a study's lineage (kept for its whole life) stores each id once.
         */
        private List<UUID> sharedParents(List<UUID> parents) {
            if (parents.isEmpty()) {
                return parents;
            }
            List<UUID> shared = new ArrayList<>(parents.size());
            for (UUID parent : parents) {
                Lineage known = lineage.get(parent);
                shared.add(known == null ? parent : known.proposalId());
            }
            return shared;
        }

        private ChampionEntry onEvaluation(EventEnvelope event, EvaluationCompleted e, StudySpec spec,
                                           long sequence) {
            boolean invalid = StudyProgress.invalid(e);
            Double observed = invalid ? null : e.summary().mean();
            Lineage made = lineage.get(e.proposalId());
            if (made != null) {
                observe(new Observation(e.proposalId(), made.ordinal(), made.operator(), made.parameters(),
                        observed));
                lineage.put(e.proposalId(), made.evaluated(e.verdict(), observed));
            }
            if (invalid) {
                return null;
            }
            double value = e.summary().mean();
            Lineage origin = lineage.get(e.proposalId());
            archive = admit(archive, new Elite(e.proposalId(), value, origin == null ? null : origin.operator(),
                    sequence), spec.objective() == null ? Direction.MINIMIZE : spec.objective().direction());
            if (e.verdict() != Verdict.NEW_CHAMPION) {
                return null;
            }
            Evidence evidence = Evidence.of(e);
            if (spec.promotion() == PromotionPolicy.MANUAL) {
                // A candidate (StudyGovernance); its evidence joins a ChampionChanged that overtook it.
                attachEvidence(e.evaluationId(), evidence);
                return null;
            }
            // The evaluation arrives before its ChampionChanged; crowning here lets the learner check the target
            // on the evaluation itself.
            return crown(new ChampionEntry(e.proposalId(), e.evaluationId(), value, sequence, championProposalId,
                    event.occurredAt(), evidence, null, null));
        }

        /** Crowns {@code entry}; returns it, or null when its evaluation was crowned already. */
        private ChampionEntry crown(ChampionEntry entry) {
            if (isChampion(entry.evaluationId())) {
                // A ChampionChanged that overtook its evaluation left the evidence out.
                attachEvidence(entry.evaluationId(), entry.evidence());
                return null;
            }
            championProposalId = entry.proposalId();
            bestValue = entry.value();
            championHistory.add(entry);
            return entry;
        }

        private void attachEvidence(UUID evaluationId, Evidence evidence) {
            if (evidence == null) {
                return;
            }
            for (int i = 0; i < championHistory.size(); i++) {
                ChampionEntry c = championHistory.get(i);
                if (c.evaluationId().equals(evaluationId) && c.evidence() == null) {
                    championHistory.set(i, c.withEvidence(evidence));
                }
            }
        }

        /**
         * The approval and the ChampionChanged it caused travel on different topics, so the learner may store the
         * champion first; the approval then names the approver of the champion its event caused.
         */
        private void nameApprover(UUID approvalEventId, String approver) {
            for (int i = 0; i < championHistory.size(); i++) {
                ChampionEntry c = championHistory.get(i);
                if (approvalEventId.equals(c.causationId()) && c.approvedBy() == null) {
                    championHistory.set(i, c.approvedBy(approver));
                }
            }
        }
    }

    /** Top {@link StudyState#ARCHIVE_SIZE} by value; a re-evaluated proposal keeps only its latest value. */
    private static List<Elite> admit(List<Elite> archive, Elite candidate, Direction direction) {
        List<Elite> next = new ArrayList<>(archive.size() + 1);
        for (Elite e : archive) {
            if (!e.proposalId().equals(candidate.proposalId())) {
                next.add(e);
            }
        }
        next.add(candidate);
        Comparator<Elite> byValue = Comparator.comparingDouble(Elite::value);
        if (direction == Direction.MAXIMIZE) {
            byValue = byValue.reversed();
        }
        next.sort(byValue.thenComparingLong(Elite::sequence));
        return next.size() > StudyState.ARCHIVE_SIZE ? next.subList(0, StudyState.ARCHIVE_SIZE) : next;
    }
}
