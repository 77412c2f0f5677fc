package dev.seedloop.cli.watch;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;

/**
 * What a person watching a study wants to see, folded from its events in order: experiments done against
 * the budget, the best value so far, how often the champion changed, candidates waiting for approval, and
 * how it ended. Mutable and single-threaded: it belongs to one watcher.
 */
public final class StudyProgress {

    private StudyCreated spec;
    private int experimentsDone;
    private int experimentsFailed;
    private int championChanges;
    private Double best;
    private UUID championProposalId;
    private StudyCompleted completed;
    private boolean ended;
    private boolean halted;
    private boolean paused;
    private final Map<UUID, ProposalCreated> proposals = new HashMap<>();
    private final Map<UUID, ExperimentCompleted> outcomes = new HashMap<>();
    private final Map<UUID, Double> pendingApprovals = new LinkedHashMap<>();

    public void apply(EventEnvelope event) {
        switch (event.payload()) {
            case StudyCreated created -> spec = created;
            case ProposalCreated proposal -> proposals.put(proposal.proposalId(), proposal);
            case ExperimentCompleted done -> {
                // At-least-once delivery: a repeated completion of the same proposal is one experiment.
                if (outcomes.put(done.proposalId(), done) == null) {
                    experimentsDone++;
                }
            }
            case ExperimentFailed failed -> {
                experimentsDone++;
                experimentsFailed++;
            }
            case ChampionChanged champion -> {
                pendingApprovals.remove(champion.proposalId());
                if (!champion.proposalId().equals(championProposalId)) {
                    championChanges++;
                    championProposalId = champion.proposalId();
                    best = champion.value();
                }
            }
            case PromotionRequested request -> pendingApprovals.put(request.proposalId(), request.value());
            case PromotionApproved approved -> pendingApprovals.remove(approved.proposalId());
            case PromotionRejected rejected -> pendingApprovals.remove(rejected.proposalId());
            case StudyPaused pause -> paused = true;
            case StudyResumed resume -> paused = false;
            case StudyCompleted end -> {
                completed = end;
                ended = true;
            }
            case StudyHalted stop -> {
                halted = true;
                ended = true;
            }
            default -> {
                // not shown
            }
        }
    }

    /**
     * An event whose payload this client cannot decode (a newer version than it knows): only its type is
     * known, which is still enough to notice that the study ended.
     */
    public void applyUndecodable(String type) {
        if (EventTypes.STUDY_COMPLETED.equals(type)) {
            ended = true;
        } else if (EventTypes.STUDY_HALTED.equals(type)) {
            ended = true;
            halted = true;
        }
    }

    public boolean finished() {
        return ended;
    }

    public boolean halted() {
        return halted;
    }

    /** The completion, null while running, when halted, or when its payload could not be decoded. */
    public StudyCompleted completed() {
        return completed;
    }

    /** The study's definition, null until its first event was seen. */
    public StudyCreated spec() {
        return spec;
    }

    public Double best() {
        return best;
    }

    public UUID championProposalId() {
        return championProposalId;
    }

    public ProposalCreated proposal(UUID proposalId) {
        return proposals.get(proposalId);
    }

    public ExperimentCompleted outcome(UUID proposalId) {
        return outcomes.get(proposalId);
    }

    /** Candidate to its metric value, oldest request first. */
    public Map<UUID, Double> pendingApprovals() {
        return Collections.unmodifiableMap(pendingApprovals);
    }

    public String metric() {
        return spec == null ? "value" : spec.objective().metric();
    }

    /** The one-line summary shown live, e.g. {@code experiments 12/32 | best excess_pct 0.4120 | champion changes 3}. */
    public String line() {
        int budget = spec == null ? 0 : spec.budget().maxExperiments();
        return String.format(Locale.ROOT, "experiments %d/%d%s | best %s %s | champion changes %d%s%s",
                experimentsDone, budget, experimentsFailed == 0 ? "" : " (" + experimentsFailed + " failed)", metric(),
                best == null ? "-" : String.format(Locale.ROOT, "%.4f", best), championChanges,
                pendingApprovals.isEmpty() ? "" : " | pending approvals " + pendingApprovals.size(),
                paused && !ended ? " | paused" : "");
    }
}
