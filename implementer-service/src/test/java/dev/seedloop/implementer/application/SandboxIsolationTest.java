package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static dev.seedloop.implementer.application.Fixtures.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * What an experiment can see of the host, against the real bubblewrap: only its own workspace and the
 * runtime its command needs. Every test also proves the thing it looks for exists outside the sandbox, so an
 * empty answer inside is isolation, not a wrong path. The directories are under {@code /var/tmp}, like a data
 * directory: not under {@code /tmp}, which the sandbox's private {@code /tmp} would hide whatever else it binds, and
 * not under {@code target/}, which the sandbox user cannot reach in a clean clone made with {@code mktemp -d}.
 */
class SandboxIsolationTest {

    private Path tmp;
    private BubblewrapExecutor bwrap;
    private Path experiments;

    @BeforeEach
    void setUp() throws Exception {
        bwrap = Fixtures.bubblewrap();
        tmp = Fixtures.searchable(Files.createTempDirectory(Path.of("/var/tmp"), "seedloop-sandbox-tests-"));
        experiments = Fixtures.searchable(Files.createDirectories(tmp.resolve("experiments")));
    }

    @AfterEach
    void tearDown() throws Exception {
        FileTrees.deleteTree(tmp);
    }

    private Path experiment(String name) throws Exception {
        return Fixtures.searchable(Files.createDirectories(experiments.resolve(name)));
    }

    @Test
    void aSiblingExperimentOfTheSameDataDirectoryIsInvisible() throws Exception {
        Path mine = experiment("mine");
        Path sibling = experiment("sibling");
        Path secret = Files.writeString(sibling.resolve("secret.txt"), "the other team's data\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        String script = "cat ../sibling/secret.txt; cat " + secret + "; ls -a " + experiments + "; echo end-of-probe";

        RawRun inside = bwrap.run(sh(mine, script, FAST));
        RawRun outside = new ProcessExecutor().run(sh(mine, script, FAST));

        assertThat(outside.stdoutTail()).as("the sibling is readable without the sandbox").contains("the other team's data");
        assertThat(inside.stdoutTail()).contains("end-of-probe").doesNotContain("the other team's data")
                .doesNotContain("sibling");
        assertThat(inside.logTail()).contains("No such file or directory");
    }

    @Test
    void theHostsSecretsAndHomesAreNotThere() throws Exception {
        Path ws = experiment("probe");
        // The workspace's ancestors exist inside (bwrap makes them to mount it), but only as empty directories:
        // a file beside an ancestor (here in /var/tmp) is not there, nor is the checkout the tests run from.
        Path besideAnAncestor = Files.createTempFile(tmp.getParent(), "seedloop-beside-", ".txt");
        Path checkout = Path.of("pom.xml").toAbsolutePath();
        try {
            assertThat(Path.of("/etc/shadow")).exists();
            assertThat(Path.of("/root")).exists();
            assertThat(Path.of("/var/lib")).exists();
            assertThat(checkout).exists();
            RawRun run = bwrap.run(sh(ws, "for p in /etc/shadow /etc/passwd /root /home /var/lib /var/log /opt /sys "
                    + besideAnAncestor + " " + checkout + "; do test -e $p && echo visible:$p; done; ls /;"
                    + " echo end-of-probe", FAST));

            assertThat(run.exitCode()).isZero();
            assertThat(run.stdoutTail()).contains("end-of-probe").doesNotContain("visible:");
        } finally {
            Files.deleteIfExists(besideAnAncestor);
        }
    }

    @Test
    void theRootIsReadOnlyAndTmpIsPrivate() throws Exception {
        Path ws = experiment("writer");
        RawRun run = bwrap.run(sh(ws, "touch /planted; mkdir /usr/planted; echo x > /tmp/t && echo tmp-ok;"
                + " echo x > out && echo ws-ok", FAST));

        assertThat(run.stdoutTail()).contains("tmp-ok", "ws-ok");
        assertThat(run.logTail()).contains("Read-only file system");
        assertThat(Path.of("/planted")).doesNotExist();
        assertThat(Path.of("/usr/planted")).doesNotExist();
    }

    @Test
    void anInterpreterTheCommandNamesOutsideTheSystemDirectoriesIsBoundReadOnly() throws Exception {
        Path tool = Files.createDirectories(tmp.resolve("opt-tool/bin"));
        Fixtures.searchable(tool.getParent());
        Fixtures.searchable(tool);
        Path greet = Files.writeString(tool.resolve("greet"), "#!/bin/sh\necho hello from $0\ntouch " + tool
                + "/planted || echo tool-read-only\n");
        Files.setPosixFilePermissions(greet, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ws = experiment("uses-tool");

        RawRun run = bwrap.run(new RunRequest(ws, List.of(greet.toString()), Map.of(), FAST));

        assertThat(run.stdoutTail()).contains("hello from " + greet, "tool-read-only");
        assertThat(tool.resolve("planted")).doesNotExist();
    }

    @Test
    void javaAndPythonFromTheSystemRun() throws Exception {
        Path ws = experiment("runtimes");
        // A source file, as the examples run: the launcher compiles it, which loads the JDK's java.security (on
        // Debian a link into /etc/java-N-openjdk).
        Files.writeString(ws.resolve("Hello.java"), "class Hello { public static void main(String[] a) {"
                + " System.out.println(\"compiled \" + java.security.Security.getProviders().length); } }\n");
        RawRun run = bwrap.run(sh(ws, "java -version 2>&1 | head -1; java -Xmx128m Hello.java;"
                + " python3 -c 'print(6*7)'", FAST.withMemoryMiB(1024).withWallTimeout(java.time.Duration.ofSeconds(60))));
        assertThat(run.exitCode()).as(run.logTail()).isZero();
        assertThat(run.stdoutTail()).contains("version", "compiled ", "42");
    }
}
