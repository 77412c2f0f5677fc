package dev.seedloop.learner.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The learner's own settings ({@code seedloop.learner.*}). */
@ConfigMapping(prefix = "seedloop.learner")
public interface LearnerConfig {

    /** The event store. */
    Store store();

    /** Answering the gateway's queries. */
    Queries queries();

    /** Snapshots of folded study state, where replays start. */
    Snapshots snapshots();

    /** Restoring the store from the Kafka topics (ADR 0012). */
    Restore restore();

    interface Store {
        /**
         * Events fetched per round trip when streaming a study or the whole store: bounds replay
         * memory to one page whatever the stream's length.
         */
        @WithDefault("500")
        int readPageSize();
    }

    interface Queries {
        /**
         * Requests older than this are skipped instead of answered: the query consumer starts from the
         * earliest offset so that requests sent just before it started are answered, but whoever sent
         * an older one has long given up waiting. Keep it above the gateway's reply timeout.
         */
        @WithDefault("30s")
        Duration maxAge();

        /**
         * The most bytes a reply may take as encoded (the whole reply, JSON). A page of events is cut where it would
         * exceed this (at least one event per page); any other answer larger than this, even once compressed, is
         * replaced by a {@code failed} reply naming its size. Keep it well under the broker's {@code
         * message.max.bytes} (1 MiB by default), which refuses larger records outright so that nobody hears of
         * them, and above {@link dev.seedloop.events.EventLimits#MAX_EVENT_BYTES} so that any event fits a page.
         */
        @WithDefault("655360")
        int maxReplyBytes();

        /**
         * Studies whose charts builder is kept after an answer, so that the next answer folds only the events since
         * (a dashboard refreshing a live study). Each holds a few ids and numbers per proposal and evaluation and a
         * reference to each proposal's parameters (some tens of MB for 100 000 experiments); 0 keeps none.
         */
        @WithDefault("4")
        int chartsKept();
    }

    /** Admitting studies against their team's quotas (ADR 0015). */
    Admission admission();

    interface Admission {
        /**
         * How long an admitted study's place is held while its StudyCreated has not been stored: the gateway
         * publishes it right after the admission, so this only bounds what a gateway that crashed in between costs
         * the team. Keep it above the time the learner takes to store a published StudyCreated, or a slow learner
         * lets a place be given twice for that long.
         */
        @WithDefault("60s")
        Duration reservationTtl();
    }

    interface Snapshots {
        /**
         * A study's state is snapshotted at every multiple of this many of its events, so a replay folds at
         * most this many events after loading one. Smaller means faster replays and more storage: a snapshot
         * holds the whole state, about 16 bytes per event so far plus ~60 per proposal. 0 turns snapshots
         * off: nothing is written and every replay folds from the first event.
         */
        @WithDefault("5000")
        int every();

        /**
         * Snapshots waiting to be written beyond which new ones are dropped: recording never waits for a
         * snapshot, and a missing one only means that replays fold from an earlier one.
         */
        @WithDefault("4")
        int maxPending();
    }

    interface Restore {
        /**
         * Whether a learner that finds the event store empty at start-up restores it from the topics before it
         * consumes anything: after the loss of the database, its consumer group resumes at its committed
         * offsets, so what came before them is only in the topics. On a new installation the topics are empty
         * and this costs a metadata lookup. Nothing is decided or published while restoring.
         */
        @WithDefault("true")
        boolean onEmptyStore();

        /**
         * The journal read first to put the study events back with their original study sequences. Point it at
         * a topic that does not exist to restore from the event topics alone (sequences then follow the
         * records' timestamps and may differ from the lost store's).
         */
        @WithDefault("seedloop.journal")
        String journalTopic();
    }
}
