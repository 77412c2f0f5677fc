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
 * careless edits, not a forger who recomputes the chain: the file is not signed. Because anyone can write such a
 * file, what it may carry is limited to what an import can safely take: the history of one study (its own stream,
 * beginning with its one StudyCreated), never a team's governance ({@link TeamQuotaSet}) or another stream's event.
 * A file without its trailer is incomplete (a stream that broke off), and is refused as such.
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
        /** A line that is not what it should be: damage, or where a cut file breaks off. */
        private final boolean damage;

        public Refused(int line, String reason) {
            this(line, reason, false);
        }

        private Refused(int line, String reason, boolean damage) {
            super("line " + line + ": " + reason);
            this.line = line;
            this.damage = damage;
        }

        static Refused damage(int line, String reason) {
            return new Refused(line, reason, true);
        }

        boolean isDamage() {
            return damage;
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
     *                 or repeat in the sequence, an altered line, an event that is not study history, a missing or
     *                 disagreeing trailer. A file that breaks off (no trailer after its first bad line) is refused
     *                 as incomplete at that line, not as altered: that is what a cut stream looks like.
     */
    public static Contents read(List<String> lines, EventCodec codec) {
        Reader reader = new Reader(codec);
        List<EventEnvelope> events = new ArrayList<>();
        for (String line : lines) {
            EventEnvelope event = reader.next(line);
            if (event != null) {
                events.add(event);
            }
        }
        reader.finish();
        return new Contents(reader.studyId(), reader.team(), List.copyOf(events));
    }

    /**
     * Checks an export line by line, so a file can be checked while it arrives and without holding its events: feed
     * every line to {@link #next}, then call {@link #finish}. Each refusal names the 1-based line.
     */
    public static final class Reader {
        private final EventCodec codec;
        private final Set<java.util.UUID> ids = new HashSet<>();
        private int lineNumber;
        private String studyId;
        private String team;
        private long announced;
        private String chain = GENESIS;
        private long events;
        private boolean ended;
        /** The first bad line: final once a trailer follows it, a sign of a cut file when none does. */
        private Refused broken;

        public Reader(EventCodec codec) {
            this.codec = codec;
        }

        /**
         * @param line one line of the file, without its line break
         * @return the event the line holds, or null for the header, the trailer, a blank line, or any line after
         *         the file broke off (whose refusal {@link #finish} or a later trailer reports)
         * @throws Refused at the first problem that cannot be a cut (see {@link StudyExport#read})
         */
        public EventEnvelope next(String line) {
            lineNumber++;
            String text = line.strip();
            if (lineNumber == 1) {
                header(text);
                return null;
            }
            if (text.isEmpty()) {
                return null;
            }
            if (ended) {
                throw new Refused(lineNumber, "content after the export trailer");
            }
            Matcher trailer = TRAILER.matcher(text);
            if (trailer.matches()) {
                if (broken != null) {
                    // The file goes on to a trailer, so the bad line was not where a stream was cut.
                    throw broken;
                }
                trailer(trailer);
                return null;
            }
            if (broken != null) {
                return null;
            }
            try {
                return event(text);
            } catch (Refused damage) {
                if (damage.isDamage()) {
                    broken = damage;
                    return null;
                }
                throw damage;
            }
        }

        /** @throws Refused when the file ended without its trailer (or was empty) */
        public void finish() {
            if (lineNumber == 0) {
                throw new Refused(1, "the file is empty");
            }
            if (broken != null) {
                // Not the damage itself: a line cut mid-way reads as "altered", which blames the wrong thing.
                throw new Refused(broken.line(), "the file ends without its export trailer: it is incomplete, cut off"
                        + " at line " + broken.line() + "; export the study again");
            }
            if (!ended) {
                throw new Refused(lineNumber + 1, "the file ends without its export trailer: it is incomplete, cut"
                        + " off after line " + lineNumber + " (" + events + " of " + announced
                        + " events); export the study again");
            }
        }

        /** The study the header names (null before the first line). */
        public String studyId() {
            return studyId;
        }

        /** The team the header names (null before the first line). */
        public String team() {
            return team;
        }

        /** Events checked so far. */
        public long events() {
            return events;
        }

        private void header(String text) {
            Matcher header = HEADER.matcher(text);
            if (!header.matches()) {
                throw new Refused(1, "not a Seedloop study export (the first line is not its header)");
            }
            if (Integer.parseInt(header.group(1)) != FORMAT) {
                throw new Refused(1, "export format " + header.group(1) + " is not supported (this version reads "
                        + FORMAT + ")");
            }
            if (TeamStreams.isTeamStream(header.group(2))) {
                throw new Refused(1, header.group(2) + " is a team's own stream, not a study: only a study's history"
                        + " can be exported and imported");
            }
            studyId = header.group(2);
            team = header.group(3);
            announced = Long.parseLong(header.group(4));
        }

        private void trailer(Matcher trailer) {
            if (Long.parseLong(trailer.group(1)) != events || events != announced) {
                throw new Refused(lineNumber, "the trailer counts " + trailer.group(1) + " events, the header "
                        + announced + ", the file holds " + events);
            }
            if (!trailer.group(2).equals(chain)) {
                throw new Refused(lineNumber, "the trailer's chain does not match the events (altered file)");
            }
            ended = true;
        }

        private EventEnvelope event(String text) {
            Matcher event = EVENT.matcher(text);
            if (!event.matches()) {
                throw Refused.damage(lineNumber, "not an event line of a study export");
            }
            long sequence = Long.parseLong(event.group(1));
            if (sequence != events + 1) {
                throw new Refused(lineNumber, "sequence " + sequence + " where " + (events + 1)
                        + " was expected (lines missing, repeated or reordered)");
            }
            String envelopeJson = event.group(3);
            String linked = link(chain, envelopeJson);
            if (!linked.equals(event.group(2))) {
                throw Refused.damage(lineNumber, "the event does not match its chain hash (altered after export)");
            }
            EventEnvelope envelope;
            try {
                envelope = codec.decode(envelopeJson);
            } catch (EventDecodingException e) {
                throw Refused.damage(lineNumber, "not a valid event: " + e.getMessage());
            }
            if (!envelope.studyId().equals(studyId)) {
                throw new Refused(lineNumber, "event of study " + envelope.studyId() + " in the export of " + studyId);
            }
            EventType type = EventTypes.forPayload(envelope.payload().getClass());
            if (Topics.TEAMS.equals(type.topic())) {
                throw new Refused(lineNumber, type.name() + " is a team's governance event, not study history: an"
                        + " export carries its study's history only, so an import can never change a team's settings");
            }
            if (!ids.add(envelope.eventId())) {
                throw new Refused(lineNumber, "event " + envelope.eventId() + " appears twice");
            }
            if (events == 0 && !(envelope.payload() instanceof StudyCreated)) {
                throw new Refused(lineNumber, "a study's first event must be its StudyCreated");
            }
            if (events > 0 && envelope.payload() instanceof StudyCreated) {
                throw new Refused(lineNumber, "a second StudyCreated: a study begins once, with its first event");
            }
            chain = linked;
            events++;
            return envelope;
        }
    }

    private static String link(String previous, String envelopeJson) {
        return ContentHash.sha256(previous + "\n" + envelopeJson);
    }
}
