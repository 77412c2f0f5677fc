package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.SseEvent;
import dev.seedloop.cli.client.SseReader;

class SseReaderTest {

    @Test
    void joinsMultiLineDataWithNewlines() throws IOException {
        assertThat(read("id: 7\nevent: seedloop.study.created\ndata: {\"a\":1,\ndata: \"b\":2}\n\n"))
                .containsExactly(new SseEvent("7", "seedloop.study.created", "{\"a\":1,\n\"b\":2}"));
    }

    @Test
    void skipsCommentsAndUnknownFieldsAndHonoursEveryLineEnding() throws IOException {
        assertThat(read(": keep-alive\r\n\r\nfoo: bar\rid: 1\r\ndata: x\r\rid: 2\ndata:y\n\n"))
                .containsExactly(new SseEvent("1", "message", "x"), new SseEvent("2", "message", "y"));
    }

    @Test
    void theLastIdCarriesOverAndOnlyOneLeadingSpaceIsDropped() throws IOException {
        assertThat(read("id: 5\ndata:  two spaces\n\ndata: next\n\n"))
                .containsExactly(new SseEvent("5", "message", " two spaces"), new SseEvent("5", "message", "next"));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDiscarded() throws IOException {
        assertThat(read("id: 1\ndata: whole\n\nid: 2\ndata: half")).containsExactly(new SseEvent("1", "message", "whole"));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedButItsIdCounts() throws IOException {
        assertThat(read("id: 3\nevent: ping\n\ndata: z\n\n")).containsExactly(new SseEvent("3", "message", "z"));
    }

    @Test
    void readsTheRetryHintAndIgnoresAByteOrderMark() throws IOException {
        SseReader reader = new SseReader(stream("\uFEFFretry: 2500\ndata: a\n\n"));
        assertThat(reader.next()).isEqualTo(new SseEvent(null, "message", "a"));
        assertThat(reader.retryMillis()).isEqualTo(2500L);
    }

    @Test
    void sequencesAreTheNumericIds() {
        assertThat(new SseEvent("42", "x", "").sequence()).isEqualTo(42);
        assertThat(new SseEvent("abc", "x", "").sequence()).isEqualTo(-1);
        assertThat(new SseEvent(null, "x", "").sequence()).isEqualTo(-1);
    }

    private static List<SseEvent> read(String text) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(stream(text))) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(event);
            }
        }
        return events;
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
