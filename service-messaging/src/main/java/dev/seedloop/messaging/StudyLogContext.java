package dev.seedloop.messaging;

import java.util.function.Supplier;

import org.jboss.logging.MDC;

import io.smallrye.mutiny.Uni;

/**
 * Puts the study a service is handling into the logging MDC as {@value #STUDY_ID}, so that every log line written
 * meanwhile (by the handler, the retries of {@link InboundChannels}, a library) carries it: in the JSON console
 * format it is a field of the line's {@code mdc} object (ADR 0028). Quarkus keeps the MDC in the Vert.x context of
 * the message when there is one, so it follows a Uni from thread to thread; off a Vert.x context it is the thread's.
 */
public final class StudyLogContext {

    /** The MDC key; the same name the events give the field. */
    public static final String STUDY_ID = "studyId";

    private StudyLogContext() {
    }

    /** Runs blocking {@code work} with {@code studyId} in the MDC, restoring what was there before. */
    public static void run(String studyId, Runnable work) {
        Object before = MDC.get(STUDY_ID);
        put(studyId);
        try {
            work.run();
        } finally {
            restore(before);
        }
    }

    /** The Uni of {@code work}, subscribed with {@code studyId} in the MDC until it terminates. */
    public static <T> Uni<T> around(String studyId, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Object before = MDC.get(STUDY_ID);
            put(studyId);
            return work.get().onTermination().invoke(() -> restore(before));
        });
    }

    private static void put(String studyId) {
        if (studyId == null) {
            MDC.remove(STUDY_ID);
        } else {
            MDC.put(STUDY_ID, studyId);
        }
    }

    private static void restore(Object before) {
        if (before == null) {
            MDC.remove(STUDY_ID);
        } else {
            MDC.put(STUDY_ID, before);
        }
    }
}
