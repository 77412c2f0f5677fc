package dev.seedloop.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts what passes and lets the caller refuse more, as the bytes come rather than after. */
final class LimitedInputStream extends FilterInputStream {

    private final LongConsumer onBytes;

    /** @param onBytes called with the count of each read; throws to stop the stream */
    LimitedInputStream(InputStream in, LongConsumer onBytes) {
        super(in);
        this.onBytes = onBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            onBytes.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            onBytes.accept(read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            onBytes.accept(skipped);
        }
        return skipped;
    }

    @Override
    public void close() {
        // The caller owns the underlying stream (an archive's entry stream must stay open).
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
