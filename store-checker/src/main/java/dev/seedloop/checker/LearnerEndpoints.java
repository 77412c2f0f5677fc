package dev.seedloop.checker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The learner's operator endpoints (loopback only, docs/operations.md): its folded state of a study from each source
 * ({@code StudyStateResource}) and the full projection rebuild ({@code ProjectionResource}, ADR 0012).
 */
public final class LearnerEndpoints implements StateSource {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    /** @param base e.g. {@code http://127.0.0.1:8084} */
    public LearnerEndpoints(URI base) {
        this.base = base;
    }

    @Override
    public String state(String studyId, Source source) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(base.resolve("/internal/studies/" + studyId + "/state?source="
                + source.name().toLowerCase(java.util.Locale.ROOT))).GET());
    }

    /** Drops every projection and rebuilds it from the store; answers the learner's report (JSON). */
    public String rebuildProjections() throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(base.resolve("/internal/projections/rebuild"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
