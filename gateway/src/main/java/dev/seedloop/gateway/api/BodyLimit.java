package dev.seedloop.gateway.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Answers a request whose announced body is over {@code quarkus.http.limits.max-body-size} with a problem+json 413,
 * just before the HTTP layer's own check would answer it with an empty body: the size is known from
 * {@code Content-Length} before anything is read, and no client should have to parse a bare status. A body without
 * {@code Content-Length} (chunked) is still cut by the HTTP layer when it grows over the limit.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) throws JsonProcessingException {
        long max = limit.asLongValue();
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String announced = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long length;
            try {
                length = announced == null ? -1 : Long.parseLong(announced.strip());
            } catch (NumberFormatException e) {
                length = -1; // the HTTP layer refuses a malformed length itself
            }
            if (length <= max) {
                context.next();
                return;
            }
            try {
                byte[] body = json.writeValueAsBytes(new Problem("https://seedloop.dev/problems/body-too-large",
                        "Request body too large", 413, "the body is " + length + " bytes; this gateway accepts at most "
                                + max + " (quarkus.http.limits.max-body-size)", context.request().path(), null));
                context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close");
                context.response().end(io.vertx.core.buffer.Buffer.buffer(body))
                        .onComplete(done -> context.request().connection().close());
            } catch (JsonProcessingException e) {
                context.fail(e);
            }
        });
    }
}
