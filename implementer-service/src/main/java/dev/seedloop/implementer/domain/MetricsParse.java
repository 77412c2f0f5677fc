package dev.seedloop.implementer.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Result of reading an experiment's metrics: either finite numbers or the reason there are none. */
public sealed interface MetricsParse {

    /** Metrics in the order the experiment reported them; {@code source} is "stdout" or "metrics.json". */
    record Parsed(Map<String, Double> metrics, String source) implements MetricsParse {
        public Parsed {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    /** No usable metrics; {@code problem} is a one-line explanation for the experiment's author. */
    record Invalid(String problem) implements MetricsParse {
    }
}
