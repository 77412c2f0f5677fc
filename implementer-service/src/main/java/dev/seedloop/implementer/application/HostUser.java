package dev.seedloop.implementer.application;

/** Who this JVM runs as on the host, which decides how the sandbox is entered and which limits can be had. */
final class HostUser {

    private HostUser() {
    }

    /** Root ignores RLIMIT_NPROC, may write cgroups and mount volumes, and hands workspaces to the sandbox's uid. */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
