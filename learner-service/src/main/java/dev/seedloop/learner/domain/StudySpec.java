package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.Objective;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StudyCreated;

/**
 * What a study is: named by its first event, fixed by its first StudyCreated (a second one would be a gateway
 * bug and changes nothing). Every field but {@code studyId} is null (or 0) before StudyCreated; {@code promotion} is
 * then treated as AUTO. {@code origin} is set for a fork. {@code strategyOptions} are kept for a study whose
 * strategy is {@code llm} only (what {@link #llmOptions()} reads), empty for the others.
 */
public record StudySpec(String studyId, UUID createdEventId, Objective objective, Budget budget, String strategy,
                        long seed, Instant startedAt, String team, String name, String createdBy,
                        PromotionPolicy promotion, ForkOrigin origin, Map<String, String> strategyOptions,
                        LlmOptions llm) {

    public static final StudySpec EMPTY = new StudySpec(null, null, null, null, null, 0L, null, null, null, null,
            null, null, Map.of(), null);

    /**
     * @param llm ignored: derived from {@code strategy} and {@code strategyOptions}, so a decoded spec and a folded
     *            one cannot disagree (a record component, so the options are parsed once per study, not per request)
     */
    public StudySpec {
        strategyOptions = strategyOptions == null ? Map.of() : Map.copyOf(strategyOptions);
        llm = StrategyNames.LLM.equals(strategy) ? parsed(strategyOptions) : null;
    }

    /** A spec as the snapshot codec and tests build it: the llm options derived. */
    public StudySpec(String studyId, UUID createdEventId, Objective objective, Budget budget, String strategy,
                     long seed, Instant startedAt, String team, String name, String createdBy,
                     PromotionPolicy promotion, ForkOrigin origin, Map<String, String> strategyOptions) {
        this(studyId, createdEventId, objective, budget, strategy, seed, startedAt, team, name, createdBy, promotion,
                origin, strategyOptions, null);
    }

    /** The options of an llm study (null for any other strategy). */
    public LlmOptions llmOptions() {
        return llm;
    }

    /**
     * The gateway refuses options that do not parse, so only a log written around it has them: the learner then
     * goes on with the defaults rather than refuse to fold the study.
     */
    private static LlmOptions parsed(Map<String, String> options) {
        try {
            return LlmOptions.parse(options);
        } catch (IllegalArgumentException unreadable) {
            return LlmOptions.defaults();
        }
    }

    /** Whether StudyCreated was seen. */
    public boolean created() {
        return createdEventId != null;
    }

    /** The spec after {@code event} (one the study has not seen); the same instance when it changes nothing. */
    static StudySpec evolve(StudySpec s, EventEnvelope event) {
        StudySpec named = s.studyId == null ? s.withStudyId(event.studyId()) : s;
        if (event.payload() instanceof StudyCreated c && !s.created()) {
            return new StudySpec(named.studyId, event.eventId(), c.objective(), c.budget(), c.strategy(), c.seed(),
                    event.occurredAt(), event.team(), c.name(), c.createdBy(), c.promotion(),
                    c.origin() == null ? null : ForkOrigin.of(c.origin()),
                    StrategyNames.LLM.equals(c.strategy()) ? c.strategyOptions() : Map.of());
        }
        return named;
    }

    private StudySpec withStudyId(String id) {
        return new StudySpec(id, createdEventId, objective, budget, strategy, seed, startedAt, team, name, createdBy,
                promotion, origin, strategyOptions);
    }
}
