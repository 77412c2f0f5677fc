package dev.seedloop.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Passes a blob's bytes through and, at their end, fails unless they hash to what the store says they are. */
final class VerifyingInputStream extends FilterInputStream {

    private final String expected;
    private final MessageDigest digest = Digests.sha256();
    private boolean verified;

    VerifyingInputStream(InputStream in, String expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read < 0) {
            verify();
        } else {
            digest.update(buffer, offset, read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed for the check at the end.
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (!verified) {
            verified = true;
            String actual = Digests.format(digest);
            if (!actual.equals(expected)) {
                throw new IOException("blob " + expected + " is corrupt in the store: its bytes hash to " + actual);
            }
        }
    }
}
