package dev.seedloop.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.StudyExport;

/**
 * Receives a study's export file and checks it while it arrives ({@link StudyExport.Reader}: header, each line's chain,
 * study history only, the trailer), copying the bytes exactly as sent to a sink. A download only succeeds for a file
 * that ends with its trailer; a connection that breaks off, a body cut short or a damaged line is an
 * {@link Incomplete}, so the caller can make sure nothing that looks like a complete file is left behind.
 */
public final class ExportDownload {

    /** The file received is not a complete, intact export. Exit code {@link ExitCode#UNAVAILABLE}: try again. */
    public static final class Incomplete extends CliException {
        public Incomplete(String message, Throwable cause) {
            super(ExitCode.UNAVAILABLE, message, cause);
        }
    }

    /** What a complete download held. */
    public record Received(String studyId, long events) {
    }

    private final EventCodec codec;

    public ExportDownload(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * @param sink receives every byte as sent, also when the download turns out incomplete (for a {@code .partial})
     * @throws Incomplete when the file is not complete and intact
     * @throws IOException when the sink cannot be written
     */
    public Received download(GatewayClient gateway, String studyId, OutputStream sink) throws IOException {
        StudyExport.Reader reader = new StudyExport.Reader(codec);
        LineSplitter lines = new LineSplitter(reader);
        String brokeOff = null;
        try (InputStream in = gateway.openExport(studyId)) {
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    brokeOff = GatewayClient.describe(e);
                    break;
                }
                if (n < 0) {
                    break;
                }
                sink.write(buffer, 0, n);
                lines.accept(buffer, n);
            }
            lines.end();
            reader.finish();
        } catch (StudyExport.Refused refused) {
            throw new Incomplete("The export of study " + studyId + " is not a complete file"
                    + (brokeOff == null ? "" : " (the gateway's connection broke off: " + brokeOff + ")") + ": "
                    + refused.getMessage(), refused);
        }
        return new Received(reader.studyId(), reader.events());
    }

    /** Bytes to lines (UTF-8, without their line break) for the reader; a last line without a break counts too. */
    private static final class LineSplitter {
        private final StudyExport.Reader reader;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSplitter(StudyExport.Reader reader) {
            this.reader = reader;
        }

        void accept(byte[] bytes, int length) {
            int start = 0;
            for (int i = 0; i < length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i - start);
                    reader.next(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(bytes, start, length - start);
        }

        void end() {
            if (line.size() > 0) {
                reader.next(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
