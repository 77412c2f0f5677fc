package dev.seedloop.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.seedloop.cli.client.GatewayRecords.AuthInfo;
import dev.seedloop.cli.client.GatewayRecords.ControlAccepted;
import dev.seedloop.cli.client.GatewayRecords.ImportAccepted;
import dev.seedloop.cli.client.GatewayRecords.ProposalTree;
import dev.seedloop.cli.client.GatewayRecords.WorkspaceListing;
import dev.seedloop.cli.client.GatewayRecords.WorkspaceStored;
import dev.seedloop.cli.client.GatewayRecords.Decision;
import dev.seedloop.cli.client.GatewayRecords.QuotaUpdate;
import dev.seedloop.cli.client.GatewayRecords.Reason;
import dev.seedloop.cli.client.GatewayRecords.StudyAccepted;
import dev.seedloop.cli.client.GatewayRecords.StudyAction;
import dev.seedloop.cli.client.GatewayRecords.TeamQuota;
import dev.seedloop.queries.Views.EventPage;
import dev.seedloop.queries.Views.LineageView;
import dev.seedloop.queries.Views.StudyPage;
import dev.seedloop.queries.Views.StudyView;

/**
 * The gateway's {@code /api/v1}, one method per operation of {@code docs/api.md}. Error answers become
 * {@link ApiException}s, an unreachable gateway a {@link CliException} with {@link ExitCode#UNAVAILABLE};
 * a 401 is retried once with a renewed token. Thread-safe.
 */
public final class GatewayClient {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String JSON = "application/json";

    private final HttpClient http;
    private final String baseUrl;
    private final TokenSource tokens;

    /** @param baseUrl e.g. {@code http://127.0.0.1:8080}; a trailing slash is ignored */
    private static final String NDJSON = "application/x-ndjson";
    private static final String GZIP = "application/gzip";
    /** A whole study travels in one request: give it longer than a plain call. */
    private static final java.time.Duration TRANSFER_TIMEOUT = java.time.Duration.ofMinutes(5);

    public GatewayClient(HttpClient http, String baseUrl, TokenSource tokens) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A client for the same gateway with other tokens (e.g. after logging in). */
    public GatewayClient withTokens(TokenSource other) {
        return new GatewayClient(http, baseUrl, other);
    }

    public AuthInfo auth() {
        return get("/api/v1/auth", AuthInfo.class).value();
    }

    /** @param spec the spec text, YAML or JSON (JSON is YAML, so it is always sent as YAML) */
    public Answer<StudyAccepted> createStudy(String spec) {
        return call(request("/api/v1/studies").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(spec)), StudyAccepted.class);
    }

    /** @param atSequence the source's sequence to fork at, or null for its latest */
    public Answer<StudyAccepted> forkStudy(String sourceId, Long atSequence, String spec) {
        return call(request(studyPath(sourceId) + "/forks" + new Query().add("at", atSequence))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(spec)), StudyAccepted.class);
    }

    /** Starts the study's baseline: the same study on the same budget with best-of-n (llm) or random search. */
    public Answer<StudyAccepted> startBaseline(String studyId) {
        return post(studyPath(studyId) + "/baseline", null, StudyAccepted.class);
    }

    /** Study {@code studyId} against study {@code otherId} of the same team. */
    public Answer<GatewayRecords.StudyComparison> compare(String studyId, String otherId) {
        return get(studyPath(studyId) + "/comparison" + new Query().add("with", otherId),
                GatewayRecords.StudyComparison.class);
    }

    /** @param status, offset, limit null to leave them to the gateway */
    public Answer<StudyPage> studies(String status, Integer offset, Integer limit) {
        Query query = new Query().add("status", status).add("offset", offset).add("limit", limit);
        return get("/api/v1/studies" + query, StudyPage.class);
    }

    public Answer<StudyView> study(String studyId) {
        return get(studyPath(studyId), StudyView.class);
    }

    /** The champion history (always whole) and the page {@code offset, limit} of the parent tree. */
    public Answer<LineageView> lineage(String studyId, int offset, int limit) {
        return get(studyPath(studyId) + "/lineage" + new Query().add("offset", offset).add("limit", limit),
                LineageView.class);
    }

    /** @param reason null for none */
    public Answer<ControlAccepted> control(String studyId, StudyAction action, String reason) {
        return post(studyPath(studyId) + "/" + action.path(), reason, ControlAccepted.class);
    }

    /** @param reason null for none (the gateway requires one to reject) */
    public Answer<ControlAccepted> decide(String studyId, String proposalId, Decision decision, String reason) {
        return post(studyPath(studyId) + "/candidates/" + segment(proposalId) + "/" + decision.path(), reason,
                ControlAccepted.class);
    }

    /** Stored events with study sequence greater than {@code after}, oldest first. */
    public Answer<EventPage> events(String studyId, long after, int limit, List<String> types) {
        Query query = new Query().add("after", after).add("limit", limit);
        types.forEach(type -> query.add("type", type));
        return get(studyPath(studyId) + "/events" + query, EventPage.class);
    }

    /**
     * The study's postmortem as the gateway renders it for {@code mediaType} ({@code application/json},
     * {@code text/markdown} or {@code text/html}), exactly as sent.
     */
    public String postmortem(String studyId, String mediaType) {
        return body(request(studyPath(studyId) + "/postmortem").setHeader("Accept", mediaType).GET());
    }

    /**
     * Opens the study's export file (JSON lines, see {@code dev.seedloop.events.StudyExport}) as it arrives; the
     * caller reads and closes it. The gateway aborts the connection when it fails after the file began, so reading
     * may end in an {@link IOException}; only a file that ends with its trailer is complete ({@link ExportDownload}).
     */
    public InputStream openExport(String studyId) {
        // No overall timeout: a large study streams for as long as it takes; the connect timeout still applies.
        return open(token -> authorize(HttpRequest.newBuilder(uri(studyPath(studyId) + "/export"))
                .header("Accept", NDJSON).GET(), token).build());
    }

    /**
     * Submits an export file for import into the caller's team, streamed from disk (with its trees it may be large);
     * the gateway checks it whole first.
     */
    public Answer<ImportAccepted> importStudy(java.nio.file.Path exportFile) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(exportFile);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException("cannot read the export file " + exportFile, e);
        }
        return call(HttpRequest.newBuilder(uri("/api/v1/imports")).timeout(TRANSFER_TIMEOUT).header("Accept", JSON)
                .header("Content-Type", NDJSON).POST(body), ImportAccepted.class);
    }

    /**
     * Uploads a workspace archive ({@code .tar.gz}); the gateway answers 201 for a new tree and 200 when the team
     * had it already, with the same body.
     */
    public Answer<WorkspaceStored> uploadWorkspace(java.nio.file.Path archive) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(archive);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException("cannot read the packed workspace " + archive, e);
        }
        return call(HttpRequest.newBuilder(uri("/api/v1/workspaces")).timeout(TRANSFER_TIMEOUT)
                .header("Accept", JSON).header("Content-Type", GZIP).POST(body), WorkspaceStored.class);
    }

    /** The team's tree {@code tree} (a 404 {@link ApiException} when it has none of that hash). */
    public Answer<WorkspaceListing> workspace(String tree) {
        return get(workspacePath(tree), WorkspaceListing.class);
    }

    /** Opens the team's tree {@code tree} as a {@code .tar.gz}; the caller reads and closes it. */
    public InputStream openWorkspaceArchive(String tree) {
        // No overall timeout, as for exports: a large tree streams for as long as it takes.
        return open(token -> authorize(HttpRequest.newBuilder(uri(workspacePath(tree) + "/archive"))
                .header("Accept", GZIP).GET(), token).build());
    }

    /** The parent tree of a study's proposal and the tree its experiment built. */
    public Answer<ProposalTree> proposalTree(String studyId, String proposalId) {
        return get(studyPath(studyId) + "/proposals/" + segment(proposalId) + "/tree", ProposalTree.class);
    }

    public Answer<TeamQuota> quota(String team) {
        return get("/api/v1/teams/" + segment(team) + "/quota", TeamQuota.class);
    }

    public Answer<TeamQuota> setQuota(String team, int maxConcurrentStudies, int maxExperimentsPerDay) {
        return call(request("/api/v1/teams/" + segment(team) + "/quota").header("Content-Type", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(
                        new QuotaUpdate(maxConcurrentStudies, maxExperimentsPerDay)))), TeamQuota.class);
    }

    /**
     * Opens the study's live event stream ({@code text/event-stream}) resuming after {@code after}; the
     * caller reads it with {@link SseReader} and closes it.
     *
     * @param lastEventId sent as {@code Last-Event-ID} when reconnecting, null on the first connect
     */
    public InputStream openStream(String studyId, long after, String lastEventId) {
        // No timeout: a study can be quiet for minutes between events; the connect timeout still applies.
        Function<String, HttpRequest> build = token -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri(studyPath(studyId) + "/stream"
                    + new Query().add("after", after))).header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                builder.header("Last-Event-ID", lastEventId);
            }
            return authorize(builder, token).build();
        };
        return open(build);
    }

    /** The body of a 200 answer as a stream; any other status becomes an {@link ApiException}. */
    private InputStream open(Function<String, HttpRequest> build) {
        HttpResponse<InputStream> response = send(build, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw ApiException.of(response.statusCode(), response.headers(), body);
        }
        return response.body();
    }

    private <T> Answer<T> get(String path, Class<T> type) {
        return call(request(path).GET(), type);
    }

    private <T> Answer<T> post(String path, String reason, Class<T> type) {
        HttpRequest.Builder builder = request(path).header("Content-Type", JSON);
        builder.POST(reason == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(new Reason(reason))));
        return call(builder, type);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(CALL_TIMEOUT).header("Accept", JSON);
    }

    private <T> Answer<T> call(HttpRequest.Builder builder, Class<T> type) {
        String body = body(builder);
        return new Answer<>(Json.read(body, type), body);
    }

    /** The body of a successful answer, as sent. */
    private String body(HttpRequest.Builder builder) {
        HttpResponse<String> response = send(token -> authorize(builder.copy(), token).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw ApiException.of(response.statusCode(), response.headers(), response.body());
        }
        return response.body();
    }

    /** Sends with the current token; on 401 once more with a renewed one, if the token source has one. */
    private <B> HttpResponse<B> send(Function<String, HttpRequest> request, HttpResponse.BodyHandler<B> handler) {
        String token = tokens.accessToken();
        HttpResponse<B> response = exchange(request.apply(token), handler);
        if (response.statusCode() == 401 && token != null) {
            String renewed = tokens.renewAfterRejection();
            if (renewed != null) {
                discard(response);
                response = exchange(request.apply(renewed), handler);
            }
        }
        return response;
    }

    private <B> HttpResponse<B> exchange(HttpRequest request, HttpResponse.BodyHandler<B> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "Cannot reach the gateway at " + baseUrl + " ("
                    + describe(e) + "). Is the stack up? (./seedloop up, or set --gateway / SEEDLOOP_GATEWAY)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNEXPECTED, "Interrupted while calling the gateway", e);
        }
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the retry does not need it
            }
        }
    }

    private static HttpRequest.Builder authorize(HttpRequest.Builder builder, String token) {
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    private static String studyPath(String studyId) {
        return "/api/v1/studies/" + segment(studyId);
    }

    /** A tree hash ({@code sha256:} and hex) is a valid path segment as it is; anything else is encoded. */
    private static String workspacePath(String tree) {
        return "/api/v1/workspaces/" + (tree.matches("sha256:[0-9a-f]{64}") ? tree : segment(tree));
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The JDK's connection errors often have no message; the class name is the useful part then. */
    static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** A query string; null values are left out. */
    private static final class Query {
        private final List<String> parts = new ArrayList<>();

        Query add(String name, Object value) {
            if (value != null) {
                parts.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
            return this;
        }

        @Override
        public String toString() {
            return parts.isEmpty() ? "" : "?" + String.join("&", parts);
        }
    }
}
