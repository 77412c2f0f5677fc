/**
 * The read contract between the gateway and the learner: queries the gateway sends over Kafka
 * ({@code seedloop.queries}, Kafka request-reply) and the views the learner answers with from its
 * projections. Framework-free like the events; {@link QueryCodec} is the only JSON mapping.
 *
 * <p>Every query names the caller's team and the learner answers {@link QueryReply.Outcome#NOT_FOUND}
 * for a study of another team, exactly as for a study that does not exist.
 */
package dev.seedloop.queries;
