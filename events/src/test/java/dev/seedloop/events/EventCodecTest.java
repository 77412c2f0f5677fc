package dev.seedloop.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();
    private final String proposal = codec.encodeToString(SampleEvents.proposalCreated());

    private static EventDecodingException decodingError(Runnable r) {
        try {
            r.run();
        } catch (EventDecodingException e) {
            return e;
        }
        throw new AssertionError("expected EventDecodingException");
    }

    @Test
    void envelopeFieldOrderIsFixedAndOutputIsCompact() {
        String json = codec.encodeToString(SampleEvents.studyCreated());
        List<String> keys = List.of("\"eventId\":", "\"type\":", "\"version\":", "\"studyId\":", "\"team\":",
                "\"occurredAt\":", "\"causationId\":", "\"correlationId\":", "\"producer\":", "\"payload\":");
        int last = -1;
        for (String k : keys) {
            int at = json.indexOf(k);
            assertThat(at).as(k).isGreaterThan(last);
            last = at;
        }
        assertThat(json).startsWith("{\"eventId\":\"0193f7a2-4c20-7e11-8f3a-6b1d2c9e0a47\",\"type\":\"seedloop.study.created\",\"version\":5,")
                .contains("\"occurredAt\":\"2026-11-23T12:00:00.123Z\",\"causationId\":null,")
                .contains("\"direction\":\"minimize\"", "\"kind\":\"categorical\",\"low\":null")
                .doesNotContain("\n", " \"");
        assertThat(codec.encode(SampleEvents.studyCreated())).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void enumsUseLowerCaseHyphenatedNames() {
        assertThat(codec.encodeToString(SampleEvents.experimentFailed())).contains("\"reason\":\"bad-metrics\"");
        assertThat(codec.encodeToString(SampleEvents.evaluationCompleted())).contains("\"verdict\":\"new-champion\"");
    }

    @Test
    void roundTripsEverySample() {
        for (EventEnvelope e : SampleEvents.all()) {
            assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void unknownType() {
        EventDecodingException e = decodingError(() -> codec.decode(
                proposal.replace("seedloop.proposal.created", "seedloop.nope")));
        assertThat(e).hasMessage("unknown event type 'seedloop.nope' (version 2)");
        assertThat(e.type()).isNull();
        assertThat(e.field()).isEqualTo("type");
    }

    @Test
    void malformedJson() {
        EventDecodingException e = decodingError(() -> codec.decode("{\"eventId\": nope}"));
        assertThat(e.getMessage()).startsWith("malformed JSON at line 1 column 1");
        assertThat(e.type()).isNull();
        assertThat(decodingError(() -> codec.decode("[1,2]"))).hasMessageContaining("expected an object");
        assertThat(decodingError(() -> codec.decode(""))).hasMessageStartingWith("malformed JSON");
        assertThat(decodingError(() -> codec.decode(proposal + "{}"))).hasMessageStartingWith("malformed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "studyId", "team", "occurredAt", "correlationId", "producer", "payload"})
    void missingEnvelopeFieldIsNamed(String field) {
        String json = proposal.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\{.*\\}\\}$),?", "");
        if (field.equals("payload")) {
            json = json.replaceFirst(",$", "") + "}";
        }
        String broken = json;
        EventDecodingException e = decodingError(() -> codec.decode(broken));
        assertThat(e).hasMessage("seedloop.proposal.created v2: field '" + field + "' is missing");
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.type()).isEqualTo("seedloop.proposal.created");
    }

    @Test
    void missingTypeOrVersion() {
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"type\":\"seedloop.proposal.created\",", ""))))
                .hasMessage("event: field 'type' is missing");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"version\":2,", ""))))
                .hasMessage("seedloop.proposal.created: field 'version' is missing");
    }

    @Test
    void nullCausationIdIsAllowedButNullCorrelationIdIsNot() {
        String noCause = proposal.replaceFirst("\"causationId\":\"[^\"]*\"", "\"causationId\":null");
        assertThat(codec.decode(noCause).causationId()).isNull();
        String absentCause = proposal.replaceFirst("\"causationId\":\"[^\"]*\",", "");
        assertThat(codec.decode(absentCause).causationId()).isNull();
        assertThat(decodingError(() -> codec.decode(proposal.replaceFirst("\"correlationId\":\"[^\"]*\"", "\"correlationId\":null"))))
                .hasMessage("seedloop.proposal.created v2: field 'correlationId' must not be null");
    }

    @Test
    void missingPayloadFieldIsNamedWithItsPath() {
        EventDecodingException e = decodingError(() -> codec.decode(
                proposal.replaceFirst("\"proposalId\":\"[^\"]*\",", "")));
        assertThat(e).hasMessage("seedloop.proposal.created v2: field 'payload.proposalId' is missing");
        assertThat(e.field()).isEqualTo("payload.proposalId");

        // Primitives too: Jackson would otherwise silently default them to 0.
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"ordinal\":7,", ""))))
                .hasMessage("seedloop.proposal.created v2: field 'payload.ordinal' is missing");
    }

    @Test
    void missingNestedPayloadFieldIsNamedWithItsPath() {
        String study = codec.encodeToString(SampleEvents.studyCreated());
        EventDecodingException e = decodingError(() -> codec.decode(study.replace("\"name\":\"batch_size\",", "")));
        assertThat(e).hasMessage("seedloop.study.created v5: field 'payload.searchSpace.parameters[1].name' is missing");
        assertThat(e.field()).isEqualTo("payload.searchSpace.parameters[1].name");
    }

    @Test
    void nullableFieldsMayBeNullOrAbsent() {
        String study = codec.encodeToString(SampleEvents.studyCreated());
        EventEnvelope decoded = codec.decode(study.replace(",\"target\":0.05", ""));
        assertThat(((StudyCreated) decoded.payload()).objective().target()).isNull();
        assertThat(decodingError(() -> codec.decode(study.replace("\"direction\":\"minimize\"", "\"direction\":null"))))
                .hasMessage("seedloop.study.created v5: field 'payload.objective.direction' must not be null");
    }

    @Test
    void wrongFieldType() {
        EventDecodingException e = decodingError(() -> codec.decode(proposal.replace("\"ordinal\":7", "\"ordinal\":\"seven\"")));
        assertThat(e.getMessage()).startsWith("seedloop.proposal.created v2: field 'payload.ordinal' has wrong type");
        assertThat(e.field()).isEqualTo("payload.ordinal");

        // No lenient coercions: a quoted number or a number for a string is a producer bug.
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"ordinal\":7", "\"ordinal\":\"7\""))).field())
                .isEqualTo("payload.ordinal");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"operator\":\"mutate\"", "\"operator\":3"))).field())
                .isEqualTo("payload.operator");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"ordinal\":7", "\"ordinal\":7.5"))).field())
                .isEqualTo("payload.ordinal");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"studyId\":\"" + SampleEvents.STUDY_ID + "\"", "\"studyId\":42"))))
                .hasMessage("seedloop.proposal.created v2: field 'studyId' has wrong type: expected a string");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"version\":2", "\"version\":\"2\""))).field())
                .isEqualTo("version");
    }

    @Test
    void unknownEnumValueAndBadUuidAreErrors() {
        String failed = codec.encodeToString(SampleEvents.experimentFailed());
        assertThat(decodingError(() -> codec.decode(failed.replace("bad-metrics", "BAD_METRICS"))).field())
                .isEqualTo("payload.reason");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"eventId\":\"0193f7a2-5d02", "\"eventId\":\"zz93f7a2-5d02"))))
                .hasMessageStartingWith("seedloop.proposal.created v2: field 'eventId' is not a UUID");
    }

    @Test
    void payloadInvariantViolationIsADecodingError() {
        String bad = proposal.replace("\"warmup\":true", "\"warmup\":{\"nested\":1}");
        EventDecodingException e = decodingError(() -> codec.decode(bad));
        assertThat(e.getMessage()).startsWith("seedloop.proposal.created v2: invalid payload")
                .contains("parameters['warmup']");
    }

    @Test
    void newerVersionThanKnown() {
        EventDecodingException e = decodingError(() -> codec.decode(proposal.replace("\"version\":2", "\"version\":9")));
        assertThat(e).hasMessage("seedloop.proposal.created: version 9 is newer than this reader's 2");
        assertThat(e.type()).isEqualTo("seedloop.proposal.created");
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"version\":2", "\"version\":0"))))
                .hasMessageContaining("must be >= 1");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String extended = proposal.replace("\"ordinal\":7,", "\"ordinal\":7,\"temperature\":0.7,")
                .replace("\"team\":", "\"traceparent\":\"00-abc\",\"team\":");
        assertThat(codec.decode(extended)).isEqualTo(SampleEvents.proposalCreated());
    }

    @Test
    void blankEnvelopeTextIsRejected() {
        assertThat(decodingError(() -> codec.decode(proposal.replace("\"team\":\"optimisation-lab\"", "\"team\":\" \""))))
                .hasMessage("seedloop.proposal.created v2: field 'team' must not be blank");
    }

    @Test
    void badTimestamp() {
        assertThat(decodingError(() -> codec.decode(proposal.replace("2026-11-23T12:00:01.007Z", "2026-11-23 12:00")))
                .field()).isEqualTo("occurredAt");
    }

    @Test
    void parameterNumbersComeBackAsIntegerAndDouble() {
        ProposalCreated p = (ProposalCreated) codec.decode(proposal).payload();
        assertThat(p.parameters()).containsExactly(
                java.util.Map.entry("learning_rate", 0.003), java.util.Map.entry("batch_size", 64),
                java.util.Map.entry("optimizer", "adamw"), java.util.Map.entry("warmup", true));
        assertThat(p.parameters().get("batch_size")).isInstanceOf(Integer.class);
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 200)
                    .mapToObj(i -> pool.submit(() -> {
                        EventEnvelope e = SampleEvents.all().get(i % 13);
                        return codec.decode(codec.encode(e)).equals(e);
                    }))
                    .toList();
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void encodingAnUnregisteredPayloadFails() {
        EventCodec narrow = new EventCodec(List.of(), new EventTypeRegistry(List.of(EventTypes.forPayload(StudyPaused.class))));
        assertThatThrownBy(() -> narrow.encode(SampleEvents.proposalCreated()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ProposalCreated");
    }
}
