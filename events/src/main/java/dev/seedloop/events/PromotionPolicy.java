package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who makes a would-be champion the champion. {@code auto}: the evaluator promotes on its own evidence.
 * {@code manual}: the evaluator asks ({@link PromotionRequested}) and a human approver of the study's team
 * decides ({@link PromotionApproved} / {@link PromotionRejected}).
 */
public enum PromotionPolicy {
    @JsonProperty("auto") AUTO,
    @JsonProperty("manual") MANUAL
}
