package dev.seedloop.stack;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;

/**
 * What a person watching a study wants to see, folded from its events: experiments done against the
 * budget, the best value so far, how often the champion changed, and how it ended. Mutable and
 * single-threaded: it belongs to one watcher.
 */
final class StudyProgress {

    StudyCreated spec;
    int experimentsDone;
    int experimentsFailed;
    int championChanges;
    Double best;
    UUID championProposalId;
    StudyCompleted completed;
    boolean halted;
    final Map<UUID, ProposalCreated> proposals = new HashMap<>();
    final Map<UUID, ExperimentCompleted> outcomes = new HashMap<>();

    void apply(EventEnvelope event) {
        switch (event.payload()) {
            case StudyCreated created -> spec = created;
            case ProposalCreated proposal -> proposals.put(proposal.proposalId(), proposal);
            case ExperimentCompleted done -> {
                if (outcomes.put(done.proposalId(), done) == null) {
                    experimentsDone++;
                }
            }
            case ExperimentFailed failed -> {
                experimentsDone++;
                experimentsFailed++;
            }
            case ChampionChanged champion -> {
                if (!champion.proposalId().equals(championProposalId)) {
                    championChanges++;
                    championProposalId = champion.proposalId();
                    best = champion.value();
                }
            }
            case StudyCompleted end -> completed = end;
            case StudyHalted stop -> halted = true;
            default -> {
                // not shown
            }
        }
    }

    boolean finished() {
        return completed != null || halted;
    }

    String line() {
        int budget = spec == null ? 0 : spec.budget().maxExperiments();
        String metric = spec == null ? "value" : spec.objective().metric();
        return String.format(Locale.ROOT, "experiments %d/%d%s | best %s %s | champion changes %d",
                experimentsDone, budget, experimentsFailed == 0 ? "" : " (" + experimentsFailed + " failed)", metric,
                best == null ? "-" : String.format(Locale.ROOT, "%.4f", best), championChanges);
    }
}
