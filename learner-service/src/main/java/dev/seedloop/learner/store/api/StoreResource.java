package dev.seedloop.learner.store.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.seedloop.learner.store.application.StoreRestore;

/**
 * Fills in from the Kafka topics whatever the event store lacks, then rebuilds the projections
 * ({@link StoreRestore}, ADR 0012); answers what it read and appended. Decides and publishes nothing, so it is
 * safe on a store that is not empty. Internal: for operators, never routed by the gateway. Runs on a worker
 * thread (it reads Kafka with a blocking consumer); live batches wait for it. 409 while another restore or a
 * rebuild runs.
 */
@Path("/internal/store")
public class StoreResource {

    @Inject
    StoreRestore restore;

    @POST
    @Path("/restore")
    @Produces(MediaType.APPLICATION_JSON)
    public StoreRestore.Report restore() {
        return restore.restore();
    }
}
