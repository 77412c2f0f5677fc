package dev.seedloop.artifacts;

/**
 * The store itself failed (database unreachable, a lost connection, a serialisation conflict): nothing about the
 * input, which may be tried again. Whatever the failed call was writing is not visible.
 */
public final class ArtifactStoreException extends RuntimeException {

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
