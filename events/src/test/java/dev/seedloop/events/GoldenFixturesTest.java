package dev.seedloop.events;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire format is frozen by golden files. Run with {@code -Dseedloop.golden.update=true} to
 * (re)write the current-version fixtures from {@link SampleEvents}; review the diff before committing.
 */
class GoldenFixturesTest {

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.json");
    private final EventCodec codec = new EventCodec();

    @Test
    void updateFixturesWhenAsked() throws IOException {
        if (!Boolean.getBoolean("seedloop.golden.update")) {
            return;
        }
        Path dir = GoldenFixtures.sourceDirectory();
        for (EventEnvelope e : SampleEvents.all()) {
            Path file = dir.resolve(e.type()).resolve("v" + e.version() + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, codec.encodeToString(e) + "\n", StandardCharsets.UTF_8);
        }
    }

    @Test
    void samplesCoverEveryRegisteredType() {
        assertThat(SampleEvents.all()).extracting(EventEnvelope::type)
                .containsExactlyElementsOf(EventTypes.all().stream().map(EventType::name).toList());
    }

    @Test
    void everyRegisteredTypeHasAFixtureForItsCurrentVersion() {
        Path dir = GoldenFixtures.sourceDirectory();
        for (EventType t : EventTypes.all()) {
            assertThat(dir.resolve(t.name()).resolve("v" + t.version() + ".json"))
                    .as("golden fixture for %s v%d", t.name(), t.version())
                    .isRegularFile();
        }
    }

    @Test
    void everyFixtureBelongsToARegisteredTypeAndKnownVersion() throws IOException {
        List<String> orphans = new ArrayList<>();
        for (Path file : fixtureFiles()) {
            String type = file.getParent().getFileName().toString();
            Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
            var registered = EventTypes.forName(type);
            if (registered.isEmpty() || !m.matches() || Integer.parseInt(m.group(1)) > registered.get().version()) {
                orphans.add(GoldenFixtures.sourceDirectory().relativize(file).toString());
            }
        }
        try (Stream<Path> dirs = Files.list(GoldenFixtures.sourceDirectory())) {
            dirs.filter(d -> !Files.isDirectory(d) || EventTypes.forName(d.getFileName().toString()).isEmpty())
                    .forEach(d -> orphans.add(d.getFileName().toString()));
        }
        assertThat(orphans).as("fixtures without a registered type/version").isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureDecodesAndReencodesByteForByte() throws IOException {
        return fixtureFiles().stream().map(file -> DynamicTest.dynamicTest(
                file.getParent().getFileName() + "/" + file.getFileName(), () -> {
                    String type = file.getParent().getFileName().toString();
                    Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                    assertThat(m.matches()).isTrue();
                    int version = Integer.parseInt(m.group(1));
                    String json = GoldenFixtures.stripNewline(Files.readString(file, StandardCharsets.UTF_8));
                    assertThat(json).as("one line, exactly the encoder's output").doesNotContain("\n");

                    EventEnvelope decoded = codec.decode(json);
                    assertThat(decoded.type()).isEqualTo(type);
                    if (version == EventTypes.currentVersion(type)) {
                        assertThat(codec.encodeToString(decoded)).isEqualTo(json);
                        assertThat(decoded).isEqualTo(SampleEvents.forType(type));
                    } else {
                        // Older versions must still be readable; they re-encode at the current version.
                        assertThat(codec.encodeToString(decoded))
                                .contains("\"version\":" + EventTypes.currentVersion(type) + ",");
                    }
                }));
    }

    @Test
    void fixturesAreReadableFromTheClasspath() {
        EventType t = EventTypes.forPayload(ProposalCreated.class);
        assertThat(codec.decode(GoldenFixtures.read(t.name(), t.version()))).isEqualTo(SampleEvents.proposalCreated());
    }

    private static List<Path> fixtureFiles() throws IOException {
        try (Stream<Path> files = Files.walk(GoldenFixtures.sourceDirectory())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
