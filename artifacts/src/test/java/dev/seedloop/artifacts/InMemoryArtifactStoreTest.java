package dev.seedloop.artifacts;

class InMemoryArtifactStoreTest extends ArtifactStoreContract {

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();

    @Override
    ArtifactStore store() {
        return store;
    }
}
