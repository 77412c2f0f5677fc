package dev.seedloop.messaging;

/**
 * A failure that says of itself that it will pass: a view that could not catch up with its topics in time, a
 * dependency that is restarting. {@link InboundChannels} retries records failing with it (anywhere in the cause
 * chain) for as long as the channel's transient policy allows, never dead-letters them early.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
