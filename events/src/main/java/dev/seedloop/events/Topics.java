package dev.seedloop.events;

import java.util.List;

/**
 * Kafka topic names. Every event of a study is keyed by its study id, so per-study order holds
 * within each topic. {@link #DEAD_LETTERS} carries undecodable or unprocessable records and is
 * not an event topic.
 */
public final class Topics {

    public static final String STUDIES = "seedloop.studies";
    public static final String PROPOSALS = "seedloop.proposals";
    public static final String EXPERIMENTS = "seedloop.experiments";
    public static final String EVALUATIONS = "seedloop.evaluations";
    public static final String STRATEGY = "seedloop.strategy";
    public static final String TEAMS = "seedloop.teams";
    public static final String DEAD_LETTERS = "seedloop.dead-letters";
    /** Read requests from the gateway to the learner's projections, and their replies (not event topics). */
    public static final String QUERIES = "seedloop.queries";
    public static final String QUERY_REPLIES = "seedloop.queries-replies";
    /** Every event in the learner's store order, with its study sequence: the feed of live views. */
    public static final String JOURNAL = "seedloop.journal";
    /**
     * Imported studies, checked by the gateway: each record is a contiguous slice of one study's events (key:
     * study id; value: envelopes as JSON lines). Only the learner reads it, so no stage re-runs an import.
     */
    public static final String IMPORTS = "seedloop.imports";
    /** Kafka header of a {@link #JOURNAL} record: the event's study sequence, in decimal. */
    public static final String JOURNAL_SEQUENCE_HEADER = "seedloop-sequence";

    /** The topics that carry registered event types, in loop order; excludes {@link #DEAD_LETTERS}, the query topics and the journal. */
    public static final List<String> ALL_EVENT_TOPICS = List.of(STUDIES, PROPOSALS, EXPERIMENTS, EVALUATIONS, STRATEGY, TEAMS);

    private Topics() {
    }
}
