package dev.seedloop.artifacts;

class InMemoryRecordedAnswersTest extends RecordedAnswersContract {

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final InMemoryRecordedAnswers answers = new InMemoryRecordedAnswers();

    @Override
    RecordedAnswers answers() {
        return answers;
    }

    @Override
    ArtifactStore store() {
        return store;
    }
}
