package dev.seedloop.events;

/**
 * The artifact a study improves: where its files are ({@code location}: a directory path the
 * implementer can read, later also an archive URI) and the sha-256 of their content at creation, so an
 * experiment can prove which bytes it started from.
 */
public record WorkspaceRef(String location, String sha256) {

    public WorkspaceRef {
        Checks.notBlank(location, "location");
        Checks.notBlank(sha256, "sha256");
    }
}
