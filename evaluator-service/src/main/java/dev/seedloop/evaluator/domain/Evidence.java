package dev.seedloop.evaluator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.RepeatResult;

/**
 * What one experiment offers against the champion: the objective metric per repeat, how many
 * repeats did not report it, the validation outcome and the optional held-out metric value.
 */
public record Evidence(UUID proposalId, List<Double> values, int repeatsMissingMetric, ValidationResult validation,
                       Double heldOut) {

    public Evidence {
        if (proposalId == null || values == null || validation == null) {
            throw new IllegalArgumentException("proposalId, values and validation are required");
        }
        values = List.copyOf(values);
        if (repeatsMissingMetric < 0) {
            throw new IllegalArgumentException("repeatsMissingMetric must be >= 0 but was " + repeatsMissingMetric);
        }
        if (heldOut != null && !Double.isFinite(heldOut)) {
            throw new IllegalArgumentException("heldOut must be finite but was " + heldOut);
        }
    }

    /** Collects {@code metric} from each repeat, counting the repeats that lack it. */
    public static Evidence fromRepeats(UUID proposalId, List<RepeatResult> repeats, String metric,
                                       ValidationResult validation, Double heldOut) {
        List<Double> values = new ArrayList<>();
        int missing = 0;
        for (RepeatResult r : repeats) {
            Double v = r.metrics().get(metric);
            if (v == null) {
                missing++;
            } else {
                values.add(v);
            }
        }
        return new Evidence(proposalId, values, missing, validation, heldOut);
    }
}
