package dev.seedloop.cli.watch;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.cli.client.SseEvent;
import dev.seedloop.cli.client.StudyStream;
import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventDecodingException;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;

/**
 * Follows a study through the gateway's stream until it ends, folding every event into a
 * {@link StudyProgress} and showing it on a {@link WatchDisplay}: the live progress line, plus a line of
 * its own for each new champion, candidate waiting for approval, decision, pause, resume or halt.
 *
 * <p>Either the stream is read from the study's first event so the fold is exact (experiment counts,
 * champion changes, proposal numbers), events up to the sequence the caller already showed folded
 * silently ({@link #watch}); or the progress starts from the study's view and only the events after it are
 * read ({@link #watchAfter}), which a long study needs: its first events can be a million.
 */
public final class StudyWatch {

    /** How a watch ended. */
    public enum Outcome { COMPLETED, HALTED, STOPPED }

    private final StudyStream stream;
    private final WatchDisplay display;
    private final EventCodec codec = new EventCodec();

    public StudyWatch(StudyStream stream, WatchDisplay display) {
        this.stream = stream;
        this.display = display;
    }

    /**
     * @param caughtUpAt the study sequence up to which events only fold silently (the {@code lastSequence}
     *                   of the view the caller printed), 0 to show everything
     * @return {@link Outcome#STOPPED} when the stream was cancelled before the study ended
     */
    public Outcome watch(String studyId, StudyProgress progress, long caughtUpAt) {
        return follow(studyId, progress, 0, caughtUpAt);
    }

    /**
     * Shows {@code progress} at once and follows the events after {@code after} only.
     *
     * @param progress the study as it was at sequence {@code after} (see {@link StudyProgress#resumedFrom});
     *                 the stream starts strictly after it, so nothing the progress holds is folded again
     * @return {@link Outcome#STOPPED} when the stream was cancelled before the study ended
     */
    public Outcome watchAfter(String studyId, StudyProgress progress, long after) {
        summarize(studyId, progress);
        display.show(progress);
        return follow(studyId, progress, after, after);
    }

    private Outcome follow(String studyId, StudyProgress progress, long after, long caughtUpAt) {
        boolean[] live = {caughtUpAt <= after};
        stream.follow(studyId, after, new StudyStream.Listener() {
            @Override
            public boolean onEvent(SseEvent event) {
                EventEnvelope envelope = decode(event);
                Double previousBest = progress.best();
                UUID previousChampion = progress.championProposalId();
                if (envelope == null) {
                    progress.applyUndecodable(event.event());
                } else {
                    progress.apply(envelope);
                }
                if (live[0]) {
                    if (envelope != null) {
                        notice(studyId, envelope, progress, previousChampion, previousBest);
                    }
                } else if (event.sequence() >= caughtUpAt || progress.finished()) {
                    live[0] = true;
                    summarize(studyId, progress);
                }
                if (live[0]) {
                    display.show(progress);
                }
                return !progress.finished();
            }

            @Override
            public void onReconnecting(String why) {
                display.notice("(stream interrupted: " + why + "; reconnecting)");
            }
        });
        display.finish();
        if (!progress.finished()) {
            return Outcome.STOPPED;
        }
        return progress.halted() ? Outcome.HALTED : Outcome.COMPLETED;
    }

    /** Null for an event this client cannot read (a newer version): watching goes on without it. */
    private EventEnvelope decode(SseEvent event) {
        try {
            return codec.decode(event.data());
        } catch (EventDecodingException | IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** What the person has not seen yet when the watch catches up: the champion and open approvals. */
    private void summarize(String studyId, StudyProgress progress) {
        if (progress.championProposalId() != null) {
            display.notice("champion: " + proposal(progress, progress.championProposalId()) + ", "
                    + value(progress, progress.best()));
        }
        for (Map.Entry<UUID, Double> pending : progress.pendingApprovals().entrySet()) {
            display.notice(pendingLine(studyId, progress, pending.getKey(), pending.getValue()));
        }
    }

    private void notice(String studyId, EventEnvelope event, StudyProgress progress, UUID previousChampion,
                        Double previousBest) {
        switch (event.payload()) {
            case ChampionChanged champion when champion.proposalId().equals(previousChampion) -> {
                // The learner crowns on the evaluation, so a view can name a champion whose ChampionChanged
                // is still to come on the stream: that one is not news.
            }
            case ChampionChanged champion -> display.notice("new champion: " + proposal(progress, champion.proposalId())
                    + ", " + value(progress, champion.value())
                    + (previousBest == null ? "" : String.format(Locale.ROOT, " (was %.4f)", previousBest)));
            case PromotionRequested request -> display.notice(
                    pendingLine(studyId, progress, request.proposalId(), request.value()));
            case PromotionApproved approved -> display.notice("candidate " + proposal(progress, approved.proposalId())
                    + " approved by " + approved.by() + reason(approved.reason()));
            case PromotionRejected rejected -> display.notice("candidate " + proposal(progress, rejected.proposalId())
                    + " rejected by " + rejected.by() + reason(rejected.reason()));
            case StudyPaused paused -> display.notice("paused by " + paused.by() + reason(paused.reason()));
            case StudyResumed resumed -> display.notice("resumed by " + resumed.by());
            case StudyHalted halted -> display.notice("halted by " + halted.by() + reason(halted.reason()));
            default -> {
                // the progress line says it
            }
        }
    }

    private static String pendingLine(String studyId, StudyProgress progress, UUID candidate, double value) {
        return "awaiting approval: " + proposal(progress, candidate) + ", " + value(progress, value)
                + "  ->  seedloop approve " + studyId + " " + candidate + "   (or reject ... --reason TEXT)";
    }

    private static String proposal(StudyProgress progress, UUID proposalId) {
        ProposalCreated proposal = progress.proposal(proposalId);
        return proposal == null ? "proposal " + proposalId
                : "proposal #" + proposal.ordinal() + " (" + proposal.operator() + ")";
    }

    private static String value(StudyProgress progress, Double value) {
        return progress.metric() + " " + (value == null ? "-" : String.format(Locale.ROOT, "%.4f", value));
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }
}
