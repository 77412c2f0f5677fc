package dev.seedloop.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exercises the version migration path with a test-only type. {@link EventPayload} is sealed, so
 * a test cannot add a payload record; instead {@code seedloop.test.sample} reuses the
 * {@link StudyPaused} record as its v2 shape. v1 had a single field {@code operator}; v2 renamed
 * it to {@code by} and added {@code reason}.
 */
class UpcastingTest {

    private static final String SAMPLE = "seedloop.test.sample";

    static final Upcaster SAMPLE_V1_TO_V2 = new Upcaster() {
        @Override
        public String type() {
            return SAMPLE;
        }

        @Override
        public int fromVersion() {
            return 1;
        }

        @Override
        public Map<String, Object> upcast(Map<String, Object> payload) {
            payload.put("by", payload.remove("operator"));
            payload.putIfAbsent("reason", "unspecified");
            return payload;
        }
    };

    private static EventTypeRegistry registryWithSampleAt(int version) {
        return new EventTypeRegistry(List.of(new EventType(SAMPLE, version, StudyPaused.class, Topics.STUDIES,
                Services.GATEWAY, List.of(Services.LEARNER))));
    }

    private static String fixture(int version) throws IOException {
        try (InputStream in = UpcastingTest.class.getClassLoader()
                .getResourceAsStream("upcasting/" + SAMPLE + "/v" + version + ".json")) {
            return GoldenFixtures.stripNewline(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void v1FixtureIsUpcastToTheV2Record() throws IOException {
        EventCodec codec = new EventCodec(List.of(SAMPLE_V1_TO_V2), registryWithSampleAt(2));

        EventEnvelope decoded = codec.decode(fixture(1));

        assertThat(decoded.payload()).isEqualTo(new StudyPaused("carol@example.org", "unspecified"));
        assertThat(decoded.studyId()).isEqualTo(SampleEvents.STUDY_ID);
        // Re-encoding writes the current version; stored v1 bytes are never rewritten, only re-read.
        assertThat(codec.encodeToString(decoded)).isEqualTo(fixture(2));
        assertThat(codec.decode(fixture(2))).isEqualTo(decoded);
    }

    @Test
    void missingUpcasterStepIsAClearError() throws IOException {
        EventCodec codec = new EventCodec(List.of(SAMPLE_V1_TO_V2), registryWithSampleAt(3));

        assertThatThrownBy(() -> codec.decode(fixture(1)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("seedloop.test.sample: no upcaster from version 2 to 3 (needed to read version 1)")
                .satisfies(e -> assertThat(((EventDecodingException) e).type()).isEqualTo(SAMPLE));
    }

    @Test
    void withoutAnyUpcasterOldVersionsFail() throws IOException {
        EventCodec codec = new EventCodec(List.of(), registryWithSampleAt(2));

        assertThatThrownBy(() -> codec.decode(fixture(1)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("no upcaster from version 1 to 2");
    }

    @Test
    void upcastResultIsStillValidatedForRequiredFields() throws IOException {
        Upcaster forgetful = new Upcaster() {
            public String type() {
                return SAMPLE;
            }

            public int fromVersion() {
                return 1;
            }

            public Map<String, Object> upcast(Map<String, Object> payload) {
                payload.put("by", payload.remove("operator"));
                return payload;
            }
        };
        EventCodec codec = new EventCodec(List.of(forgetful), registryWithSampleAt(2));

        assertThatThrownBy(() -> codec.decode(fixture(1)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("seedloop.test.sample v1 (upcast to v2): field 'payload.reason' is missing");
    }

    @Test
    void upcasterRegistrationIsChecked() {
        assertThatThrownBy(() -> new EventCodec(List.of(SAMPLE_V1_TO_V2), EventTypes.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unregistered type 'seedloop.test.sample'");
        assertThatThrownBy(() -> new EventCodec(List.of(SAMPLE_V1_TO_V2), registryWithSampleAt(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside [1, 1)");
        assertThatThrownBy(() -> new EventCodec(List.of(SAMPLE_V1_TO_V2, SAMPLE_V1_TO_V2), registryWithSampleAt(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate upcaster");
    }

    @Test
    void productionCodecShipsOneUpcasterPerRetiredVersion() {
        int retiredSteps = EventTypes.all().stream().mapToInt(t -> t.version() - 1).sum();
        assertThat(EventCodec.builtInUpcasters()).hasSize(retiredSteps);
        for (EventType t : EventTypes.all()) {
            for (int v = 1; v < t.version(); v++) {
                int from = v;
                assertThat(EventCodec.builtInUpcasters())
                        .anySatisfy(u -> assertThat(u.type() + " v" + u.fromVersion()).isEqualTo(t.name() + " v" + from));
            }
        }
    }

    @Test
    void studyCreatedV1IsReadAsAnAutomaticallyPromotedStudyWithUnknownCreator() {
        EventEnvelope v1 = new EventCodec().decode(GoldenFixtures.read(EventTypes.STUDY_CREATED, 1));
        StudyCreated study = (StudyCreated) v1.payload();
        assertThat(study.promotion()).isEqualTo(PromotionPolicy.AUTO);
        assertThat(study.createdBy()).isNull();
        assertThat(study.name()).isEqualTo("resnet-lr-sweep");
    }

    @Test
    void studyCreatedV1AndV2AreReadAsStudiesThatAreNotForks() {
        for (int version = 1; version <= 2; version++) {
            StudyCreated study = (StudyCreated) new EventCodec()
                    .decode(GoldenFixtures.read(EventTypes.STUDY_CREATED, version)).payload();
            assertThat(study.origin()).as("v%d origin", version).isNull();
        }
        StudyCreated v2 = (StudyCreated) new EventCodec().decode(GoldenFixtures.read(EventTypes.STUDY_CREATED, 2))
                .payload();
        assertThat(v2.promotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(v2.createdBy()).isEqualTo("alice-researcher");
    }

    @Test
    void experimentFailedV1HaltsAreReadAsHalted() {
        EventCodec codec = new EventCodec();
        String v1 = GoldenFixtures.read(EventTypes.EXPERIMENT_FAILED, 1);
        String halted = v1.replace("\"reason\":\"bad-metrics\"", "\"reason\":\"crashed\"")
                .replace("metrics.json has no key 'val_loss'", "halted: the study was halted while the experiment ran");
        assertThat(((ExperimentFailed) codec.decode(halted).payload()).reason()).isEqualTo(FailureReason.HALTED);
        String crashed = v1.replace("\"reason\":\"bad-metrics\"", "\"reason\":\"crashed\"");
        assertThat(((ExperimentFailed) codec.decode(crashed).payload()).reason()).isEqualTo(FailureReason.CRASHED);
        assertThat(((ExperimentFailed) codec.decode(v1).payload()).reason()).isEqualTo(FailureReason.BAD_METRICS);
    }

    @Test
    void evaluationCompletedV1HeldOutDegradationsAreReadAsSuch() {
        EventCodec codec = new EventCodec();
        String v1 = GoldenFixtures.read(EventTypes.EVALUATION_COMPLETED, 1);
        String degraded = v1.replace("\"verdict\":\"new-champion\"", "\"verdict\":\"invalid\"")
                .replace("mean val_loss 0.0412 beats champion 0.0530 (Welch t-test)",
                        "improvement 0.0118 but held-out degraded: 0.2 vs champion 0.085");
        EvaluationCompleted read = (EvaluationCompleted) codec.decode(degraded).payload();
        assertThat(read.verdict()).isEqualTo(Verdict.HELD_OUT_DEGRADED);
        assertThat(read.verdict().disqualifies()).isTrue();
        // A v1 invalid that failed validation stays invalid, even if its reason quotes the same words.
        String failedValidation = degraded.replace("\"validationPassed\":true", "\"validationPassed\":false");
        assertThat(((EvaluationCompleted) codec.decode(failedValidation).payload()).verdict())
                .isEqualTo(Verdict.INVALID);
        assertThat(((EvaluationCompleted) codec.decode(v1).payload()).verdict()).isEqualTo(Verdict.NEW_CHAMPION);
    }

    @Test
    void theNewReasonAndVerdictHaveStableWireNames() {
        EventCodec codec = new EventCodec();
        EventEnvelope failed = SampleEvents.experimentFailed();
        ExperimentFailed f = (ExperimentFailed) failed.payload();
        EventEnvelope halted = new EventEnvelope(failed.eventId(), failed.studyId(), failed.team(), failed.occurredAt(),
                failed.causationId(), failed.correlationId(), failed.producer(), new ExperimentFailed(f.experimentId(),
                        f.proposalId(), FailureReason.HALTED, "halted: by alice", f.usage(), f.logTail()));
        assertThat(codec.encodeToString(halted)).contains("\"reason\":\"halted\"");
        assertThat(codec.decode(codec.encode(halted))).isEqualTo(halted);

        EventEnvelope evaluated = SampleEvents.evaluationCompleted();
        EvaluationCompleted e = (EvaluationCompleted) evaluated.payload();
        EventEnvelope degraded = new EventEnvelope(evaluated.eventId(), evaluated.studyId(), evaluated.team(),
                evaluated.occurredAt(), evaluated.causationId(), evaluated.correlationId(), evaluated.producer(),
                new EvaluationCompleted(e.evaluationId(), e.experimentId(), e.proposalId(), Verdict.HELD_OUT_DEGRADED,
                        "held-out degraded", e.summary(), null, true, e.evaluatorSha256(), 0.2));
        assertThat(codec.encodeToString(degraded)).contains("\"verdict\":\"held-out-degraded\"");
        assertThat(codec.decode(codec.encode(degraded))).isEqualTo(degraded);
        assertThatThrownBy(() -> new EvaluationCompleted(e.evaluationId(), e.experimentId(), e.proposalId(),
                Verdict.HELD_OUT_DEGRADED, "held-out degraded", e.summary(), null, false, e.evaluatorSha256(), 0.2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
