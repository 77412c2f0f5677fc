package dev.seedloop.implementer.application;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FailureReason;
import dev.seedloop.implementer.domain.Tails;

/**
 * The last guard before an outcome is published: an event over the size limit would be refused by the
 * publisher (or Kafka) and fail the channel, so the proposal would neither run nor settle. The metrics
 * protocol and the operator's maximum of repeats keep every outcome far below the limit; should one
 * still be too large (an operator allowing very many repeats), it is reported as a failure that fits.
 */
final class OutcomeSize {

    private OutcomeSize() {
    }

    /** {@code outcome} if it encodes to at most {@code maxBytes}, else an ExperimentFailed under the same id. */
    static EventEnvelope fit(EventCodec codec, EventEnvelope outcome, int maxBytes) {
        int size = codec.encode(outcome).length;
        if (size <= maxBytes) {
            return outcome;
        }
        String tooLarge = "the outcome would be " + size + " bytes, over the " + maxBytes + "-byte event limit";
        EventPayload smaller = switch (outcome.payload()) {
            case ExperimentCompleted completed -> new ExperimentFailed(completed.experimentId(),
                    completed.proposalId(), FailureReason.BAD_METRICS,
                    tooLarge + ": " + completed.repeats().size() + " repeats of "
                            + completed.repeats().getFirst().metrics().size()
                            + " metrics each; report fewer metrics or run fewer repeats",
                    completed.usage(), Tails.lastBytes(completed.logTail(), Tails.LOG_TAIL_BYTES));
            case ExperimentFailed failed -> new ExperimentFailed(failed.experimentId(), failed.proposalId(),
                    failed.reason(), Tails.firstBytes(tooLarge + "; " + failed.detail(), Tails.DETAIL_BYTES),
                    failed.usage(), Tails.lastBytes(failed.logTail(), Tails.LOG_TAIL_BYTES));
            default -> throw new IllegalArgumentException("not an outcome: " + outcome.type());
        };
        return outcome.withPayload(smaller);
    }
}
