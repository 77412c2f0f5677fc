package dev.seedloop.learner.domain;

import java.util.UUID;

/**
 * One entry of the elite archive. {@code sequence} is the study state's event count when the
 * evaluation was applied; it breaks ties so equal values rank in arrival order.
 */
public record Elite(UUID proposalId, double value, String operator, long sequence) {
}
