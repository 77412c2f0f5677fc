package dev.seedloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;

/**
 * A study's baseline: a sibling study of the same team with the same objective, search space, workspace, experiment,
 * validation, seed and budget (model caps included), whose strategy is the one evolution must beat: best-of-N
 * sampling from the seed program ({@code llm} with {@code mode: best-of-n}) for an llm study, uniform random search
 * for a parameter study. It is recorded as a fork of the study at its first event that inherits nothing
 * ({@link StudyOrigin} at sequence 1, no proposals), so it starts from exactly where the study started, and its id is
 * derived from the study's, so a study has at most one baseline and anyone holding the study's id finds it. Pure.
 */
public final class Baselines {

    /** The label of an llm study's baseline. */
    public static final String BEST_OF_N = LlmOptions.BEST_OF_N;

    /** Part of every derived id: changing it would lose every existing baseline. */
    private static final String ID_NAMESPACE = "seedloop-baseline:";
    private static final String NAME_SUFFIX = " (baseline)";
    /** The spec schema's bound on a study's name. */
    private static final int MAX_NAME = 100;

    private Baselines() {
    }

    /** The id of study {@code studyId}'s baseline, whether or not it exists yet. */
    public static String idOf(String studyId) {
        return UUID.nameUUIDFromBytes((ID_NAMESPACE + studyId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Whether {@code studyId} is the baseline of {@code sourceId}. */
    public static boolean isBaselineOf(String studyId, String sourceId) {
        return idOf(sourceId).equals(studyId);
    }

    /**
     * How a study proposes, for reading a comparison: the strategy, and for an llm study its mode
     * ({@code llm (evolve)}, {@code llm (best-of-n)}).
     */
    public static String strategyLabel(String strategy, Map<String, String> options) {
        if (!StrategyNames.LLM.equals(strategy)) {
            return strategy;
        }
        try {
            return strategy + " (" + LlmOptions.parse(options).mode() + ")";
        } catch (IllegalArgumentException unreadable) {
            return strategy;
        }
    }

    /**
     * The StudyCreated of {@code source}'s baseline.
     *
     * @param source    the study's first event, as stored
     * @param createdBy who asks for the baseline
     * @throws StudyControl.Conflict when the study is itself a baseline, or already runs the baseline's strategy
     */
    public static EventEnvelope decide(EventEnvelope source, String createdBy, Instant now, UUID eventId) {
        StudyCreated study = (StudyCreated) source.payload();
        String sourceId = source.studyId();
        if (study.origin() != null && isBaselineOf(sourceId, study.origin().studyId())) {
            throw new StudyControl.Conflict("study " + sourceId + " is the baseline of study "
                    + study.origin().studyId() + "; compare them with GET /api/v1/studies/" + study.origin().studyId()
                    + "/comparison?with=" + sourceId);
        }
        String strategy;
        Map<String, String> options;
        if (StrategyNames.LLM.equals(study.strategy())) {
            if (LlmOptions.parse(study.strategyOptions()).bestOfN()) {
                throw new StudyControl.Conflict("study " + sourceId + " already samples best-of-n from its seed"
                        + " program: it is the baseline an evolving llm study is compared with");
            }
            strategy = StrategyNames.LLM;
            options = new LinkedHashMap<>(study.strategyOptions());
            options.put("mode", LlmOptions.BEST_OF_N);
        } else {
            if (StrategyNames.RANDOM.equals(study.strategy())) {
                throw new StudyControl.Conflict("study " + sourceId + " already searches at random: it is the"
                        + " baseline a parameter strategy is compared with");
            }
            strategy = StrategyNames.RANDOM;
            options = Map.of();
        }
        String name = study.name().length() + NAME_SUFFIX.length() <= MAX_NAME ? study.name() + NAME_SUFFIX
                : study.name().substring(0, MAX_NAME - NAME_SUFFIX.length()) + NAME_SUFFIX;
        // No spec was submitted: the hash names what the baseline was derived from and how.
        String specSha256 = ContentHash.sha256(study.specSha256() + "\nbaseline of " + sourceId + ": " + strategy
                + " " + options);
        StudyCreated baseline = new StudyCreated(name, study.objective(), study.searchSpace(), study.budget(), strategy,
                study.seed(), specSha256, study.workspace(), study.experiment(), study.validation(),
                study.protectedPaths(), options, study.promotion(), createdBy,
                new StudyOrigin(sourceId, 1, null, null, List.of(), 0));
        return EventEnvelope.firstOfChain(eventId, idOf(sourceId), source.team(), now, Services.GATEWAY, baseline);
    }
}
