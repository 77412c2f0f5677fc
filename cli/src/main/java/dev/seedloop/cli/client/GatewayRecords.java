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

    /** {@code forkedFrom}, {@code forkedAt} and {@code inherited} are set for a fork only. */
    public record StudyAccepted(String studyId, String eventId, String name, String team, String strategy, long seed,
                                String specSha256, String forkedFrom, Long forkedAt, Integer inherited) {
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
