package dev.seedloop.proposer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;

/**
 * Replays a finished study's recorded requests (the learner's StrategyUpdated, each with the history the learner sent;
 * in a log from before ADR 0021 also its StudyCreated, on which the proposer made the first batch) through a strategy,
 * and pairs every proposal it makes with the recorded one of the same ordinal. With the study's own strategy this is
 * the regression test of strategy code: the replay must reproduce the recorded proposals exactly. With another strategy
 * or options it is a counterfactual: where would the search have gone, and what would it propose next.
 *
 * <p>Pure: events in, report out. Requests are replayed as recorded, so a counterfactual answers "what would this
 * strategy have proposed given what the loop knew at each request", not a full re-run of the study (its experiments,
 * and so the later history, would have differed).
 */
public final class CounterfactualReplay {

    /** One proposal: what was recorded and what the replayed strategy makes of the same request. */
    public record Decision(int ordinal, UUID requestEventId, String recordedOperator,
                           Map<String, Object> recordedParameters, String replayedOperator,
                           Map<String, Object> replayedParameters) {

        public boolean matches() {
            return recordedParameters != null && recordedParameters.equals(replayedParameters)
                    && recordedOperator.equals(replayedOperator);
        }
    }

    /**
     * {@code firstDivergence} is the lowest ordinal whose proposal differs (null: none). {@code next} is what
     * the replayed strategy would propose after the study's end, from every evaluated proposal.
     */
    public record Report(String studyId, String recordedStrategy, String replayedStrategy,
                         Map<String, String> replayedOptions, List<Decision> decisions, Integer firstDivergence,
                         List<Candidate> next) {

        public long matching() {
            return decisions.stream().filter(Decision::matches).count();
        }
    }

    private CounterfactualReplay() {
    }

    /**
     * @param strategyName the strategy to replay with, or null for the study's own
     * @param options      strategy options replacing the study's, or null to keep them
     * @throws IllegalArgumentException if the events hold no StudyCreated or name an unknown strategy
     */
    public static Report replay(List<EventEnvelope> events, String strategyName, Map<String, String> options) {
        EventEnvelope createdEvent = events.stream().filter(e -> e.payload() instanceof StudyCreated).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the events hold no StudyCreated"));
        StudyCreated recordedStudy = (StudyCreated) createdEvent.payload();
        Strategy strategy = Strategies.byName(strategyName == null ? recordedStudy.strategy() : strategyName);
        Map<String, String> replayedOptions = options == null ? recordedStudy.strategyOptions() : options;
        StudyCreated study = new StudyCreated(recordedStudy.name(), recordedStudy.objective(),
                recordedStudy.searchSpace(), recordedStudy.budget(), strategy.name(), recordedStudy.seed(),
                recordedStudy.specSha256(), recordedStudy.workspace(), recordedStudy.experiment(),
                recordedStudy.validation(), recordedStudy.protectedPaths(), replayedOptions,
                recordedStudy.promotion(), recordedStudy.createdBy(), recordedStudy.origin());

        boolean firstBatchMadeOnCreation = events.stream().anyMatch(e -> createdEvent.eventId().equals(e.causationId())
                && (e.payload() instanceof ProposalCreated || e.payload() instanceof ProposalRejected));
        Map<Integer, ProposalCreated> recorded = new HashMap<>();
        Map<Integer, ProposalCreated> replayed = new TreeMap<>();
        Map<Integer, UUID> requestOf = new HashMap<>();
        Map<UUID, ProposalCreated> proposalsById = new HashMap<>();
        List<Observation> evaluated = new ArrayList<>();
        EventCodec codec = new EventCodec();
        for (EventEnvelope event : events) {
            List<EventEnvelope> made = switch (event.payload()) {
                case StudyCreated created when firstBatchMadeOnCreation -> {
                    StrategyUpdated implied = impliedFirstRequest(study);
                    yield propose(event, study, Proposer.updateInput(study, implied), implied.proposalsRequested(),
                            strategy);
                }
                case StrategyUpdated update when Services.LEARNER.equals(event.producer())
                        && update.proposalsRequested() > 0 -> propose(event, study, Proposer.updateInput(study, update),
                        update.proposalsRequested(), strategy);
                case ProposalCreated proposal -> {
                    recorded.put(proposal.ordinal(), proposal);
                    proposalsById.put(proposal.proposalId(), proposal);
                    yield List.of();
                }
                case EvaluationCompleted evaluation -> {
                    ProposalCreated proposal = proposalsById.get(evaluation.proposalId());
                    if (proposal != null && evaluation.summary() != null) {
                        evaluated.add(new Observation(proposal.proposalId(), proposal.parameters(),
                                evaluation.summary().mean(), proposal.operator()));
                    }
                    yield List.of();
                }
                default -> List.of();
            };
            for (EventEnvelope proposal : made) {
                // Through the codec, so numbers compare as they would have been recorded (e.g. int vs long).
                if (codec.decode(codec.encode(proposal)).payload() instanceof ProposalCreated p) {
                    replayed.putIfAbsent(p.ordinal(), p);
                    requestOf.putIfAbsent(p.ordinal(), event.eventId());
                }
            }
        }

        List<Decision> decisions = new ArrayList<>();
        Integer firstDivergence = null;
        for (var entry : replayed.entrySet()) {
            ProposalCreated mine = entry.getValue();
            ProposalCreated theirs = recorded.get(entry.getKey());
            Decision decision = new Decision(entry.getKey(), requestOf.get(entry.getKey()),
                    theirs == null ? "" : theirs.operator(), theirs == null ? null : theirs.parameters(),
                    mine.operator(), mine.parameters());
            decisions.add(decision);
            if (firstDivergence == null && !decision.matches()) {
                firstDivergence = entry.getKey();
            }
        }
        int nextOrdinal = recorded.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        StrategyInput after = new StrategyInput(study.searchSpace(), study.objective().direction(), study.seed(),
                nextOrdinal, evaluated, Map.of(), replayedOptions);
        List<Candidate> next = strategy.propose(after, study.budget().parallelism());
        return new Report(createdEvent.studyId(), recordedStudy.strategy(), strategy.name(),
                new LinkedHashMap<>(replayedOptions), decisions, firstDivergence, next);
    }

    /**
     * What a study's creation asked for in a log from before ADR 0021, where the proposer made the first batch on
     * StudyCreated by its own rule: the request the learner now sends in its place, which yields the same proposals
     * ({@code FirstBatchRequestTest}): {@code min(parallelism, maxExperiments)} from ordinal 0, the strategies' default
     * weights, a fork's inherited proposals as the history.
     */
    static StrategyUpdated impliedFirstRequest(StudyCreated study) {
        List<dev.seedloop.events.Observation> inherited = study.origin() == null ? List.of()
                : study.origin().proposals().stream().map(StudyOrigin.Proposal::observation).toList();
        return new StrategyUpdated(0, Math.min(study.budget().parallelism(), study.budget().maxExperiments()), Map.of(),
                "first batch, made on StudyCreated (before ADR 0021)", 0, inherited);
    }

    private static List<EventEnvelope> propose(EventEnvelope cause, StudyCreated study, StrategyInput input, int count,
            Strategy strategy) {
        return Proposer.propose(cause, study, input, count, Instant.EPOCH, strategy);
    }
}
