package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the stack runs: the services the distribution's manifest names, wherever the build put them. Where the
 * implementer's experiments go: somewhere the sandbox's user can reach, or it refuses every run.
 */
class StackLayoutTest {

    private static final List<String> SERVICES = List.of("learner-service", "proposer-service", "implementer-service",
            "evaluator-service", "gateway");

    @TempDir
    Path dir;

    @Test
    void theServicesRunTheJarsTheDistributionsManifestNamesInTheirDirectories() throws Exception {
        Path distribution = dir.resolve("dist");
        StringBuilder manifest = new StringBuilder("## Services\n");
        for (String service : SERVICES) {
            // Not a module's target/: wherever the manifest says.
            Path jar = Files.createDirectories(distribution.resolve("apps/" + service + "-app")).resolve("run.jar");
            Files.writeString(jar, "");
            manifest.append("service.").append(service).append(".jar=apps/").append(service).append("-app/run.jar\n");
        }
        Files.writeString(distribution.resolve(Distribution.MANIFEST), manifest);
        StackLayout layout = new StackLayout(dir.resolve("checkout"), dir.resolve("home"), distribution);

        List<StackLayout.ServiceSpec> services = layout.services();

        assertThat(services).extracting(StackLayout.ServiceSpec::module).containsExactlyElementsOf(SERVICES);
        for (StackLayout.ServiceSpec service : services) {
            Path app = distribution.resolve("apps/" + service.module() + "-app").toAbsolutePath();
            assertThat(service.javaArguments()).endsWith("-jar", app.resolve("run.jar").toString());
            assertThat(service.workingDirectory()).isEqualTo(app);
        }
    }

    @Test
    void withoutAManifestTheStackSaysHowToBuildTheDistribution() {
        StackLayout layout = new StackLayout(dir, dir.resolve("home"), dir.resolve("dist"));

        assertThatThrownBy(layout::services).hasMessageContaining(Distribution.MANIFEST + " is missing")
                .hasMessageContaining("./seedloop up").hasMessageContaining("-pl distribution -am");
    }

    @Test
    void aServiceTheManifestNamesButTheBuildDidNotLeaveIsNamed() throws IOException {
        Path distribution = Files.createDirectories(dir.resolve("dist"));
        StringBuilder manifest = new StringBuilder();
        for (String service : SERVICES) {
            manifest.append("service.").append(service).append(".jar=services/").append(service)
                    .append("/quarkus-run.jar\n");
        }
        Files.writeString(distribution.resolve(Distribution.MANIFEST), manifest);

        assertThatThrownBy(new StackLayout(dir, dir.resolve("home"), distribution)::services)
                .hasMessageContaining("learner-service/quarkus-run.jar").hasMessageContaining("is missing");
    }

    @Test
    void aManifestWithoutAServiceNamesTheMissingEntry() throws IOException {
        Path distribution = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(distribution.resolve(Distribution.MANIFEST), "cli.main=dev.seedloop.cli.SeedloopCli\n");

        assertThatThrownBy(new StackLayout(dir, dir.resolve("home"), distribution)::services)
                .hasMessageContaining("names no service.learner-service.jar");
    }

    @Test
    void aDataDirectoryEveryoneMaySearchIsKept() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(StackLayout.sandboxReachable(open.resolve("data/implementer")))
                .isEqualTo(open.resolve("data/implementer"));
    }

    @Test
    void underAPrivateDirectoryItMovesToTheTempDirectoryUnderANameOfItsOwn() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path other = Files.createDirectory(dir.resolve("other"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));

        Path chosen = StackLayout.sandboxReachable(home.resolve("data/implementer"));

        assertThat(chosen).isNotEqualTo(home.resolve("data/implementer"))
                .startsWithRaw(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
        assertThat(chosen.getFileName().toString()).startsWith("seedloop-implementer-");
        assertThat(StackLayout.sandboxReachable(home.resolve("data/implementer"))).as("stable").isEqualTo(chosen);
        assertThat(StackLayout.sandboxReachable(other.resolve("data/implementer"))).as("per installation")
                .isNotEqualTo(chosen);
    }
}
