package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two implementers (or two test runs of two checkouts) may share an instance name on one machine; the one starting
 * must clean up only what a dead process left, never the runs of another live one. Against the machine's cgroup v1
 * controllers, as root (the sandbox tests need them anyway).
 */
class ControlGroupsLeftoversTest {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String instance = "seedloop-leftovers-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        started.forEach(Process::destroyForcibly);
        for (Process p : started) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (String controller : List.of("memory", "pids")) {
            Path dir = ROOT.resolve(controller).resolve(instance);
            if (Files.isDirectory(dir)) {
                try (var children = Files.list(dir)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        Files.delete(child);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    @Test
    void aRunOfAnotherLiveProcessSurvivesWhatADeadOneLeftIsRemoved() throws Exception {
        ControlGroups groups = ControlGroups.open(ROOT, instance).available().orElseThrow(
                () -> new AssertionError("cgroup v1 memory and pids controllers must be writable (run as root)"));

        // Another live JVM's run: its group is named after that process, and a process runs in it.
        Process otherJvm = start("sleep", "60");
        Process otherJvmsRun = start("sleep", "60");
        String live = "run-" + otherJvm.pid() + "-1";
        enter(live, otherJvmsRun.pid());
        // What a process that died left: a group named after it, still holding a stray process.
        Process died = start("true");
        assertThat(died.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Process stray = start("sleep", "60");
        String leftover = "run-" + died.pid() + "-1";
        enter(leftover, stray.pid());

        groups.removeLeftovers();

        assertThat(otherJvmsRun.isAlive()).as("the other live process's run keeps running").isTrue();
        assertThat(ROOT.resolve("pids").resolve(instance).resolve(live)).isDirectory();
        assertThat(ROOT.resolve("memory").resolve(instance).resolve(live)).isDirectory();
        assertThat(stray.waitFor(10, TimeUnit.SECONDS)).as("the dead process's stray run is killed").isTrue();
        assertThat(ROOT.resolve("pids").resolve(instance).resolve(leftover)).doesNotExist();
        assertThat(ROOT.resolve("memory").resolve(instance).resolve(leftover)).doesNotExist();
    }

    private Process start(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private void enter(String group, long pid) throws Exception {
        for (String controller : List.of("memory", "pids")) {
            Path dir = Files.createDirectories(ROOT.resolve(controller).resolve(instance).resolve(group));
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.US_ASCII);
        }
    }
}
