package dev.seedloop.cli.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.seedloop.artifacts.ExportArtifacts;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.StudyExport;

/**
 * Receives a study's export file and checks it while it arrives ({@link StudyExport.Reader}: header, each line's chain,
 * study history only, the trailer; then the trees after it, {@link ExportArtifacts}: every blob and tree by its hash,
 * and the section's closing line), copying the bytes exactly as sent to a sink. A download only succeeds for a file
 * that is whole; a connection that breaks off, a body cut short or a damaged line is an {@link Incomplete}, so the
 * caller can make sure nothing that looks like a complete file is left behind. Lines are bounded
 * ({@link ExportArtifacts#MAX_FILE_LINE_BYTES}) and blobs are hashed as they pass: memory stays small.
 */
public final class ExportDownload {

    /** The file received is not a complete, intact export. Exit code {@link ExitCode#UNAVAILABLE}: try again. */
    public static final class Incomplete extends CliException {
        public Incomplete(String message, Throwable cause) {
            super(ExitCode.UNAVAILABLE, message, cause);
        }
    }

    /** What a complete download held: its events, and the trees it carries (0 for a study without any). */
    public record Received(String studyId, long events, int trees) {
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
        int trees = 0;
        Tee received = null;
        try (InputStream in = gateway.openExport(studyId)) {
            received = new Tee(in, sink);
            ExportArtifacts.Lines lines = ExportArtifacts.lines(received, ExportArtifacts.MAX_FILE_LINE_BYTES);
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (lines.number() > 1 && ExportArtifacts.isSectionHeader(line)) {
                    reader.finish();
                    trees = ExportArtifacts.read(line, lines, null, Long.MAX_VALUE, Integer.MAX_VALUE).trees().size();
                    break;
                }
                reader.next(line);
            }
            reader.finish();
        } catch (StudyExport.Refused | ExportArtifacts.Refused refused) {
            String brokeOff = received == null ? null : received.brokeOff;
            throw new Incomplete("The export of study " + studyId + " is not a complete file"
                    + (brokeOff == null ? "" : " (the gateway's connection broke off: " + brokeOff + ")") + ": "
                    + refused.getMessage(), refused);
        }
        return new Received(reader.studyId(), reader.events(), trees);
    }

    /**
     * Copies what it reads to the sink, exactly as sent. A connection that breaks off reads as the end of the file
     * (whose checks then say it is incomplete), and is remembered for the message.
     */
    private static final class Tee extends FilterInputStream {
        private final OutputStream sink;
        String brokeOff;

        Tee(InputStream in, OutputStream sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                brokeOff = GatewayClient.describe(e);
                return -1;
            }
            if (n > 0) {
                sink.write(buffer, offset, n);
            }
            return n;
        }
    }
}
