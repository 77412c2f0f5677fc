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
                .hasMessage("line 4: the file ends without its export trailer (truncated?)");
        List<String> cutMidLine = new ArrayList<>(lines.subList(0, 3));
        cutMidLine.add(lines.get(3).substring(0, 40));
        assertThatThrownBy(() -> StudyExport.read(cutMidLine, codec))
                .hasMessage("line 4: not an event line of a study export");
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
