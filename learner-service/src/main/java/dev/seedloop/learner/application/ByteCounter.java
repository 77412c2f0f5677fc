package dev.seedloop.learner.application;

import java.io.OutputStream;

/** Counts the bytes written to it and keeps none: how the learner measures an encoding without holding it. */
public final class ByteCounter extends OutputStream {

    private long bytes;

    @Override
    public void write(int b) {
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        bytes += len;
    }

    public long bytes() {
        return bytes;
    }
}
