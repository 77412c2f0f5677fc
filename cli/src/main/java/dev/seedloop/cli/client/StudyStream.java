package dev.seedloop.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Follows a study's live stream ({@code GET /api/v1/studies/{id}/stream}) across disconnects: when the
 * connection drops or the gateway closes it, it reconnects with {@code Last-Event-ID} (and {@code ?after=},
 * the same sequence) so no event is lost or repeated. Gives up with {@link ExitCode#UNAVAILABLE} once it
 * has failed to reconnect for {@code giveUpAfter}; a 4xx answer (e.g. 404) ends it at once.
 */
public final class StudyStream {

    /** What to do with the events. */
    public interface Listener {

        /** @return false to stop following */
        boolean onEvent(SseEvent event);

        /** The stream broke; a reconnect follows. */
        default void onReconnecting(String why) {
        }
    }

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final GatewayClient gateway;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration giveUpAfter;
    private volatile boolean cancelled;
    private volatile InputStream current;

    public StudyStream(GatewayClient gateway, Clock clock, Sleeper sleeper, Duration giveUpAfter) {
        this.gateway = gateway;
        this.clock = clock;
        this.sleeper = sleeper;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * Delivers every event after sequence {@code after} until the listener returns false or {@link #cancel()}.
     *
     * @return the sequence of the last event delivered ({@code after} if none)
     */
    public long follow(String studyId, long after, Listener listener) {
        long last = after;
        String lastEventId = null;
        Instant failingSince = null;
        int failures = 0;
        Duration serverRetry = null;
        while (!cancelled) {
            try (InputStream in = gateway.openStream(studyId, last, lastEventId)) {
                current = in;
                failingSince = null;
                failures = 0;
                SseReader reader = new SseReader(in);
                SseEvent event;
                while ((event = reader.next()) != null) {
                    if (event.sequence() >= 0) {
                        last = event.sequence();
                        lastEventId = event.id();
                    }
                    if (!listener.onEvent(event)) {
                        return last;
                    }
                }
                serverRetry = reader.retryMillis() == null ? serverRetry : Duration.ofMillis(reader.retryMillis());
                if (!cancelled) {
                    listener.onReconnecting("the gateway closed the stream");
                }
            } catch (IOException | CliException e) {
                if (cancelled) {
                    break;
                }
                if (e instanceof CliException cli && cli.exitCode() != ExitCode.UNAVAILABLE) {
                    throw cli; // 401, 403, 404: reconnecting will not change the answer
                }
                Instant now = clock.instant();
                failingSince = failingSince == null ? now : failingSince;
                if (Duration.between(failingSince, now).compareTo(giveUpAfter) >= 0) {
                    throw new CliException(ExitCode.UNAVAILABLE, "Lost the study's event stream and could not "
                            + "reconnect for " + giveUpAfter.toSeconds() + " s: " + message(e), e);
                }
                failures++;
                listener.onReconnecting(message(e));
            } finally {
                current = null;
            }
            if (cancelled) {
                break;
            }
            pause(backoff(serverRetry, failures));
            if (lastEventId == null && last > 0) {
                lastEventId = Long.toString(last);
            }
        }
        return last;
    }

    /** Stops {@link #follow} from another thread (e.g. a timeout): closes the open connection. */
    public void cancel() {
        cancelled = true;
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    private static Duration backoff(Duration serverRetry, int failures) {
        Duration base = serverRetry == null ? FIRST_RETRY : serverRetry;
        Duration wait = base.multipliedBy(1L << Math.min(failures, 4));
        return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
        }
    }

    private static String message(Exception e) {
        return e instanceof IOException io ? GatewayClient.describe(io) : e.getMessage();
    }
}
