package dev.seedloop.messaging;

import dev.seedloop.events.Topics;

/**
 * An event of a study this service's {@link StudyDirectory} does not know, although it has read everything published
 * before the event: the study was never created here (nor imported). A matter of this record alone, which goes to the
 * dead-letter topic with this message; the channel goes on.
 */
public final class UnknownStudyException extends IllegalArgumentException {

    public UnknownStudyException(String studyId) {
        super("study " + studyId + " is unknown: neither created on " + Topics.STUDIES + " nor imported on "
                + Topics.IMPORTS);
    }
}
