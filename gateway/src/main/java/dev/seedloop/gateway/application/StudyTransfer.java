package dev.seedloop.gateway.application;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.ExportArtifacts;
import dev.seedloop.artifacts.Tree;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyExport;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.ImportPlacement;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Export streams a study from the learner page by page, as a file that is either complete or visibly cut, followed by
 * the trees its events name ({@link ExportArtifacts}); import checks a whole file (its trees by hash, into the artifact
 * store), grants the trees to the importing team, then publishes the events.
 */
@ApplicationScoped
public class StudyTransfer {

    /** Events asked for per page; the learner answers fewer when they would not fit its reply's byte bound. */
    private static final int PAGE = Query.MAX_PAGE;
    /** Events per Kafka record, and bytes: well under the broker's default 1 MB message limit. */
    private static final int CHUNK_EVENTS = 200;
    private static final int CHUNK_BYTES = 512 * 1024;
    private static final Logger LOG = Logger.getLogger(StudyTransfer.class);

    /** Seconds a client refused for {@link ImportsBusy} is told to wait: an import of a large file takes that long. */
    private static final long BUSY_RETRY_SECONDS = 5;

    /** A checked import on its way to the learner, and how many trees the file carried. */
    public record Imported(String studyId, int events, int trees) {
    }

    @Inject
    LearnerQueries queries;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    @Inject
    ArtifactStore store;

    @Inject
    GatewayConfig config;

    @Inject
    @Channel("imports-out")
    MutinyEmitter<byte[]> imports;

    /** One per import being read, checked or published: what imports hold in memory is bounded by their number. */
    private Semaphore importSlots;

    /** Every import slot is taken ({@code seedloop.gateway.imports.max-concurrent}); the client should retry later. */
    public static final class ImportsBusy extends RuntimeException {
        public ImportsBusy(int slots) {
            super("this gateway is checking " + slots + " imports already, as many as it takes at once; try again in "
                    + BUSY_RETRY_SECONDS + " s", null, false, false);
        }

        public long retryAfterSeconds() {
            return BUSY_RETRY_SECONDS;
        }
    }

    @PostConstruct
    void init() {
        importSlots = new Semaphore(config.imports().maxConcurrent());
    }

    /** Imports being read, checked or published right now. */
    public int importsInProgress() {
        return config.imports().maxConcurrent() - importSlots.availablePermits();
    }

    /**
     * Opens the export of the study's events up to the moment of the request (events stored while it runs are left
     * out, so the file is one consistent cut). Everything that can fail for a reason the client should hear as a
     * problem happens here, before any byte is sent: the study's existence for the team (404), and the learner's
     * answer to the first page (503). Blocking.
     */
    public Export openExport(String team, String studyId) {
        Views.StudyView study = queries.study(team, studyId).await().indefinitely();
        long last = study.lastSequence();
        Views.EventPage first = last == 0 ? new Views.EventPage(List.of(), false)
                : queries.events(team, studyId, 0, PAGE, List.of()).await().indefinitely();
        return new Export(team, studyId, last, first);
    }

    /**
     * An export whose first page is in hand, written page by page (memory for one page; the learner bounds a page by
     * bytes, so it may hold fewer events than asked for). Each page is flushed as it is written.
     */
    public final class Export {
        private final String team;
        private final String studyId;
        private final long last;
        private final Views.EventPage first;

        private Export(String team, String studyId, long last, Views.EventPage first) {
            this.team = team;
            this.studyId = studyId;
            this.last = last;
            this.first = first;
        }

        /**
         * Writes the whole file. Blocking.
         *
         * @throws IOException           when the client's connection fails
         * @throws IllegalStateException when the learner's pages do not cover the study up to its last sequence
         * @throws RuntimeException      when the learner fails to answer a later page; the caller must then make
         *                               sure the client cannot take what it received for a complete file
         */
        public void writeTo(OutputStream out) throws IOException {
            StudyExport.Writer writer = new StudyExport.Writer();
            Writer lines = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            lines.write(writer.header(studyId, team, last, clock.instant()));
            lines.write('\n');
            long after = 0;
            Set<String> trees = new LinkedHashSet<>();
            Views.EventPage page = first;
            while (after < last) {
                if (page.items().isEmpty()) {
                    throw new IllegalStateException("the learner's pages of study " + studyId + " end after sequence "
                            + after + " of " + last);
                }
                for (Views.StoredEventView stored : page.items()) {
                    if (stored.sequence() > last) {
                        break;
                    }
                    if (stored.sequence() != after + 1) {
                        throw new IllegalStateException("the learner's page of study " + studyId + " skips from "
                                + after + " to " + stored.sequence());
                    }
                    String envelope = stored.event().toString();
                    lines.write(writer.event(stored.sequence(), envelope));
                    lines.write('\n');
                    trees.addAll(ExportArtifacts.treesOf(codec.decode(envelope).payload()));
                    after = stored.sequence();
                }
                lines.flush();
                if (after < last) {
                    if (!page.more()) {
                        throw new IllegalStateException("the learner's pages of study " + studyId + " end after"
                                + " sequence " + after + " of " + last);
                    }
                    page = queries.events(team, studyId, after, PAGE, List.of()).await().indefinitely();
                }
            }
            lines.write(writer.trailer());
            lines.write('\n');
            lines.flush();
            if (!trees.isEmpty()) {
                ExportArtifacts.write(store, owned(trees), lines);
            }
        }

        /** The named trees the team owns; one it does not (lost, never granted) is left out and logged. */
        private List<Tree> owned(Set<String> hashes) {
            List<Tree> owned = new ArrayList<>();
            for (String hash : hashes) {
                Optional<Tree> tree = store.treeOwnedBy(team, hash);
                if (tree.isPresent()) {
                    owned.add(tree.get());
                } else {
                    LOG.warnf("Export of study %s leaves out tree %s, which its team %s does not own; an import will"
                            + " need the tree to be owned by the importing team already", studyId, hash, team);
                }
            }
            return owned;
        }

        public String studyId() {
            return studyId;
        }
    }

    /**
     * Reads and checks an export file as it streams in (one line at a time, each bounded), stores the trees it carries
     * (every blob and tree checked by hash, {@link ExportArtifacts}), and publishes its events for the caller's team,
     * event ids preserved, under the study's own id or, when another team of this installation holds the study, under
     * a copy's id ({@link ImportPlacement}). Every tree the events name must be in the file or owned by the team
     * already; the trees are granted to the team only once the whole import is accepted. Blocking.
     *
     * @throws StudyExport.Refused     when the events are damaged, or name a tree neither carried nor owned
     * @throws ExportArtifacts.Refused when the trees are damaged (a blob or tree not matching its hash is not stored)
     * @throws StudyControl.Conflict   when the caller's team holds the study or a copy of it already
     */
    public Uni<Imported> importStudy(Caller caller, InputStream file) throws IOException {
        if (!importSlots.tryAcquire()) {
            throw new ImportsBusy(config.imports().maxConcurrent());
        }
        boolean handedOver = false;
        try {
            Uni<Imported> imported = checkAndPublish(caller, file);
            handedOver = true;
            // The events stay held until the last slice is published: only then is the slot free again.
            return imported.onTermination().invoke(importSlots::release);
        } finally {
            if (!handedOver) {
                importSlots.release();
            }
        }
    }

    private Uni<Imported> checkAndPublish(Caller caller, InputStream file) throws IOException {
        long maxEventBytes = config.imports().maxEventBytes().asLongValue();
        long eventBytes = 0;
        ExportArtifacts.Lines lines = ExportArtifacts.lines(file, ExportArtifacts.MAX_FILE_LINE_BYTES);
        StudyExport.Reader reader = new StudyExport.Reader(codec);
        List<EventEnvelope> events = new ArrayList<>();
        ExportArtifacts.Contents artifacts = new ExportArtifacts.Contents(List.of(), 0, 0);
        for (String line = lines.next(); line != null; line = lines.next()) {
            if (lines.number() > 1 && ExportArtifacts.isSectionHeader(line)) {
                reader.finish(); // the events must be whole before any tree is taken in
                GatewayConfig.Workspaces limits = config.workspaces();
                artifacts = ExportArtifacts.read(line, lines, store, limits.maxFileBytes().asLongValue(),
                        limits.maxFiles());
                break;
            }
            // Everything before the trees is held until the whole file is checked; the trees stream into the store.
            eventBytes += line.getBytes(StandardCharsets.UTF_8).length;
            if (eventBytes > maxEventBytes) {
                throw new ExportArtifacts.Refused(lines.number(), "limit-exceeded", "the file's events pass "
                        + maxEventBytes + " bytes, the most this gateway takes in one import"
                        + " (seedloop.gateway.imports.max-event-bytes)");
            }
            EventEnvelope event = reader.next(line);
            if (event != null) {
                events.add(event);
            }
        }
        reader.finish();
        Set<String> carried = new HashSet<>();
        artifacts.trees().forEach(tree -> carried.add(tree.hash()));
        Set<String> toGrant = referencedTrees(caller.team(), events, carried);

        StudyExport.Contents contents = new StudyExport.Contents(reader.studyId(), reader.team(), events);
        String fileStudy = contents.studyId();
        // A study's id is its StudyCreated's event id, which its copies keep: the root names the study however
        // many times it was copied, so a team can never come to hold it twice through a copy of a copy.
        String root = contents.events().getFirst().eventId().toString();
        ImportPlacement.Held held = held(caller.team(), fileStudy, root).await().indefinitely();
        String studyId = held == ImportPlacement.Held.NOTHING ? fileStudy
                : ImportPlacement.studyId(root, caller.team(), held);
        for (String tree : toGrant) {
            store.grant(caller.team(), tree);
        }
        List<EventEnvelope> remapped = contents.events().stream()
                .map(e -> e.withStudyAndTeam(studyId, caller.team()))
                .toList();
        return publish(studyId, remapped).replaceWith(new Imported(studyId, remapped.size(), carried.size()));
    }

    /**
     * The carried trees the events name, to be granted. A named tree that is neither carried nor owned by the team
     * refuses the import at the line of the first event naming it: the team would otherwise gain a study whose code
     * it cannot read, or reach a tree of another team by its hash.
     */
    private Set<String> referencedTrees(String team, List<EventEnvelope> events, Set<String> carried) {
        Set<String> toGrant = new LinkedHashSet<>();
        Set<String> owned = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            for (String tree : ExportArtifacts.treesOf(events.get(i).payload())) {
                if (carried.contains(tree)) {
                    toGrant.add(tree);
                } else if (!owned.contains(tree)) {
                    if (!store.owns(team, tree)) {
                        // The header is line 1, event i is line i + 2.
                        throw new StudyExport.Refused(i + 2, "the event names tree " + tree + ", which the file does"
                                + " not carry and your team does not own; export the study again with its trees");
                    }
                    owned.add(tree);
                }
            }
        }
        return toGrant;
    }

    /** What this installation holds of the study: the file's own study, its root, or the team's copy. */
    private Uni<ImportPlacement.Held> held(String team, String fileStudy, String root) {
        return queries.exists(team, fileStudy).chain(fileHeld -> queries.exists(team, root)
                .chain(rootHeld -> {
                    if (!fileHeld && !rootHeld) {
                        return Uni.createFrom().item(ImportPlacement.Held.NOTHING);
                    }
                    return owns(team, fileStudy)
                            .chain(ownsFile -> ownsFile ? Uni.createFrom().item(true) : owns(team, root))
                            .chain(own -> own ? Uni.createFrom().item(ImportPlacement.Held.OWN_STUDY)
                            : queries.exists(team, ImportPlacement.copyId(root, team)).map(copy -> copy
                                    ? ImportPlacement.Held.COPY : ImportPlacement.Held.OTHER_TEAMS_STUDY));
                }));
    }

    private Uni<Boolean> owns(String team, String studyId) {
        return queries.study(team, studyId).replaceWith(true).onFailure(NotFoundException.class).recoverWithItem(false);
    }

    private Uni<Void> publish(String studyId, List<EventEnvelope> events) {
        List<Uni<Void>> sends = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int inChunk = 0;
        for (EventEnvelope event : events) {
            String line = codec.encodeToString(event);
            if (inChunk > 0 && (inChunk == CHUNK_EVENTS || chunk.length() + line.length() > CHUNK_BYTES)) {
                sends.add(send(studyId, chunk.toString()));
                chunk.setLength(0);
                inChunk = 0;
            }
            chunk.append(line).append('\n');
            inChunk++;
        }
        if (inChunk > 0) {
            sends.add(send(studyId, chunk.toString()));
        }
        // One after the other: the learner must receive the slices in order (same key, same partition).
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> send : sends) {
            chain = chain.chain(() -> send);
        }
        return chain;
    }

    private Uni<Void> send(String studyId, String lines) {
        return imports.sendMessage(Message.of(lines.getBytes(StandardCharsets.UTF_8))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(studyId).build()));
    }

}
