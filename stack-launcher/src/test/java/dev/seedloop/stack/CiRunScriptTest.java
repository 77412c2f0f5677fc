package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/run} installs what the tests need (a working bubblewrap) or fails; it never goes on to run a suite
 * whose sandbox tests would then be skipped. Run on a copy of the script in a directory whose {@code seedloop}
 * only records that it ran, with a PATH of our own where {@code id}, {@code apt-get} and {@code bwrap} are
 * stand-ins: nothing is installed on this machine.
 */
class CiRunScriptTest {

    @TempDir
    Path checkout;

    private Path bin;

    @BeforeEach
    void copyTheScript() throws IOException {
        Path ci = Files.createDirectories(checkout.resolve(".ci"));
        Files.copy(TestStack.repositoryRoot().resolve(".ci/run"), ci.resolve("run"));
        executable(checkout.resolve("seedloop"), "echo \"ran with CI=${CI:-}\" > \"$(dirname \"$0\")/suite-ran\"");
        bin = Files.createDirectories(checkout.resolve("bin"));
        for (String tool : List.of("bash", "dirname", "cat", "chmod", "true", "grep", "timeout")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
    }

    @Test
    void failsWhenBubblewrapIsMissingAndCannotBeInstalled() throws Exception {
        id(1000);

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("bubblewrap");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void failsWhenTheInstallFails() throws Exception {
        id(0);
        executable(bin.resolve("apt-get"), "exit 100");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void failsWhenBubblewrapIsInstalledButCannotSandbox() throws Exception {
        id(0);
        executable(bin.resolve("bwrap"), "echo 'bwrap: No permissions to create new namespace' >&2; exit 1");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("No permissions to create new namespace");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void installsBubblewrapAndRunsTheSuiteWithSandboxTestsRequired() throws Exception {
        id(0);
        aptGetInstallsStandIns();
        wholeExperimentLimitsWork();
        executable(bin.resolve("kubectl"), "exit 0");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(checkout.resolve("suite-ran")).content().isEqualToIgnoringNewLines("ran with CI=true");
        // The deployment checks' tools were installed before the suite ran.
        assertThat(List.of("docker-registry", "skopeo", "mmdebstrap", "docker-compose", "chromium", "chromedriver"))
                .allSatisfy(tool -> assertThat(bin.resolve(tool)).isExecutable());
    }

    @Test
    void failsWhenChromiumCannotStartHeadless() throws Exception {
        id(0);
        aptGetInstallsStandIns();
        wholeExperimentLimitsWork();
        executable(bin.resolve("kubectl"), "exit 0");
        executable(bin.resolve("chromedriver"), "exit 0");
        executable(bin.resolve("chromium"), "echo 'Missing X server or $DISPLAY' >&2; exit 1");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("does not start headless", "Missing X server");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void failsWhenADeploymentToolCannotBeInstalled() throws Exception {
        id(0);
        executable(bin.resolve("bwrap"), "exit 0");
        wholeExperimentLimitsWork();
        executable(bin.resolve("kubectl"), "exit 0");
        executable(bin.resolve("apt-get"), "[ \"$1\" = install ] && [ \"$4\" = skopeo ] && exit 100; exit 0");
        for (String tool : List.of("docker-registry", "mmdebstrap", "docker-compose")) {
            executable(bin.resolve(tool), "exit 0");
        }

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("could not install skopeo");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void failsWhenKubectlIsMissing() throws Exception {
        id(0);
        aptGetInstallsStandIns();
        wholeExperimentLimitsWork();

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("kubectl is missing");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    /** An apt-get whose install puts a stand-in for each package's command on the PATH (bubblewrap's is bwrap). */
    private void aptGetInstallsStandIns() throws IOException {
        executable(bin.resolve("apt-get"), """
                [ "$1" = install ] || exit 0
                for package in "$@"; do
                  body='exit 0'
                  case "$package" in
                    install|-y|-qq) continue ;;
                    bubblewrap) command=bwrap ;;
                    chromium-driver) command=chromedriver ;;
                    chromium) command=chromium; body='echo "<html><head></head><body></body></html>"' ;;
                    *) command="$package" ;;
                  esac
                  printf '#!/usr/bin/env bash\\n%s\\n' "$body" > "$(dirname "$0")/$command"; chmod +x "$(dirname "$0")/$command"
                done
                """);
    }

    @Test
    void failsWhenCgroupsCannotBeCreated() throws Exception {
        id(0);
        executable(bin.resolve("bwrap"), "exit 0");
        wholeExperimentLimitsWork();
        executable(bin.resolve("mkdir"), "echo \"mkdir: cannot create directory '$1': Read-only file system\" >&2; exit 1");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("whole-experiment limits", "Read-only file system", "cgroup v1");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    @Test
    void failsWhenALoopVolumeCannotBeMounted() throws Exception {
        id(0);
        executable(bin.resolve("bwrap"), "exit 0");
        wholeExperimentLimitsWork();
        executable(bin.resolve("mount"), "echo 'mount: failed to setup loop device' >&2; exit 32");

        Run run = run();

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("failed to setup loop device", "loop devices");
        assertThat(checkout.resolve("suite-ran")).doesNotExist();
    }

    /** Stand-ins for what the cgroup and volume probe runs (and node, npm): all succeed, touching nothing real. */
    private void wholeExperimentLimitsWork() throws IOException {
        for (String tool : List.of("mkdir", "rmdir", "truncate", "mkfs.ext4", "mount", "umount", "rm", "node", "npm")) {
            executable(bin.resolve(tool), "exit 0");
        }
        executable(bin.resolve("mktemp"), "echo \"${TMPDIR:-/tmp}/probe-stand-in\"");
    }

    private record Run(int exit, String output) {
    }

    private Run run() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("bash").toString(), checkout.resolve(".ci/run").toString())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private void id(int uid) throws IOException {
        executable(bin.resolve("id"), "echo " + uid);
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
