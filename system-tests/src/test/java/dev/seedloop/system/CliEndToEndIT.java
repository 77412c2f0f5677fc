package dev.seedloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.cli.CliEnvironment;
import dev.seedloop.cli.SeedloopCli;
import dev.seedloop.cli.client.ExitCode;
import io.restassured.path.json.JsonPath;

/**
 * The {@code seedloop} CLI as a researcher and an approver use it, against the running stack and the real
 * Keycloak: login, create from a YAML file with a relative workspace, watch to completion, list, events,
 * approve; and the exit codes scripts rely on.
 */
class CliEndToEndIT {

    private static RunningStack stack;

    @TempDir
    Path home;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
    }

    private record Result(int exit, String out, String err) {
        JsonPath json() {
            return JsonPath.from(out);
        }
    }

    private Result cli(String user, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("SEEDLOOP_CONFIG_DIR", home.resolve(user).toString());
        env.put("SEEDLOOP_GATEWAY", "http://127.0.0.1:" + stack.port("gateway"));
        CliEnvironment environment = CliEnvironment.system()
                .withOut(new PrintStream(out, true, StandardCharsets.UTF_8))
                .withErr(new PrintStream(err, true, StandardCharsets.UTF_8))
                .withIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .withEnv(env);
        int exit = SeedloopCli.run(environment, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void login(String user) {
        Result login = cli(user, user + "-pw\n", "login", "--user", user, "--password-stdin");
        assertThat(login.exit()).as(login.err()).isZero();
    }

    @Test
    void aResearcherRunsAStudyAndAnApproverPromotesItsCandidate() throws Exception {
        assertThat(cli("alice-researcher", "", "study", "list").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(cli("alice-researcher", "wrong\n", "login", "--user", "alice-researcher", "--password-stdin")
                .exit()).isNotZero();
        login("alice-researcher");
        login("alice-approver");
        login("bob-viewer");

        Path project = Files.createTempDirectory("seedloop-cli-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path workspace = Files.createDirectories(project.resolve("workspace"));
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(workspace.resolve("run.sh"), """
                awk -v x="$SEEDLOOP_PARAM_X" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 }'
                """);
        Files.writeString(project.resolve("study.yaml"), """
                name: cli bowl
                objective: {metric: loss, direction: minimize}
                workspace: workspace
                searchSpace: [{name: x, kind: float, low: 0, high: 3}]
                experiment: {command: [sh, run.sh], repeats: 1, timeoutSeconds: 60}
                budget: {maxExperiments: 3, parallelism: 1}
                strategy: random
                seed: 5
                promotion: manual
                """);

        Result created = cli("alice-researcher", "", "--output", "json", "study", "create", "-f",
                project.resolve("study.yaml").toString());
        assertThat(created.exit()).as(created.err()).isZero();
        String study = created.json().getString("studyId");

        Result watched = cli("alice-researcher", "", "study", "watch", study);
        assertThat(watched.exit()).as(watched.out() + watched.err()).isZero();
        assertThat(watched.out()).contains("3/3");

        Result list = cli("alice-researcher", "", "--output", "json", "study", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.json().getList("items.id")).contains(study);

        Result view = cli("alice-researcher", "", "--output", "json", "study", "get", study);
        assertThat(view.json().getString("status")).isEqualTo("completed");
        String candidate = view.json().getString("pendingApprovals[0].proposalId");
        assertThat(candidate).as("a manual study ends with its candidate waiting").isNotNull();

        assertThat(cli("alice-researcher", "", "approve", study, candidate).exit()).isEqualTo(ExitCode.FORBIDDEN);
        assertThat(cli("bob-viewer", "", "study", "get", study).exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(cli("alice-approver", "", "approve", study, UUID.randomUUID().toString()).exit())
                .isEqualTo(ExitCode.CONFLICT);
        Result approved = cli("alice-approver", "", "approve", study, candidate, "--reason", "checked by hand");
        assertThat(approved.exit()).as(approved.err()).isZero();

        Result events = cli("alice-researcher", "", "--output", "json", "events", study, "--type",
                "seedloop.promotion.approved");
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.out()).contains("checked by hand").contains("alice-approver");

        assertThat(cli("alice-researcher", "", "study", "halt", study).exit()).isEqualTo(ExitCode.CONFLICT);
        assertThat(cli("alice-researcher", "", "logout").exit()).isZero();
        assertThat(cli("alice-researcher", "", "study", "list").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    }
}
