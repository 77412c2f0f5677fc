package dev.seedloop.gateway.domain;

/**
 * A study spec (or what it would publish) is too large to accept as a whole, whatever its fields say: the
 * StudyCreated it makes must stay well within the event size limit ({@code EventLimits.MAX_EVENT_BYTES}), leaving
 * room for what a fork inherits. Answered 413.
 */
public class SpecTooLarge extends RuntimeException {

    /** The most bytes of spec accepted: as sent, and as JSON once parsed (what the event carries). */
    public static final int MAX_SPEC_BYTES = 64 * 1024;

    public SpecTooLarge(String detail) {
        super(detail);
    }
}
