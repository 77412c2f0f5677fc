package dev.seedloop.cli.client;

import java.time.Instant;

/**
 * The gateway's own answer and request bodies ({@code docs/api.md}); the read views are the learner's
 * {@code dev.seedloop.queries.Views}, shared through the events module.
 */
public final class GatewayRecords {

    private GatewayRecords() {
    }

    /** {@code GET /api/v1/auth}: where the CLI logs in. */
    public record AuthInfo(String issuer, String cliClientId, String audience) {
    }

    /**
     * {@code forkedFrom}, {@code forkedAt} and {@code inherited} are set for a fork only; {@code baselineOf} for a
     * study's baseline only (which is recorded as a fork at its first event).
     */
    public record StudyAccepted(String studyId, String eventId, String name, String team, String strategy, long seed,
                                String specSha256, String forkedFrom, Long forkedAt, Integer inherited,
                                String baselineOf) {
    }

    /** Two studies side by side and the verdict for {@code study} against {@code other} (docs/api.md "Baselines"). */
    public record StudyComparison(ComparedStudy study, ComparedStudy other, boolean sameBudget, String verdict,
                                  String explanation) {
    }

    /** One side of a comparison; {@code best}, {@code firstValue} and {@code improvement} null before a champion. */
    public record ComparedStudy(String studyId, String name, String strategy, String status, String metric,
                                String direction, int maxExperiments, int experimentsEvaluated, BestValue best,
                                Double firstValue, Double improvement, long modelCalls, double modelCostUsd) {
    }

    /** A champion's value and its confidence interval (null bounds: none reported). */
    public record BestValue(double value, Double ciLow, Double ciHigh) {
    }

    public record ControlAccepted(String studyId, String action, String eventId, String by, String reason) {
    }

    /** Effective quotas and today's usage of a team. */
    public record TeamQuota(String team, int maxConcurrentStudies, int maxExperimentsPerDay, int activeStudies,
                            int experimentsToday, String setBy, Instant setAt) {
    }

    /** Body of pause/resume/halt/approve/reject. */
    /** {@code trees}: how many trees the file carried (null from a gateway that does not carry trees). */
    public record ImportAccepted(String studyId, String team, int events, String importedBy, Integer trees) {
    }

    public record Reason(String reason) {
    }

    /**
     * {@code POST /api/v1/workspaces}: the uploaded tree's hash, its file count (links included) and the sum of its
     * files' sizes.
     */
    public record WorkspaceStored(String tree, int files, long bytes) {
    }

    /** {@code GET /api/v1/workspaces/{tree}}: the tree's entries. */
    public record WorkspaceListing(String tree, java.util.List<WorkspaceFile> files) {
    }

    /** One entry of a tree; {@code kind}: file, executable or symlink. */
    public record WorkspaceFile(String path, String kind, long size, String blob) {
    }

    /**
     * {@code GET /api/v1/studies/{id}/proposals/{pid}/tree}: the tree a proposal was built on and the tree its
     * experiment produced ({@code tree} is null until the implementer has built it).
     */
    public record ProposalTree(String proposalId, String parentTree, String tree) {
    }

    /** Body of {@code PUT /api/v1/teams/{team}/quota}. */
    public record QuotaUpdate(int maxConcurrentStudies, int maxExperimentsPerDay) {
    }

    /** What a person may do to a study. */
    public enum StudyAction {
        PAUSE, RESUME, HALT;

        public String path() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What an approver may do with a pending champion candidate. */
    public enum Decision {
        APPROVE, REJECT;

        public String path() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
