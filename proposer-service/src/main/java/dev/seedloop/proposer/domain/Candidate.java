package dev.seedloop.proposer.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.seedloop.events.FilePatch;

/**
 * A proposed point with its lineage.
 *
 * @param ordinal    position within the study, assigned consecutively from the input's nextOrdinal
 * @param parameters one value per search-space parameter, in search-space order: {@code Double}
 *                   for FLOAT, {@code Long} for INT, {@code String} for CATEGORICAL
 * @param operator   the move that produced it: {@code random}, {@code sobol}, {@code mutate},
 *                   {@code crossover} or {@code tpe}; the learner's bandit credits results to it
 * @param parents    the proposals it was derived from: none for random/sobol, one for mutate and
 *                   tpe (the good point whose kernel it was drawn from), two for crossover
 */
public record Candidate(int ordinal, Map<String, Object> parameters, String operator, List<UUID> parents,
                        List<FilePatch> patches) {

    /** A parameter-only candidate. */
    public Candidate(int ordinal, Map<String, Object> parameters, String operator, List<UUID> parents) {
        this(ordinal, parameters, operator, parents, List.of());
    }

    public Candidate {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0 but was " + ordinal);
        }
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(operator, "operator");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        parents = List.copyOf(parents);
        patches = List.copyOf(patches);
    }
}
