package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.FilePatch;

class WorkspaceMaterializerTest {

    @TempDir
    Path tmp;

    private Path base;
    private WorkspaceMaterializer materializer;

    @BeforeEach
    void setUp() throws Exception {
        base = tmp.resolve("base");
        Files.createDirectories(base.resolve("tests"));
        Files.writeString(base.resolve("run.sh"), "echo hi\n");
        Files.writeString(base.resolve("tests/test_x.py"), "assert True\n");
        Files.writeString(base.resolve("tests/test_y.py"), "assert 1\n");
        Files.createSymbolicLink(base.resolve("link"), Path.of("run.sh"));
        materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), List.of("tests/**"));
    }

    private static Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lr-max", 0.5);
        p.put("layers", 3);
        p.put("mode", "fast");
        return p;
    }

    @Test
    void copiesWritesParamsAndHashesDeterministically() throws Exception {
        MaterializedWorkspace a = materializer.materialize(base, "exp-a", params());
        MaterializedWorkspace b = materializer.materialize(base, "exp-b", params());
        assertThat(Files.readString(a.dir().resolve("run.sh"))).isEqualTo("echo hi\n");
        assertThat(Files.isSymbolicLink(a.dir().resolve("link"))).isTrue();
        assertThat(Files.readString(a.dir().resolve("params.json")))
                .isEqualTo("{\"lr-max\":0.5,\"layers\":3,\"mode\":\"fast\"}");
        assertThat(a.paramEnv()).containsExactly(Map.entry("SEEDLOOP_PARAM_LR_MAX", "0.5"),
                Map.entry("SEEDLOOP_PARAM_LAYERS", "3"), Map.entry("SEEDLOOP_PARAM_MODE", "fast"));
        assertThat(a.contentHash()).matches("sha256:[0-9a-f]{64}").isEqualTo(b.contentHash());
        assertThat(a.protectedPaths()).containsExactly("tests/test_x.py", "tests/test_y.py");

        Map<String, Object> other = params();
        other.put("layers", 4);
        assertThat(materializer.materialize(base, "exp-c", other).contentHash()).isNotEqualTo(a.contentHash());
        Files.writeString(a.dir().resolve("new.txt"), "");
        assertThat(WorkspaceMaterializer.contentHash(a.dir())).isNotEqualTo(b.contentHash());
        assertThatThrownBy(() -> materializer.materialize(base, "../evil", params()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesThePatchSetBeforeHashingAndRefusesProtectedPaths() throws Exception {
        MaterializedWorkspace plain = materializer.materialize(base, "exp-plain", params());
        MaterializedWorkspace patched = materializer.materialize(base, "exp-patched", params(),
                List.of(new FilePatch("src/new.sh", "echo new\n"), new FilePatch("run.sh", null)));

        assertThat(Files.readString(patched.dir().resolve("src/new.sh"))).isEqualTo("echo new\n");
        assertThat(patched.dir().resolve("run.sh")).doesNotExist();
        assertThat(patched.contentHash()).isNotEqualTo(plain.contentHash());
        assertThatThrownBy(() -> materializer.materialize(base, "exp-evil", params(),
                List.of(new FilePatch("tests/test_x.py", "assert False\n"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tests/test_x.py");
        assertThat(tmp.resolve("experiments/exp-evil")).doesNotExist();
    }

    @Test
    void detectsProtectedChangesAdditionsAndRemovals() throws Exception {
        MaterializedWorkspace ws = materializer.materialize(base, "exp", params());
        assertThat(materializer.protectedViolations(ws)).isEmpty();
        Files.writeString(ws.dir().resolve("run.sh"), "changed is fine\n");
        assertThat(materializer.protectedViolations(ws)).isEmpty();
        Files.writeString(ws.dir().resolve("tests/test_x.py"), "assert False\n");
        Files.delete(ws.dir().resolve("tests/test_y.py"));
        Files.writeString(ws.dir().resolve("tests/test_z.py"), "");
        assertThat(materializer.protectedViolations(ws))
                .containsExactly("tests/test_x.py", "tests/test_y.py", "tests/test_z.py");
    }

    @Test
    void replacesADirectoryAnEarlierInterruptedRunOfTheSameExperimentLeft() throws Exception {
        Path stale = tmp.resolve("experiments/exp-crashed");
        Files.createDirectories(stale.resolve("deep/er"));
        Files.writeString(stale.resolve("run.sh"), "echo stale\n");
        Files.writeString(stale.resolve("deep/er/partial.bin"), "half");
        Files.createSymbolicLink(stale.resolve("escape"), tmp.resolve("base"));
        stale.resolve("deep").toFile().setWritable(false);

        MaterializedWorkspace ws = materializer.materialize(base, "exp-crashed", params());

        assertThat(ws.dir()).isEqualTo(stale);
        assertThat(Files.readString(ws.dir().resolve("run.sh"))).isEqualTo("echo hi\n");
        assertThat(ws.dir().resolve("deep")).doesNotExist();
        assertThat(ws.dir().resolve("escape")).doesNotExist();
        assertThat(base.resolve("run.sh")).as("the stale link was removed, not followed").exists();
        assertThat(ws.contentHash()).isEqualTo(materializer.materialize(base, "exp-fresh", params()).contentHash());
    }
}
