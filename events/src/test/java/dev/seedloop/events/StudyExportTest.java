package dev.seedloop.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StudyExportTest {

    private final EventCodec codec = new EventCodec();
    private final String study = SampleEvents.newStudyId();

    private List<EventEnvelope> events() {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(SampleEvents.studyCreated(study));
        events.addAll(SampleEvents.proposals(study, 3));
        return events;
    }

    private List<String> export(List<EventEnvelope> events) {
        StudyExport.Writer writer = new StudyExport.Writer();
        List<String> lines = new ArrayList<>();
        lines.add(writer.header(study, SampleEvents.TEAM, events.size(), Instant.parse("2026-11-28T12:00:00Z")));
        for (int i = 0; i < events.size(); i++) {
            lines.add(writer.event(i + 1, codec.encodeToString(events.get(i))));
        }
        lines.add(writer.trailer());
        return lines;
    }

    @Test
    void anExportReadsBackToTheSameEventsInOrder() {
        StudyExport.Contents contents = StudyExport.read(export(events()), codec);
        assertThat(contents.studyId()).isEqualTo(study);
        assertThat(contents.team()).isEqualTo(SampleEvents.TEAM);
        assertThat(contents.events()).isEqualTo(events());
    }

    @Test
    void aTruncatedFileIsRefusedAtItsEnd() {
        List<String> lines = export(events());
        List<String> truncated = lines.subList(0, 3);
        assertThatThrownBy(() -> StudyExport.read(truncated, codec)).isInstanceOf(StudyExport.Refused.class)
                .hasMessage("line 4: the file ends without its export trailer: it is incomplete, cut off after line 3"
                        + " (2 of 4 events); export the study again");
        List<String> cutMidLine = new ArrayList<>(lines.subList(0, 3));
        cutMidLine.add(lines.get(3).substring(0, 40));
        assertThatThrownBy(() -> StudyExport.read(cutMidLine, codec))
                .hasMessage("line 4: the file ends without its export trailer: it is incomplete, cut off at line 4;"
                        + " export the study again");
        // The same bad line with the trailer after it is damage, not a cut.
        List<String> damaged = new ArrayList<>(cutMidLine);
        damaged.add(lines.get(4));
        damaged.add(lines.getLast());
        assertThatThrownBy(() -> StudyExport.read(damaged, codec))
                .hasMessage("line 4: not an event line of a study export");
    }

    @Test
    void aStreamCutMidLineIsCalledIncompleteNotAltered() {
        List<String> lines = export(events());
        String third = lines.get(3);
        // Cut just after a nested object closes: the line still looks like an event line, only its chain fails.
        List<String> cutAtABrace = new ArrayList<>(lines.subList(0, 3));
        cutAtABrace.add(third.substring(0, third.indexOf('}') + 1));
        // What the gateway used to send when a later page failed: the cut line with a problem spliced onto it.
        List<String> problemSpliced = new ArrayList<>(lines.subList(0, 3));
        problemSpliced.add(third.substring(0, 60) + "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"the learner did not answer in time; retry shortly\"}");
        for (List<String> cut : List.of(cutAtABrace, problemSpliced)) {
            StudyExport.Refused refused = (StudyExport.Refused) org.assertj.core.api.Assertions.catchThrowable(
                    () -> StudyExport.read(cut, codec));
            assertThat(refused.line()).isEqualTo(4);
            assertThat(refused.reason()).startsWith("the file ends without its export trailer: it is incomplete")
                    .doesNotContain("altered");
        }
    }

    @Test
    void anImportCarriesItsStudysHistoryOnlyNeverTeamGovernance() {
        List<EventEnvelope> withQuota = new ArrayList<>(events());
        EventEnvelope quota = SampleEvents.teamQuotaSet();
        // Dressed as an event of the study itself, so the check of the study id does not catch it.
        withQuota.add(2, new EventEnvelope(quota.eventId(), study, quota.team(), quota.occurredAt(), null,
                quota.correlationId(), quota.producer(), quota.payload()));
        StudyExport.Refused refused = (StudyExport.Refused) org.assertj.core.api.Assertions.catchThrowable(
                () -> StudyExport.read(export(withQuota), codec));
        assertThat(refused.line()).isEqualTo(4);
        assertThat(refused.reason()).contains("seedloop.team.quota-set").contains("history");

        List<EventEnvelope> twoBeginnings = new ArrayList<>(events());
        EventEnvelope created = SampleEvents.studyCreated(study);
        twoBeginnings.add(new EventEnvelope(java.util.UUID.randomUUID(), study, created.team(), created.occurredAt(),
                null, created.correlationId(), created.producer(), created.payload()));
        assertThatThrownBy(() -> StudyExport.read(export(twoBeginnings), codec))
                .hasMessageStartingWith("line 6: ").hasMessageContaining("StudyCreated");
    }

    @Test
    void aFileOfATeamsOwnStreamIsNoStudyExport() {
        String teamStream = TeamStreams.streamId(SampleEvents.TEAM);
        StudyExport.Writer writer = new StudyExport.Writer();
        List<String> lines = List.of(
                writer.header(teamStream, SampleEvents.TEAM, 1, Instant.parse("2026-11-28T12:00:00Z")),
                writer.event(1, codec.encodeToString(SampleEvents.teamQuotaSet())), writer.trailer());
        assertThatThrownBy(() -> StudyExport.read(lines, codec)).isInstanceOf(StudyExport.Refused.class)
                .hasMessageStartingWith("line 1: ");
    }

    @Test
    void anAlteredEventIsRefusedWithItsLine() {
        List<String> lines = new ArrayList<>(export(events()));
        lines.set(3, lines.get(3).replace("\"ordinal\":1", "\"ordinal\":9"));
        StudyExport.Refused refused = (StudyExport.Refused) org.assertj.core.api.Assertions.catchThrowable(
                () -> StudyExport.read(lines, codec));
        assertThat(refused.line()).isEqualTo(4);
        assertThat(refused.reason()).isEqualTo("the event does not match its chain hash (altered after export)");
    }

    @Test
    void missingRepeatedOrForeignLinesAreRefused() {
        List<String> lines = export(events());
        List<String> gap = new ArrayList<>(lines);
        gap.remove(2);
        assertThatThrownBy(() -> StudyExport.read(gap, codec))
                .hasMessage("line 3: sequence 3 where 2 was expected (lines missing, repeated or reordered)");
        List<String> extra = new ArrayList<>(lines);
        extra.add("{\"sequence\":5}");
        assertThatThrownBy(() -> StudyExport.read(extra, codec)).hasMessage("line 7: content after the export trailer");
        assertThatThrownBy(() -> StudyExport.read(List.of("{\"hello\":1}"), codec))
                .hasMessage("line 1: not a Seedloop study export (the first line is not its header)");
        List<String> wrongCount = new ArrayList<>(lines);
        wrongCount.set(0, lines.getFirst().replace("\"events\":4", "\"events\":5"));
        assertThatThrownBy(() -> StudyExport.read(wrongCount, codec))
                .hasMessage("line 6: the trailer counts 4 events, the header 5, the file holds 4");
    }
}
