package dev.seedloop.messaging;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.StudyDirectory.Entry;
import dev.seedloop.messaging.StudyDirectory.Status;

/**
 * What {@link StudyDirectory} knows of one study: its creation (null until read), the status its imported history
 * left it in (null unless imported), what the studies topic said since (the latest status and the first final one),
 * and the status the listeners were last told of. Pure, so the fold's independence of the order in which the two
 * topics are read can be tested alone.
 */
record KnownStudy(EventEnvelope created, StudyCreated spec, Status imported, Status live, Status liveFinal,
                  Status notified) {

    static final KnownStudy NOTHING = new KnownStudy(null, null, null, null, null, Status.ACTIVE);

    Status status() {
        Status base = imported == null ? Status.ACTIVE : imported;
        if (base.isFinal()) {
            return base;
        }
        if (liveFinal != null) {
            return liveFinal;
        }
        return live == null ? base : live;
    }

    KnownStudy created(EventEnvelope event, StudyCreated spec, boolean fromImport) {
        KnownStudy known = this.created != null ? this : new KnownStudy(event, spec, imported, live, liveFinal, notified);
        return fromImport && known.imported == null
                ? new KnownStudy(known.created, known.spec, Status.ACTIVE, live, liveFinal, notified) : known;
    }

    KnownStudy importedStatus(Status status) {
        Status now = imported != null && imported.isFinal() ? imported : status;
        return new KnownStudy(created, spec, now, live, liveFinal, notified);
    }

    KnownStudy liveStatus(Status status) {
        Status firstFinal = liveFinal == null && status.isFinal() ? status : liveFinal;
        return new KnownStudy(created, spec, imported, status, firstFinal, notified);
    }

    KnownStudy notifiedOf(Status status) {
        return new KnownStudy(created, spec, imported, live, liveFinal, status);
    }

    Entry entry() {
        return new Entry(created, spec, status());
    }
}

