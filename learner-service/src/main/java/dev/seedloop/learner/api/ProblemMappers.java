package dev.seedloop.learner.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.seedloop.learner.projection.application.Maintenance;

/** Maps every failure of the internal endpoints to problem+json, as the gateway does for the public API. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPES = "https://seedloop.dev/problems/";

    @ServerExceptionMapper
    public Response busy(Maintenance.Busy e, UriInfo uri) {
        return problem(new Problem(TYPES + "maintenance-running", "Maintenance already running", 409, e.getMessage(),
                path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return problem(new Problem("about:blank", title, status, e.getMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("Unexpected failure answering " + path(uri), e);
        return problem(new Problem("about:blank", "Internal Server Error", 500,
                "the learner failed: " + e.getMessage() + " (the error is logged)", path(uri)));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
