package dev.seedloop.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export file of one study: JSON lines that a person can read and {@code jq} can query, and that an
 * import can check line by line before it accepts anything.
 *
 * <pre>
 * {"seedloopExport":1,"studyId":"…","team":"…","events":N,"exportedAt":"…"}
 * {"sequence":1,"chain":"sha256:…","event":{…envelope…}}
 * …
 * {"end":true,"events":N,"chain":"sha256:…"}
 * </pre>
 *
 * Each line's {@code chain} is the SHA-256 of the previous line's chain and this line's envelope text, so an
 * edited line is found by its number; the trailer proves the file is complete. This detects damage and
 * careless edits, not a forger who recomputes the chain: the file is not signed.
 */
public final class StudyExport {

    public static final int FORMAT = 1;
    private static final String GENESIS = "sha256:0";
    private static final Pattern HEADER = Pattern.compile(
            "\\{\"seedloopExport\":(\\d+),\"studyId\":\"([^\"]+)\",\"team\":\"([^\"]+)\",\"events\":(\\d+),"
                    + "\"exportedAt\":\"([^\"]+)\"}");
    private static final Pattern EVENT = Pattern.compile("\\{\"sequence\":(\\d+),\"chain\":\"(sha256:[0-9a-f]+)\",\"event\":(.*)}");
    private static final Pattern TRAILER = Pattern.compile("\\{\"end\":true,\"events\":(\\d+),\"chain\":\"(sha256:[0-9a-f]+)\"}");

    /** A file refused on import: the 1-based line and why. Nothing of the file is imported then. */
    public static final class Refused extends RuntimeException {
        private final int line;

        public Refused(int line, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
        }

        public int line() {
            return line;
        }

        public String reason() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }

    /** A checked export: the study's events in sequence order, exactly as exported. */
    public record Contents(String studyId, String team, List<EventEnvelope> events) {
    }

    /** Incremental writer: header, then each stored envelope text in sequence order, then the trailer. */
    public static final class Writer {
        private String chain = GENESIS;
        private long written;

        public String header(String studyId, String team, long events, Instant exportedAt) {
            return "{\"seedloopExport\":" + FORMAT + ",\"studyId\":\"" + studyId + "\",\"team\":\"" + team
                    + "\",\"events\":" + events + ",\"exportedAt\":\"" + exportedAt + "\"}";
        }

        /** @param envelopeJson one envelope as compact JSON on one line (as the store and codec hold it) */
        public String event(long sequence, String envelopeJson) {
            if (envelopeJson.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("an envelope must be one line");
            }
            chain = link(chain, envelopeJson);
            written++;
            return "{\"sequence\":" + sequence + ",\"chain\":\"" + chain + "\",\"event\":" + envelopeJson + "}";
        }

        public String trailer() {
            return "{\"end\":true,\"events\":" + written + ",\"chain\":\"" + chain + "\"}";
        }
    }

    private StudyExport() {
    }

    /**
     * Checks a whole export and decodes its events.
     *
     * @throws Refused at the first problem: not an export, a line that is not an event of this study, a gap
     *                 or repeat in the sequence, an altered line, a missing or disagreeing trailer
     */
    public static Contents read(List<String> lines, EventCodec codec) {
        if (lines.isEmpty()) {
            throw new Refused(1, "the file is empty");
        }
        Matcher header = HEADER.matcher(lines.getFirst().strip());
        if (!header.matches()) {
            throw new Refused(1, "not a Seedloop study export (the first line is not its header)");
        }
        if (Integer.parseInt(header.group(1)) != FORMAT) {
            throw new Refused(1, "export format " + header.group(1) + " is not supported (this version reads "
                    + FORMAT + ")");
        }
        String studyId = header.group(2);
        long announced = Long.parseLong(header.group(4));
        List<EventEnvelope> events = new ArrayList<>();
        Set<java.util.UUID> ids = new HashSet<>();
        String chain = GENESIS;
        for (int i = 1; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher trailer = TRAILER.matcher(line);
            if (trailer.matches()) {
                if (Long.parseLong(trailer.group(1)) != events.size() || events.size() != announced) {
                    throw new Refused(lineNumber, "the trailer counts " + trailer.group(1) + " events, the header "
                            + announced + ", the file holds " + events.size());
                }
                if (!trailer.group(2).equals(chain)) {
                    throw new Refused(lineNumber, "the trailer's chain does not match the events (altered file)");
                }
                for (int j = i + 1; j < lines.size(); j++) {
                    if (!lines.get(j).isBlank()) {
                        throw new Refused(j + 1, "content after the export trailer");
                    }
                }
                return new Contents(studyId, header.group(3), List.copyOf(events));
            }
            Matcher event = EVENT.matcher(line);
            if (!event.matches()) {
                throw new Refused(lineNumber, "not an event line of a study export");
            }
            long sequence = Long.parseLong(event.group(1));
            if (sequence != events.size() + 1) {
                throw new Refused(lineNumber, "sequence " + sequence + " where " + (events.size() + 1)
                        + " was expected (lines missing, repeated or reordered)");
            }
            String envelopeJson = event.group(3);
            chain = link(chain, envelopeJson);
            if (!chain.equals(event.group(2))) {
                throw new Refused(lineNumber, "the event does not match its chain hash (altered after export)");
            }
            EventEnvelope envelope;
            try {
                envelope = codec.decode(envelopeJson);
            } catch (EventDecodingException e) {
                throw new Refused(lineNumber, "not a valid event: " + e.getMessage());
            }
            if (!envelope.studyId().equals(studyId)) {
                throw new Refused(lineNumber, "event of study " + envelope.studyId() + " in the export of " + studyId);
            }
            if (!ids.add(envelope.eventId())) {
                throw new Refused(lineNumber, "event " + envelope.eventId() + " appears twice");
            }
            if (events.isEmpty() && !(envelope.payload() instanceof StudyCreated)) {
                throw new Refused(lineNumber, "a study's first event must be its StudyCreated");
            }
            events.add(envelope);
        }
        throw new Refused(lines.size() + 1, "the file ends without its export trailer (truncated?)");
    }

    private static String link(String previous, String envelopeJson) {
        return ContentHash.sha256(previous + "\n" + envelopeJson);
    }
}
