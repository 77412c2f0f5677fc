package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A human intervention on a study, in the order the gateway's events arrived. {@code reason} is null
 * when the event has none (a resume). {@code eventId} lets a ChampionChanged caused by an approval name
 * its approver, and {@code proposalId} is the candidate of an approval or rejection (null otherwise).
 */
public record Control(ControlAction action, String by, String reason, Instant at, UUID eventId, UUID proposalId) {
}
