package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;

/**
 * A study driven through the learner as the proposer, implementer and evaluator would drive one, one ordinal at a
 * time (parallelism 1): model calls, then the proposal, its experiment and its evaluation. Every event and every
 * decision is kept in {@link #log}, in the order the learner stored them, so tests can replay it.
 */
final class LlmStudy {

    static final Instant NOW = Events.T0.plusSeconds(60);

    final Events ev = new Events();
    final LearnerFixture fixture = new LearnerFixture();
    final List<EventEnvelope> log = new ArrayList<>();
    /** What the learner said after the latest event. */
    List<EventEnvelope> said = List.of();
    /**
     * Whether {@link #ordinal} answers its calls from the record: replayed, billing nothing, but stating the recorded
     * call's price.
     */
    boolean fromTheRecord;

    static LlmStudy of(String strategy, Map<String, String> options, ModelBudget cap, int maxExperiments) {
        LlmStudy s = new LlmStudy();
        Budget budget = new Budget(maxExperiments, 3600, 1);
        StudyCreated created = new StudyCreated("code", new Objective("loss", Direction.MINIMIZE, null),
                new SearchSpace(List.of(Parameter.floating("x", 0.0, 1.0, false))),
                cap == null ? budget : budget.withModel(cap), strategy, 7, Events.SHA, null, null, null, List.of(),
                options);
        s.send(s.ev.envelope(Services.GATEWAY, created));
        return s;
    }

    /** An llm study (as {@link #llm}, no cap) that is a fork from {@code origin}. */
    static LlmStudy forkOf(StudyOrigin origin) {
        LlmStudy s = new LlmStudy();
        StudyCreated created = new StudyCreated("code fork", new Objective("loss", Direction.MINIMIZE, null),
                new SearchSpace(List.of(Parameter.floating("x", 0.0, 1.0, false))), new Budget(100, 3600, 1),
                StrategyNames.LLM, 7, Events.SHA, null, null, null, List.of(), Map.of()).forkedFrom(origin);
        s.send(s.ev.envelope(Services.GATEWAY, created));
        return s;
    }

    static LlmStudy llm(Map<String, String> options, ModelBudget cap) {
        return of(StrategyNames.LLM, options, cap, 100);
    }

    static UUID proposal(int ordinal) {
        return Events.proposal(ordinal);
    }

    static String tree(int ordinal) {
        return ContentHash.sha256("tree " + ordinal);
    }

    /** Folds one event, decides about it and folds the decisions back, as the recorder does. */
    List<EventEnvelope> send(EventEnvelope e) {
        log.add(e);
        said = fixture.apply(e, NOW);
        for (EventEnvelope decided : said) {
            log.add(decided);
            fixture.apply(decided, NOW);
        }
        return said;
    }

    List<EventEnvelope> call(int ordinal, String operator, long tokensIn, long tokensOut, double cost,
                             boolean replayed, String failure) {
        UUID call = EventIds.derived(proposal(ordinal), "call-" + log.size());
        return send(ev.envelope(Services.PROPOSER, new ModelCallCompleted(call, proposal(ordinal), ordinal, "small",
                "default", operator, ContentHash.sha256("prompt " + ordinal), 100,
                failure == null ? ContentHash.sha256("answer " + ordinal) : null, failure == null ? 50 : 0,
                tokensIn, tokensOut, 12, replayed ? 0.0 : cost, 1, replayed, failure)));
    }

    /** One ordinal from its call to its evaluation: value null fails its experiment with {@code failure}. */
    List<EventEnvelope> ordinal(int ordinal, String operator, double cost, List<UUID> parents, Double value,
                                String logTail) {
        if (fromTheRecord) {
            UUID call = EventIds.derived(proposal(ordinal), "call-" + log.size());
            send(ev.envelope(Services.PROPOSER, new ModelCallCompleted(call, proposal(ordinal), ordinal, "small",
                    "default", operator, ContentHash.sha256("prompt " + ordinal), 100,
                    ContentHash.sha256("answer " + ordinal), 50, 1000, 200, 0, cost, 0, true, null)));
        } else {
            call(ordinal, operator, 1000, 200, cost, false, null);
        }
        send(ev.envelope(Services.PROPOSER, new ProposalCreated(proposal(ordinal), ordinal, StrategyNames.LLM,
                operator, Map.of(), parents)));
        UUID experiment = Events.experiment(proposal(ordinal));
        send(ev.envelope(Services.IMPLEMENTER, new ExperimentStarted(experiment, proposal(ordinal), "local",
                Events.SHA, 1, null, tree(ordinal))));
        if (value == null) {
            send(ev.envelope(Services.IMPLEMENTER, new ExperimentFailed(experiment, proposal(ordinal),
                    FailureReason.BUILD_FAILED, "no such symbol", ResourceUsage.NONE, logTail)));
        } else {
            send(ev.envelope(Services.IMPLEMENTER, new ExperimentCompleted(experiment, proposal(ordinal),
                    List.of(new RepeatResult(1, Map.of("loss", value), 10, 0)), ResourceUsage.NONE, logTail, null,
                    null, tree(ordinal))));
        }
        MetricSummary summary = value == null ? null : new MetricSummary("loss", 1, value, 0, value, value);
        return send(ev.envelope(Services.EVALUATOR, new EvaluationCompleted(Events.evaluation(proposal(ordinal)),
                experiment, proposal(ordinal), value == null ? Verdict.INVALID : Verdict.NOT_BETTER, "judged",
                summary, null, value != null, Events.SHA)));
    }

    StudyState study() {
        return fixture.study;
    }
}
