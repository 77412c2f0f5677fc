package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether an objective metric is better when smaller or larger. JSON: {@code "minimize"}, {@code "maximize"}. */
public enum Direction {
    @JsonProperty("minimize") MINIMIZE,
    @JsonProperty("maximize") MAXIMIZE;

    /** True when {@code candidate} is strictly better than {@code incumbent} in this direction. */
    public boolean isBetter(double candidate, double incumbent) {
        return this == MINIMIZE ? candidate < incumbent : candidate > incumbent;
    }
}
